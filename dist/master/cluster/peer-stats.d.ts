import type { Redis } from 'ioredis';
import type { NodeStats } from '../../shared/cluster-messages.ts';
import type { NodeRegistry } from './node-registry.ts';
import type { ClusterKeys } from '../../shared/redis-keys.ts';
import type { PeerStats } from '../master.ts';
/** Nodes publish their figures under P:stats:${node} (redis-keys.ts); stats() reads the live ones. */
export declare class RedisPeerStats implements PeerStats {
    private readonly redis;
    private readonly keys;
    private readonly registry;
    constructor(redis: Redis, keys: ClusterKeys, registry: NodeRegistry);
    publish(stats: NodeStats): Promise<void>;
    read(): Promise<NodeStats[]>;
}
//# sourceMappingURL=peer-stats.d.ts.map