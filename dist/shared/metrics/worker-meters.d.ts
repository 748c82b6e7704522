import { Histogram, type HistogramData } from './histogram.ts';
/**
 * A worker's metric counters beyond its stats counters (cluster-messages.ts WorkerCounters):
 * plain numbers and fixed arrays on one object the worker already holds, incremented where
 * things happen. Labelled counters are arrays indexed through small lookup tables, so that a
 * label never costs a Map lookup or an object: the label sets are bounded (a status or a close
 * code outside the known ones counts as "other").
 */
/** Statuses a handshake is answered with, each its own label value; anything else is "other". */
export declare const HANDSHAKE_STATUSES: readonly [101, 400, 401, 403, 404, 405, 408, 409, 410, 413, 414, 426, 429, 431, 500, 501, 503, 505];
/** Close codes with a label value of their own (RFC 6455 §7.4.1 and the IANA registry's 1012-1015); the rest are "other". */
export declare const CLOSE_CODES: readonly [1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015];
export declare const PUSH_STATUSES: readonly ['written', 'queued', 'dropped', 'closed', 'unknown'];
export type LocalPushStatus = (typeof PUSH_STATUSES)[number];
/** The buses a worker sends on: index 0 the embedded (same node), 1 Redis (other nodes). */
export declare const BUS_TRANSPORTS: readonly ['embedded', 'redis'];
export declare const BUS_FAILURES: readonly ['congested', 'unreachable', 'timeout'];
/** What the Redis Cluster bus's sequence numbers revealed (bus/stream-order.ts): arrivals after a gap, the messages the gaps skipped, duplicates and late ones (both dropped). */
export declare const BUS_SEQUENCE_EVENTS: readonly ['gap', 'lost', 'duplicate', 'reordered'];
/** From the socket's arrival at the worker to its 101 (the app's handshake hook included). */
export declare const HANDSHAKE_SECONDS: readonly [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A bus request to its reply (pushAsync, getClientInfo, ...). */
export declare const BUS_CALL_SECONDS: readonly [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** The array slot of a handshake status (the last slot: "other"). */
export declare function statusSlot(status: number): number;
/** The array slot of a close code (the last slot: "other"). */
export declare function closeCodeSlot(code: number): number;
/** One bus transport's counters in one worker. */
export declare class TransportMeters {
    /** Messages handed to the bus (a broadcast counts once). */
    sent: number;
    /** Messages the bus delivered to this worker. */
    received: number;
    /** By BUS_FAILURES: refused for the bus's budget, no transport to the peer, a request unanswered in busTimeoutMs. */
    readonly failed: number[];
    readonly callSeconds: Histogram;
}
/** Something whose output is backed up: a connection over its high watermark. */
export interface QueuedOutput {
    readonly bufferedAmount: number;
}
/** A worker's metrics as data (IPC to the master, JSON in Redis). Counters only grow over a worker's life. */
export interface WorkerMetrics {
    /** By statusSlot(). */
    handshakes: number[];
    handshakeSeconds: HistogramData;
    /** By closeCodeSlot(): closes the client began (its code; 1005 an empty close frame, 1006 TCP dropped without one). */
    closesReceived: number[];
    /** By closeCodeSlot(): closes the server began (1006: closed without a close frame). */
    closesSent: number[];
    /** Pushes to this worker's own fds, by PUSH_STATUSES. */
    localPushes: number[];
    /** By BUS_TRANSPORTS. */
    bus: Array<{
        sent: number;
        received: number;
        failed: number[];
        callSeconds: HistogramData;
    }>;
    /** Gauges: connections whose output is over the high watermark, and the bytes they hold. */
    slowConsumers: number;
    slowConsumerBytes: number;
    /** Redis bus messages dropped for want of a valid MAC (--bus-secret; RedisBus.stats().unauthenticated). */
    busRejected: number;
    /** By BUS_SEQUENCE_EVENTS (Redis Cluster bus only; zeros elsewhere). */
    busSequence: number[];
    /** Gauges of the process. */
    residentBytes: number;
    cpuSeconds: number;
}
export declare class WorkerMeters {
    readonly handshakes: number[];
    readonly handshakeSeconds: Histogram;
    readonly closesReceived: number[];
    readonly closesSent: number[];
    /** Keyed by status: `localPushes[status]++` where the status is already in hand. */
    readonly localPushes: Record<LocalPushStatus, number>;
    readonly embedded: TransportMeters;
    readonly redis: TransportMeters;
    /**
     * Connections over their high watermark, entered and left on those transitions (never per
     * message): a scrape adds up their queues without visiting the other connections.
     */
    readonly slow: Set<QueuedOutput>;
    /** A handshake answered with `status` (101: established). */
    answered(status: number): void;
    /** A connection closed: its code, on the side that began the close. */
    closed(code: number, closedBy: 'client' | 'server'): void;
    snapshot(proc: {
        residentBytes: number;
        cpuSeconds: number;
        busRejected: number;
        busSequence?: number[];
    }): WorkerMetrics;
}
//# sourceMappingURL=worker-meters.d.ts.map