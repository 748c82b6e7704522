import { RedisBus } from '../shared/bus/redis-bus.js';
import { RedisClusterBus } from '../shared/bus/redis-cluster-bus.js';
import { ClusterKeys } from '../shared/redis-keys.js';
import { commandClient, resolveRedisTarget } from '../shared/redis-target.js';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.js';
/** A worker's Redis pieces (multi-node only): the bus to other nodes, the session table, and
 * whether a node is alive (its lease exists: the session table's check, NodeLiveness's too).
 * A Redis Cluster is detected here as the master detects it (redis-target.ts). */
export async function openRedisParts(config, self, log) {
    const target = await resolveRedisTarget(config.redis, config.redisCluster);
    const common = { self, prefix: config.clusterName, log, maxPendingBytes: config.redisBusMaxPendingBytes, secret: config.busSecret };
    const bus = target.cluster ? new RedisClusterBus({ ...common, seeds: target.seeds }) : new RedisBus({ ...common, url: config.redis, sharded: config.redisSharded });
    // The session table has its own connection; a node is alive while its registry lease exists.
    const client = commandClient(target, { lazyConnect: true, enableOfflineQueue: false });
    client.on('error', (err) => log.debug({ err: err.message }, 'session table connection error'));
    await client.connect().catch((err) => log.error({ err: err.message }, 'session table: Redis not reachable yet'));
    const keys = ClusterKeys.forConfig(config, target.cluster);
    const nodeAlive = async (node) => (await client.exists(keys.node(node))) === 1;
    const sessions = new RedisSessionTable({
        redis: client,
        prefix: config.clusterName,
        hashTag: config.redisSharded,
        partitioned: target.cluster,
        ownsClient: true,
        log,
        isAlive: nodeAlive,
    });
    return { bus, sessions, nodeAlive };
}
//# sourceMappingURL=worker-redis.js.map