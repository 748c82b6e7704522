import type { Redis } from 'ioredis';
import type { NodeStats } from '../shared/cluster-messages.ts';
import type { NodeRegistry } from '../shared/bus/node-registry.ts';
import type { PeerStats } from './master.ts';
/** Nodes publish their figures under `${prefix}:stats:${node}`; stats() reads the live ones. */
export declare class RedisPeerStats implements PeerStats {
    private readonly redis;
    private readonly prefix;
    private readonly registry;
    constructor(redis: Redis, prefix: string, registry: NodeRegistry);
    publish(stats: NodeStats): Promise<void>;
    read(): Promise<NodeStats[]>;
}
//# sourceMappingURL=peer-stats.d.ts.map