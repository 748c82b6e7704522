import { Redis } from 'ioredis';
import { RedisBus } from '../shared/bus/redis-bus.js';
import { SETTLE_ON_CLOSE } from '../shared/redis-health.js';
import { ClusterKeys } from '../shared/redis-keys.js';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.js';
/** A worker's Redis pieces (multi-node only): the bus to other nodes, the session table, and
 * whether a node is alive (its lease exists: the session table's check, NodeLiveness's too). */
export async function openRedisParts(config, self, log) {
    const bus = new RedisBus({ self, url: config.redis, prefix: config.clusterName, log, sharded: config.redisSharded, maxPendingBytes: config.redisBusMaxPendingBytes, secret: config.busSecret });
    // The session table has its own connection; a node is alive while its registry lease exists.
    const client = new Redis(config.redis, { ...SETTLE_ON_CLOSE, lazyConnect: true, enableOfflineQueue: false });
    client.on('error', (err) => log.debug({ err: err.message }, 'session table connection error'));
    await client.connect().catch((err) => log.error({ err: err.message }, 'session table: Redis not reachable yet'));
    const keys = ClusterKeys.forConfig(config);
    const nodeAlive = async (node) => (await client.exists(keys.node(node))) === 1;
    const sessions = new RedisSessionTable({
        redis: client,
        prefix: config.clusterName,
        hashTag: config.redisSharded,
        ownsClient: true,
        log,
        isAlive: nodeAlive,
    });
    return { bus, sessions, nodeAlive };
}
//# sourceMappingURL=worker-redis.js.map