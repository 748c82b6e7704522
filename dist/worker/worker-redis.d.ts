import { RedisBus } from '../shared/bus/redis-bus.ts';
import type { WorkerAddress } from '../shared/bus/types.ts';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.ts';
/** A worker's Redis pieces (multi-node only): the bus to other nodes, the session table, and
 * whether a node is alive (its lease exists: the session table's check, NodeLiveness's too). */
export declare function openRedisParts(config: Config & {
    redis: string;
}, self: WorkerAddress, log: Logger): Promise<{
    bus: RedisBus;
    sessions: RedisSessionTable;
    nodeAlive: (node: number) => Promise<boolean>;
}>;
//# sourceMappingURL=worker-redis.d.ts.map