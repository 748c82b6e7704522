import { RedisBus } from '../shared/bus/redis-bus.ts';
import type { WorkerAddress } from '../shared/bus/types.ts';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { RedisSessionTable } from '../shared/session-table/redis-session-table.ts';
/** A worker's Redis pieces (multi-node only): the bus to other nodes and the session table. */
export declare function openRedisParts(config: Config & {
    redis: string;
}, self: WorkerAddress, log: Logger): Promise<{
    bus: RedisBus;
    sessions: RedisSessionTable;
}>;
//# sourceMappingURL=worker-redis.d.ts.map