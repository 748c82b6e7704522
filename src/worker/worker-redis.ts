import { Redis } from 'ioredis';
import { RedisBus } from '../shared/bus/redis-bus.ts';
import type { WorkerAddress } from '../shared/bus/types.ts';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { SETTLE_ON_CLOSE } from '../shared/redis-health.ts';
import { ClusterKeys } from '../shared/redis-keys.ts';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.ts';

/** A worker's Redis pieces (multi-node only): the bus to other nodes, the session table, and
 * whether a node is alive (its lease exists: the session table's check, NodeLiveness's too). */
export async function openRedisParts(config: Config & { redis: string }, self: WorkerAddress, log: Logger): Promise<{ bus: RedisBus; sessions: RedisSessionTable; nodeAlive: (node: number) => Promise<boolean> }> {
  const bus = new RedisBus({ self, url: config.redis, prefix: config.clusterName, log, sharded: config.redisSharded, maxPendingBytes: config.redisBusMaxPendingBytes, secret: config.busSecret });
  // The session table has its own connection; a node is alive while its registry lease exists.
  const client = new Redis(config.redis, { ...SETTLE_ON_CLOSE, lazyConnect: true, enableOfflineQueue: false });
  client.on('error', (err: Error) => log.debug({ err: err.message }, 'session table connection error'));
  await client.connect().catch((err: Error) => log.error({ err: err.message }, 'session table: Redis not reachable yet'));
  const keys = ClusterKeys.forConfig(config);
  const nodeAlive = async (node: number): Promise<boolean> => (await client.exists(keys.node(node))) === 1;
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
