import { type RedisBusStats } from '../shared/bus/redis-bus.ts';
import type { Bus, WorkerAddress } from '../shared/bus/types.ts';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.ts';
/** The bus to other nodes: pub/sub on one Redis (RedisBus), or sharded pub/sub on a Redis Cluster (RedisClusterBus). */
export type InterNodeBus = Bus & {
    readonly ready: boolean;
    readonly broadcastsInOrder: boolean;
    stats(): RedisBusStats;
    flushed(): Promise<void>;
};
/** A worker's Redis pieces (multi-node only): the bus to other nodes, the session table, and
 * whether a node is alive (its lease exists: the session table's check, NodeLiveness's too).
 * A Redis Cluster is detected here as the master detects it (redis-target.ts). */
export declare function openRedisParts(config: Config & {
    redis: string;
}, self: WorkerAddress, log: Logger): Promise<{
    bus: InterNodeBus;
    sessions: RedisSessionTable;
    nodeAlive: (node: number) => Promise<boolean>;
}>;
//# sourceMappingURL=worker-redis.d.ts.map