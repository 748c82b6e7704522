import { type WorkerCounters } from '../cluster-messages.ts';
import { type Family } from './exposition.ts';
import { type WorkerMetrics } from './worker-meters.ts';
/**
 * Every metric Switchyard exposes, built from the figures the master holds: per worker slot
 * (labels node, slot) and per node (label node). The README's "Metrics" table lists the same.
 */
/** One worker slot's figures: counters include the slot's earlier incarnations (they survive restarts). */
export interface SlotMetrics {
    slot: number;
    up: boolean;
    restarts: number;
    counters: WorkerCounters;
    metrics: WorkerMetrics;
}
/** One node's figures, as its master holds them (and publishes them when nodes share Redis). */
export interface NodeMetrics {
    node: number;
    /** Unix time the master started, in seconds. */
    startTime: number;
    accepted: number;
    handoffFailed: number;
    unavailable: number;
    /** TCP connections counted against maxConnection (handed to a worker, not closed yet). Absent from nodes that predate it (read as 0). */
    nodeConnections?: number;
    /** Connections the master did not let in, by reason (src/master/admission.ts). Absent from nodes that predate it (read as 0). */
    refused?: {
        maxConnection: number;
        perIp: number;
        rate: number;
        flood: number;
    };
    /** Absent from nodes that predate it (read as 0). */
    proxyHeaderFailed?: number;
    residentBytes: number;
    cpuSeconds: number;
    workers: SlotMetrics[];
}
export declare function emptyWorkerMetrics(): WorkerMetrics;
/** The cumulative parts of a + b (a dead incarnation's counters folded into its slot's); gauges are b's. */
export declare function addWorkerMetrics(a: WorkerMetrics, b: WorkerMetrics): WorkerMetrics;
/** The metric families of these nodes (sorted by node, then slot). */
export declare function metricFamilies(nodes: readonly NodeMetrics[]): Family[];
/** The exposition text of these nodes' metrics. */
export declare function renderMetrics(nodes: readonly NodeMetrics[]): string;
/** Whether a value read from Redis is a node's metrics as publishMetrics wrote them (a bad one is left out, never rendered). */
export declare function isNodeMetrics(v: unknown): v is NodeMetrics;
//# sourceMappingURL=catalogue.d.ts.map