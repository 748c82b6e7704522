import { Redis } from 'ioredis';
import { BusError } from '../errors.js';
import { endpointOptions } from '../redis-target.js';
/**
 * Which master serves which hash slot of a Redis Cluster, read by ourselves (CLUSTER SLOTS)
 * rather than from a client library's cache: the Redis Cluster bus decides where its own
 * connections go (bus/redis-cluster-bus.ts).
 */
export const SLOTS = 16384;
/** CRC16/XMODEM, as Redis Cluster hashes keys (cluster spec, "Keys distribution model"). */
function crc16(bytes) {
    let crc = 0;
    for (const b of bytes) {
        crc ^= b << 8;
        for (let i = 0; i < 8; i++)
            crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc;
}
/** The hash slot of a key or shard channel: only its {tag} counts when it has a non-empty one. */
export function keySlot(key) {
    const open = key.indexOf('{');
    if (open !== -1) {
        const close = key.indexOf('}', open + 1);
        if (close > open + 1)
            key = key.slice(open + 1, close);
    }
    return crc16(Buffer.from(key)) % SLOTS;
}
/** Slot -> master (undefined: no master serves it now). */
export class ShardMap {
    bySlot;
    constructor(bySlot) {
        this.bySlot = bySlot;
    }
    static EMPTY = new ShardMap([]);
    masterOf(slot) {
        return this.bySlot[slot];
    }
    /** Every distinct master, by id. */
    masters() {
        const out = new Map();
        for (const m of this.bySlot)
            if (m && !out.has(m.id))
                out.set(m.id, m);
        return out;
    }
    /** Every slot has a master. */
    get complete() {
        if (this.bySlot.length < SLOTS)
            return false;
        for (let s = 0; s < SLOTS; s++)
            if (!this.bySlot[s])
                return false;
        return true;
    }
}
/**
 * CLUSTER SLOTS from the first of `candidates` that answers (each tried with a fresh connection,
 * `timeoutMs` at most); credentials and TLS from `template`. Rejects when none answers.
 */
export async function fetchShardMap(candidates, template, timeoutMs = 1000) {
    let lastError = new BusError('ERR_BUS_CONNECT', 'no Redis Cluster node to ask');
    for (const c of candidates) {
        const client = new Redis({ ...endpointOptions({ ...template, host: c.host, port: c.port }), lazyConnect: true, retryStrategy: () => null, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false });
        client.on('error', () => { });
        try {
            await client.connect();
            const reply = (await client.call('CLUSTER', 'SLOTS'));
            return parseSlots(reply, { ...template, host: c.host, port: c.port });
        }
        catch (err) {
            lastError = err;
        }
        finally {
            client.disconnect();
        }
    }
    throw lastError;
}
/** CLUSTER SLOTS' answer as a ShardMap; `asked` is the node that answered (an empty host means it), with the credentials. */
export function parseSlots(reply, asked) {
    const template = asked;
    const bySlot = new Array(SLOTS);
    const seen = new Map();
    for (const [start, end, master] of reply) {
        const host = master[0] === '' ? template.host : String(master[0]);
        const port = Number(master[1]);
        const id = `${host}:${port}`;
        let m = seen.get(id);
        if (!m)
            seen.set(id, (m = { id, endpoint: { ...template, host, port } }));
        for (let s = Number(start); s <= Number(end) && s < SLOTS; s++)
            bySlot[s] = m;
    }
    return new ShardMap(bySlot);
}
//# sourceMappingURL=shard-map.js.map