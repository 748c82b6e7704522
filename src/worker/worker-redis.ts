import { RedisBus, type RedisBusStats } from '../shared/bus/redis-bus.ts';
import { RedisClusterBus } from '../shared/bus/redis-cluster-bus.ts';
import type { Bus, WorkerAddress } from '../shared/bus/types.ts';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { ClusterKeys } from '../shared/redis-keys.ts';
import { commandClient, resolveRedisTarget } from '../shared/redis-target.ts';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.ts';

/** The bus to other nodes: pub/sub on one Redis (RedisBus), or sharded pub/sub on a Redis Cluster (RedisClusterBus). */
export type InterNodeBus = Bus & { readonly ready: boolean; readonly broadcastsInOrder: boolean; stats(): RedisBusStats; flushed(): Promise<void> };

/** A worker's Redis pieces (multi-node only): the bus to other nodes, the session table, and
 * whether a node is alive (its lease exists: the session table's check, NodeLiveness's too).
 * A Redis Cluster is detected here as the master detects it (redis-target.ts). */
export async function openRedisParts(config: Config & { redis: string }, self: WorkerAddress, log: Logger): Promise<{ bus: InterNodeBus; sessions: RedisSessionTable; nodeAlive: (node: number) => Promise<boolean> }> {
  const target = await resolveRedisTarget(config.redis, config.redisCluster);
  const common = { self, prefix: config.clusterName, log, maxPendingBytes: config.redisBusMaxPendingBytes, secret: config.busSecret };
  const bus: InterNodeBus = target.cluster ? new RedisClusterBus({ ...common, seeds: target.seeds }) : new RedisBus({ ...common, url: config.redis, sharded: config.redisSharded });
  // The session table has its own connection; a node is alive while its registry lease exists.
  const client = commandClient(target, { lazyConnect: true, enableOfflineQueue: false });
  client.on('error', (err: Error) => log.debug({ err: err.message }, 'session table connection error'));
  await client.connect().catch((err: Error) => log.error({ err: err.message }, 'session table: Redis not reachable yet'));
  const keys = ClusterKeys.forConfig(config, target.cluster);
  const nodeAlive = async (node: number): Promise<boolean> => (await client.exists(keys.node(node))) === 1;
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
