import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { NodeRegistry } from '../shared/bus/node-registry.js';
import { redisKeyPrefix } from '../shared/config.js';
import { blockEndingAt, MAX_SLOTS, SEQ_BLOCK } from '../shared/session-id.js';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.js';
import { RedisPeerStats } from './peer-stats.js';
export async function joinCluster(config, log) {
    const redis = new Redis(config.redis, { lazyConnect: true, maxRetriesPerRequest: 2 });
    redis.on('error', (err) => log.warn({ err: err.message }, 'redis (node registry) error'));
    try {
        await redis.connect();
        const prefix = redisKeyPrefix(config);
        const registry = await NodeRegistry.join(redis, prefix, { host: hostname(), pid: process.pid, workers: config.workers }, config.nodeTtlMs, { log });
        log.info({ event: 'node-joined', node: registry.id, cluster: prefix }, 'joined the cluster');
        // Blocks of session ids, so a node id reused later never reissues an fd.
        const seqKey = `${prefix}:seq:${registry.id}`;
        const nextSeqBlock = async () => blockEndingAt(await redis.incrby(seqKey, SEQ_BLOCK));
        const seqBlock = await nextSeqBlock();
        // Sessions of dead nodes are hidden from reads at once and removed here; any node may do
        // it, it is idempotent. An earlier holder of this id may have had more workers than we do.
        const table = new RedisSessionTable({ redis, prefix: config.clusterName, hashTag: config.redisSharded, isAlive: (n) => registry.isAlive(n), log });
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
            peers: new RedisPeerStats(redis, prefix, registry),
            set onLost(fn) {
                registry.onLost = fn;
            },
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
//# sourceMappingURL=cluster-membership.js.map