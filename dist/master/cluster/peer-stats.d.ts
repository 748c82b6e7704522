import type { RedisCommands } from '../../shared/redis-target.ts';
import type { NodeStats } from '../../shared/cluster-messages.ts';
import { type NodeMetrics } from '../../shared/metrics/catalogue.ts';
import type { NodeRegistry } from './node-registry.ts';
import type { ClusterKeys } from '../../shared/redis-keys.ts';
import type { PeerStats } from '../master.ts';
/** Nodes publish their figures under P:stats:${node} (redis-keys.ts); stats() reads the live ones. */
export declare class RedisPeerStats implements PeerStats {
    private readonly redis;
    private readonly keys;
    private readonly registry;
    constructor(redis: RedisCommands, keys: ClusterKeys, registry: NodeRegistry);
    publish(stats: NodeStats): Promise<void>;
    read(): Promise<NodeStats[]>;
    /** Metrics travel beside the stats, under P:metrics:${node}, on the same beat and TTL. */
    publishMetrics(metrics: NodeMetrics): Promise<void>;
    /** Every live node's metrics; a value that is not what publishMetrics writes is left out. */
    readMetrics(): Promise<NodeMetrics[]>;
    private readLive;
}
//# sourceMappingURL=peer-stats.d.ts.map