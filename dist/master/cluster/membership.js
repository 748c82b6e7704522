import { hostname } from 'node:os';
import { NodeRegistry } from './node-registry.js';
import { commandClient, resolveRedisTarget } from '../../shared/redis-target.js';
import { ClusterKeys } from '../../shared/redis-keys.js';
import { blockEndingAt, MAX_SLOTS, SEQ_BLOCK } from '../../shared/session-id.js';
import { RedisSessionTable } from '../../shared/session-table/redis-session-table.js';
import { RedisPeerStats } from './peer-stats.js';
/**
 * KEYS[1] the node's session-id counter; ARGV[1] block size; ARGV[2] the highest seq this node
 * ever leased. INCRBY, but never below our high-water mark plus a block: a counter Redis lost
 * (restart without persistence, flush, failover) would otherwise start again at 0 and lease
 * blocks of ids this node has already issued — fds that may still be live.
 */
const LEASE_BLOCK = `
local floor = tonumber(ARGV[2]) + tonumber(ARGV[1])
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if v < floor then redis.call('SET', KEYS[1], floor) return floor end
return v`;
/** KEYS[1] the counter; ARGV[1] our high-water mark: puts it back if Redis lost it (later holders of the id start above it). */
const ASSERT_HIGH_WATER = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
return 0`;
export async function joinCluster(config, log) {
    const target = await resolveRedisTarget(config.redis, config.redisCluster);
    if (target.cluster)
        log.info({ event: 'redis-cluster', seeds: target.seeds.map((s) => `${s.host}:${s.port}`) }, 'Redis Cluster: keys and bus channels partitioned by node, sharded pub/sub');
    const redis = commandClient(target, { lazyConnect: true });
    redis.on('error', (err) => log.warn({ err: err.message }, 'redis (node registry) error'));
    try {
        await redis.connect();
        const keys = ClusterKeys.forConfig(config, target.cluster);
        const registry = await NodeRegistry.join(redis, keys, { host: hostname(), pid: process.pid, workers: config.workers }, config.nodeTtlMs, { log });
        log.info({ event: 'node-joined', node: registry.id, cluster: keys.prefix }, 'joined the cluster');
        // Blocks of session ids, so a node id reused later never reissues an fd.
        const seqKey = keys.sessionSeq(registry.id);
        let highWater = 0;
        const nextSeqBlock = async () => {
            const block = blockEndingAt(Number(await redis.eval(LEASE_BLOCK, 1, seqKey, SEQ_BLOCK, highWater)));
            highWater = Math.max(highWater, block.last);
            return block;
        };
        const seqBlock = await nextSeqBlock();
        const assertHighWater = (why) => redis.eval(ASSERT_HIGH_WATER, 1, seqKey, highWater).then((put) => put === 1 && log.warn({ event: 'seq-restored', node: registry.id, highWater, why }, 'session-id counter was lost by Redis: put back to this node\'s high-water mark'), (err) => log.warn({ err: err.message }, 'could not check the session-id counter'));
        // Redis lost this node's data: counter first (no new holder of an id may start below it), then the workers.
        let onRestored = () => { };
        registry.onRestored = (reason) => {
            void assertHighWater(reason);
            onRestored(reason);
        };
        // Back from an outage: re-claim a lost lease at once rather than at the next tick (another
        // node joining meanwhile could take our id; the others hide and purge our sessions).
        let connectedBefore = true;
        redis.on('close', () => (connectedBefore = false));
        redis.on('ready', () => {
            if (connectedBefore)
                return;
            connectedBefore = true;
            void registry.refreshNow();
            void assertHighWater('reconnected to Redis');
        });
        // Sessions of dead nodes are hidden from reads at once and removed here; any node may do
        // it, it is idempotent. An earlier holder of this id may have had more workers than we do.
        const table = new RedisSessionTable({ redis, prefix: config.clusterName, hashTag: config.redisSharded, partitioned: target.cluster, isAlive: (n) => registry.isAlive(n), leaseKey: (n) => keys.node(n), log });
        for (let slot = config.workers; slot < MAX_SLOTS; slot++)
            await table.purgeWorker(registry.id, slot).catch(() => 0);
        const purger = setInterval(() => {
            table.purgeDeadNodes().then((nodes) => nodes.length > 0 && log.info({ event: 'dead-nodes-purged', nodes }, 'sessions of dead nodes purged'), (err) => log.warn({ err: err.message }, 'dead-node purge failed'));
        }, Math.max(500, Math.floor(config.nodeTtlMs / 2)));
        purger.unref();
        return {
            nodeId: registry.id,
            seqBlock,
            nextSeqBlock,
            peers: new RedisPeerStats(redis, keys, registry),
            set onLost(fn) {
                registry.onLost = fn;
            },
            set onRestored(fn) {
                onRestored = fn;
            },
            get redisReady() {
                return redis.status === 'ready';
            },
            target,
            async leave() {
                clearInterval(purger);
                await registry.leave().catch(() => { });
                redis.disconnect();
            },
        };
    }
    catch (err) {
        redis.disconnect();
        throw err;
    }
}
//# sourceMappingURL=membership.js.map