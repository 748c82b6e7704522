import { Redis } from 'ioredis';
import { BusError } from '../errors.ts';
import { endpointOptions, type RedisEndpoint } from '../redis-target.ts';

/**
 * Which master serves which hash slot of a Redis Cluster, read by ourselves (CLUSTER SLOTS)
 * rather than from a client library's cache: the Redis Cluster bus decides where its own
 * connections go (bus/redis-cluster-bus.ts).
 */

export const SLOTS = 16384;

/** CRC16/XMODEM, as Redis Cluster hashes keys (cluster spec, "Keys distribution model"). */
function crc16(bytes: Buffer): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The hash slot of a key or shard channel: only its {tag} counts when it has a non-empty one. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(key)) % SLOTS;
}

/** A master as `host:port`, and how to connect to it. */
export interface ShardMaster {
  id: string;
  endpoint: RedisEndpoint;
}

/** Slot -> master (undefined: no master serves it now). */
export class ShardMap {
  constructor(private readonly bySlot: ReadonlyArray<ShardMaster | undefined>) {}

  static readonly EMPTY = new ShardMap([]);

  masterOf(slot: number): ShardMaster | undefined {
    return this.bySlot[slot];
  }

  /** Every distinct master, by id. */
  masters(): Map<string, ShardMaster> {
    const out = new Map<string, ShardMaster>();
    for (const m of this.bySlot) if (m && !out.has(m.id)) out.set(m.id, m);
    return out;
  }

  /** Every slot has a master. */
  get complete(): boolean {
    if (this.bySlot.length < SLOTS) return false;
    for (let s = 0; s < SLOTS; s++) if (!this.bySlot[s]) return false;
    return true;
  }
}

/**
 * CLUSTER SLOTS from the first of `candidates` that answers (each tried with a fresh connection,
 * `timeoutMs` at most); credentials and TLS from `template`. Rejects when none answers.
 */
export async function fetchShardMap(candidates: RedisEndpoint[], template: RedisEndpoint, timeoutMs = 1000): Promise<ShardMap> {
  let lastError: Error = new BusError('ERR_BUS_CONNECT', 'no Redis Cluster node to ask');
  for (const c of candidates) {
    const client = new Redis({ ...endpointOptions({ ...template, host: c.host, port: c.port }), lazyConnect: true, retryStrategy: () => null, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    client.on('error', () => {});
    try {
      await client.connect();
      const reply = (await client.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
      return parseSlots(reply, { ...template, host: c.host, port: c.port });
    } catch (err) {
      lastError = err as Error;
    } finally {
      client.disconnect();
    }
  }
  throw lastError;
}

/** CLUSTER SLOTS' answer as a ShardMap; `asked` is the node that answered (an empty host means it), with the credentials. */
export function parseSlots(reply: Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>, asked: RedisEndpoint): ShardMap {
  const template = asked;
  const bySlot = new Array<ShardMaster | undefined>(SLOTS);
  const seen = new Map<string, ShardMaster>();
  for (const [start, end, master] of reply) {
    const host = master[0] === '' ? template.host : String(master[0]);
    const port = Number(master[1]);
    const id = `${host}:${port}`;
    let m = seen.get(id);
    if (!m) seen.set(id, (m = { id, endpoint: { ...template, host, port } }));
    for (let s = Number(start); s <= Number(end) && s < SLOTS; s++) bySlot[s] = m;
  }
  return new ShardMap(bySlot);
}
