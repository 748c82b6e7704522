import { type ClusterStats } from '../shared/cluster-messages.ts';
import type { LocalCounters } from './local-connections.ts';
import type { LocalStats } from './app-contract.ts';
/** A worker's counters, all at zero. */
export declare function newCounters(): LocalCounters;
/** A single-process server's stats(): the cluster figures of a cluster of one, from its own counters. */
export declare function singleProcessStats(l: LocalStats, self: {
    up: boolean;
    startTime: number;
    node: number;
}): ClusterStats;
//# sourceMappingURL=worker-stats.d.ts.map