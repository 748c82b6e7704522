import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { ClusterError } from '../../shared/errors.js';
import { SETTINGS } from '../../shared/config-table.js';
import { ClusterKeys } from '../../shared/redis-keys.js';
import { MAX_NODES } from '../../shared/session-id.js';
/** KEYS[1] lease, KEYS[2] the id index; ARGV[1] our value; ARGV[2] ttl ms; ARGV[3] our id. 1 = refreshed, 2 = re-claimed, 0 = taken. */
const REFRESH = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) redis.call('SADD', KEYS[2], ARGV[3]) return 2 end
return 0`;
/** KEYS[1] the id index; ARGV[1] the lease key prefix (P:node:). -> {id, lease value, ...} of
 * the ids whose lease exists; the others leave the index. */
const LIVE = `
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local v = redis.call('GET', ARGV[1] .. id)
  if v then out[#out + 1] = id out[#out + 1] = v else redis.call('SREM', KEYS[1], id) end
end
return out`;
/** KEYS[1] lease; ARGV[1] our value. Deletes the lease only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
export const MIN_TTL_MS = 300; // below this a refresh every ttl/3 races ordinary Redis latency
export class NodeRegistry {
    id;
    ttlMs;
    /** Called once if another node took our id (see the class comment). */
    onLost = null;
    /** Called each time the lease had vanished and was re-claimed: Redis lost this node's data. */
    onRestored = null;
    redis;
    keys;
    value;
    log;
    timer = null;
    refreshing = false;
    failing = false;
    constructor(redis, keys, id, value, ttlMs, log) {
        this.redis = redis;
        this.keys = keys;
        this.id = id;
        this.value = value;
        this.ttlMs = ttlMs;
        this.log = log;
    }
    /** Leases a free node id and starts keeping it alive. Throws if all 4096 ids are taken.
     * `prefix`: the cluster's key prefix, hash tag included (ClusterKeys.prefix). */
    static async join(redis, prefix, info, ttlMs = SETTINGS.nodeTtlMs.default, options = {}) {
        if (!Number.isInteger(ttlMs) || ttlMs < MIN_TTL_MS)
            throw new RangeError(`node lease ttl must be an integer >= ${MIN_TTL_MS} ms: ${ttlMs}`);
        const log = options.log ?? pino({ level: 'silent' });
        const value = JSON.stringify({ token: randomUUID(), info });
        const keys = typeof prefix === 'string' ? new ClusterKeys(prefix) : prefix;
        for (let tries = 0; tries < MAX_NODES; tries++) {
            const id = (await redis.incr(keys.nodeSeq)) % MAX_NODES;
            const ok = await redis.set(keys.node(id), value, 'PX', ttlMs, 'NX');
            if (ok === 'OK') {
                await redis.sadd(keys.nodeIds, id);
                const registry = new NodeRegistry(redis, keys, id, value, ttlMs, log.child({ node: id }));
                registry.startKeepAlive();
                registry.log.info({ ttlMs, tries: tries + 1 }, 'node id leased');
                return registry;
            }
        }
        throw new ClusterError('ERR_NODE_IDS_EXHAUSTED', `no free node id under "${keys.prefix}": all ${MAX_NODES} ids are leased by live nodes`);
    }
    /** Every node holding a lease now (ours included), by id. */
    async liveNodes() {
        if (!this.keys.partitioned)
            return this.scanLiveNodes();
        const flat = (await this.redis.eval(LIVE, 1, this.keys.nodeIds, this.keys.node(0).slice(0, -1)));
        const nodes = [];
        for (let i = 0; i < flat.length; i += 2) {
            const id = Number(flat[i]);
            const info = parseInfo(flat[i + 1] ?? null);
            if (Number.isInteger(id) && info)
                nodes.push({ id, info });
        }
        return nodes.sort((a, b) => a.id - b.id);
    }
    /** One Redis: every lease key, found by SCAN (also leases the index does not list). */
    async scanLiveNodes() {
        const keys = [];
        const match = this.keys.nodePattern;
        let cursor = '0';
        do {
            const [next, batch] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
            cursor = next;
            keys.push(...batch);
        } while (cursor !== '0');
        if (keys.length === 0)
            return [];
        const values = await this.redis.mget(...keys);
        const nodes = [];
        keys.forEach((key, i) => {
            const id = this.keys.nodeIdOf(key);
            const info = parseInfo(values[i] ?? null);
            if (Number.isInteger(id) && info)
                nodes.push({ id, info });
        });
        return nodes.sort((a, b) => a.id - b.id);
    }
    /** Refreshes (or re-claims) the lease now rather than at the next tick: after a reconnect,
     * the sooner a lost lease is back, the shorter this node looks dead to the others. */
    refreshNow() {
        return this.refresh();
    }
    async isAlive(id) {
        return (await this.redis.exists(this.keys.node(id))) === 1;
    }
    /** Stops the keep-alive and frees the id at once (if it is still ours). */
    async leave() {
        if (this.stopKeepAlive()) {
            await this.redis.eval(RELEASE, 1, this.keys.node(this.id), this.value);
            this.log.info('node id released');
        }
    }
    startKeepAlive() {
        this.timer = setInterval(() => void this.refresh(), Math.floor(this.ttlMs / 3));
        this.timer.unref();
    }
    /** True if it was running. */
    stopKeepAlive() {
        if (!this.timer)
            return false;
        clearInterval(this.timer);
        this.timer = null;
        return true;
    }
    async refresh() {
        if (this.refreshing)
            return; // a refresh stuck behind an outage: do not pile up more
        this.refreshing = true;
        try {
            const result = await this.redis.eval(REFRESH, 2, this.keys.node(this.id), this.keys.nodeIds, this.value, this.ttlMs, this.id);
            if (this.failing)
                this.log.info('node lease refresh works again');
            this.failing = false;
            if (!this.timer)
                return; // left meanwhile
            if (result === 2) {
                this.log.error({ key: this.keys.node(this.id) }, 'node lease had vanished (Redis lost its data, or the lease expired during an outage or a pause): re-claimed the same id');
                this.onRestored?.('the node lease had vanished from Redis');
            }
            else if (result === 0) {
                this.stopKeepAlive();
                const reason = `node id ${this.id} is now leased by another node`;
                this.log.fatal({ key: this.keys.node(this.id) }, `${reason}: this node must stop using it`);
                this.onLost?.(reason);
            }
        }
        catch (err) {
            // Logged once per outage; the lease lives on for ttl and the next refresh retries.
            if (!this.failing)
                this.log.warn({ err }, 'node lease refresh failed');
            this.failing = true;
        }
        finally {
            this.refreshing = false;
        }
    }
}
function parseInfo(raw) {
    if (raw === null)
        return null;
    try {
        const parsed = JSON.parse(raw);
        return parsed.info && typeof parsed.info === 'object' ? parsed.info : null;
    }
    catch {
        return null; // not a lease we wrote: skip it rather than fail the listing
    }
}
//# sourceMappingURL=node-registry.js.map