import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';
import { type RedisTarget } from '../../shared/redis-target.ts';
import { type SeqBlock } from '../../shared/session-id.ts';
import { RedisPeerStats } from './peer-stats.ts';
/**
 * What a master needs to be one node of a multi-node cluster (loaded only with --redis):
 * a node id leased in Redis, session-id blocks leased per node id, the published stats, and the
 * periodic purge of dead nodes' sessions.
 */
export interface Membership {
    nodeId: number;
    seqBlock: SeqBlock;
    nextSeqBlock: () => Promise<SeqBlock>;
    peers: RedisPeerStats;
    /** Called (once) if another node takes our id. */
    set onLost(fn: (reason: string) => void);
    /** Called when Redis lost this node's data (lease re-claimed): the workers must re-write theirs. */
    set onRestored(fn: (reason: string) => void);
    leave(): Promise<void>;
    /** Whether this node's Redis connection is up now (the admin server's /readyz). */
    readonly redisReady: boolean;
    /** What --redis named: one Redis, or a Redis Cluster (detected or forced). */
    readonly target: RedisTarget;
}
export declare function joinCluster(config: Config & {
    redis: string;
}, log: Logger): Promise<Membership>;
//# sourceMappingURL=membership.d.ts.map