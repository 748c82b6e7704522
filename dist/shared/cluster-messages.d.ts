import type { WorkerMetrics } from './metrics/worker-meters.ts';
/**
 * The messages master and workers exchange over node:cluster IPC (advanced serialization).
 * Kept small and typed: every `t` is handled by exactly one switch on each side.
 */
import type { AdminAnswer, AdminRequest } from './admin/admin-api.ts';
/**
 * Pushes to other workers' fds: the sender counts what it handed to a bus (forwarded) or could
 * not (congested: over the bus's budget; unreachable: no transport); the owner counts what
 * became of them (fire-and-forget outcomes).
 */
export interface PushCounters {
    pushesForwarded: number;
    pushesCongested: number;
    pushesUnreachable: number;
    remotePushWritten: number;
    remotePushQueued: number;
    remotePushDropped: number;
    remotePushClosed: number;
    remotePushUnknown: number;
}
export declare const EMPTY_PUSH_COUNTERS: Readonly<PushCounters>;
/** Which counter a remote push's outcome goes to. */
export declare const REMOTE_OUTCOME: {
    readonly written: 'remotePushWritten';
    readonly queued: 'remotePushQueued';
    readonly dropped: 'remotePushDropped';
    readonly closed: 'remotePushClosed';
    readonly unknown: 'remotePushUnknown';
};
/** One worker's counters, as it reports them. */
/** Counters that only grow, kept by workers and added up by the master (and over nodes). */
export interface CumulativeCounters extends PushCounters {
    accepted: number;
    handshakes: number;
    refused: number;
    closed: number;
    aborted: number;
    /** Sockets that arrived at a worker without their handle (closed in transit). */
    missing: number;
    /** Hand-off records a worker rejected (failed their check): their sockets were closed. */
    handoffRejected: number;
    messagesIn: number;
    messagesOut: number;
    bytesIn: number;
    bytesOut: number;
}
export interface WorkerCounters extends CumulativeCounters {
    connections: number;
    pendingHandshakes: number;
    /** Hand-offs this incarnation received (lets the master correct its estimate). */
    received: number;
    /** Event-loop delay p50 over the last report window, in ms. */
    lagMs: number;
}
/** What a reload did to one slot (the old worker's count; the master adds the slot and pids). */
export interface SlotMoveReport {
    moved: number;
    /** Connections that could not move: why, and the close code they got. */
    failed: Array<{
        fd: number;
        why: string;
        closed: number;
    }>;
    /** Wall time of the move in the old worker (ms), and its CPU time (µs). */
    ms: number;
    cpuUs: number;
    /** The new worker's side (the master adds it from `adopted`): wall time from the first record
     * to the last connection adopted (ms), and its CPU time over that window (µs). */
    adoptMs?: number;
    adoptCpuUs?: number;
}
/** A worker started as a reload's replacement finds the move link's path here. */
export declare const ENV_MOVE_PATH = "SWITCHYARD_MOVE_PATH";
export type MasterToWorker = {
    t: 'shutdown';
}
/** A reload: hand every connection to the replacement listening at `path`, then exit. */
 | {
    t: 'move-out';
    path: string;
}
/** A drain: refuse new connections (503) and close the established ones with 1012, evenly over `ms`. */
 | {
    t: 'drain';
    ms: number;
}
/** Redis lost this node's data (its lease had vanished): re-write your sessions and uids. */
 | {
    t: 'resync';
    reason: string;
} | {
    t: 'counters?';
    id: number;
}
/** SIGHUP: read the TLS files again (a bad file keeps the current certificate). */
 | {
    t: 'tls-reload';
} | {
    t: 'stats';
    id: number;
    stats: ClusterStats;
}
/** An admin API request for this worker to run (src/worker/admin-ops.ts); answered with `admin`. */
 | {
    t: 'admin';
    id: number;
    request: AdminRequest;
};
export type WorkerToMaster = {
    t: 'ready';
}
/** The worker could not start (the app did not load, workerStart threw): why. */
 | {
    t: 'start-failed';
    error: string;
}
/** A reload's old worker handed its connections over (see move-out). */
 | {
    t: 'moved';
    report: SlotMoveReport;
}
/** A reload's new worker adopted its predecessor's connections: how many, wall (ms) and CPU (µs) time. */
 | {
    t: 'adopted';
    moved: number;
    ms: number;
    cpuUs: number;
}
/** The app called server.reload() in a worker. */
 | {
    t: 'reload?';
}
/** The app called server.drain(seconds) in a worker. */
 | {
    t: 'drain?';
    seconds: number;
}
/** Every 250 ms; `metrics` lets the master keep a dead worker's last figures (metrics.ts). */
 | {
    t: 'load';
    counters: WorkerCounters;
    metrics: WorkerMetrics; /** Multi-node: its Redis bus and session table connected. */
    redis?: boolean;
} | {
    t: 'counters';
    id: number;
    counters: WorkerCounters;
    metrics: WorkerMetrics;
} | {
    t: 'stats?';
    id: number;
} | {
    t: 'shutdown?';
} | {
    t: 'admin';
    id: number;
    answer: AdminAnswer;
}
/** Handed-over sockets that closed (any state: HTTP, refused, WebSocket), batched per event-loop turn: the master's connection limits count them no more. */
 | {
    t: 'released';
    fds: number[];
};
export interface WorkerStats {
    id: number;
    pid: number;
    up: boolean;
    connections: number;
    pendingHandshakes: number;
    restarts: number;
    lagMs: number;
    messagesIn: number;
    messagesOut: number;
}
/** What server.stats() returns, from any worker: figures for the whole cluster. */
export interface ClusterStats extends CumulativeCounters {
    workers: WorkerStats[];
    connections: number;
    /** Hand-offs that failed (worker died or the socket closed while in transit). */
    handoffFailed: number;
    /** Connections refused by the master because no worker was up. */
    unavailable: number;
    /** TCP connections the master counts against maxConnection: handed to a worker, not yet closed. */
    nodeConnections: number;
    /** Refused by the master with 503: maxConnection reached. */
    refusedMaxConnection: number;
    /** Refused by the master with 429: the address holds maxConnectionsPerIp. */
    refusedPerIp: number;
    /** Refused by the master with 429: the address is over connectionRateLimit. */
    refusedRate: number;
    /** Closed by the master unanswered: an address refused more than 10 times in a row, or more than 512 refusals in flight. */
    refusedFlood: number;
    /** Client addresses whose rate state the master keeps (at most maxTrackedAddresses; not summed over nodes). */
    trackedAddresses: number;
    /** Connections from a trustProxy source closed for a missing, malformed, late or oversized PROXY header (proxyProtocol). */
    proxyHeaderFailed: number;
    dispatchMode: string;
    workerRestarts: number;
    uptime: number;
    /** This node's id (0 on a single host). */
    node: number;
    /**
     * With several nodes (Redis): every live node's own figures, this one included. The totals
     * (connections, accepted, closed, messages, bytes, ...) are then the sums over nodes;
     * `workers` stays this node's. `accepted` counts what the masters accepted.
     */
    nodes?: NodeStats[];
}
/** One node's figures as it publishes them to Redis (every second, kept 10 s). */
export type NodeStats = Omit<ClusterStats, 'nodes'>;
/** The cluster totals that add up over nodes. */
export declare const SUMMED_FIELDS: readonly ['pushesForwarded', 'pushesCongested', 'pushesUnreachable', 'remotePushWritten', 'remotePushQueued', 'remotePushDropped', 'remotePushClosed', 'remotePushUnknown', 'connections', 'accepted', 'handshakes', 'refused', 'closed', 'aborted', 'missing', 'handoffRejected', 'handoffFailed', 'unavailable', 'proxyHeaderFailed', 'nodeConnections', 'refusedMaxConnection', 'refusedPerIp', 'refusedRate', 'refusedFlood', 'messagesIn', 'messagesOut', 'bytesIn', 'bytesOut', 'workerRestarts'];
export declare const EMPTY_COUNTERS: Readonly<WorkerCounters>;
/** A worker's counters that only grow: they outlive the worker in the master's totals. */
export declare const CUMULATIVE_FIELDS: readonly ["accepted", "handshakes", "refused", "closed", "aborted", "missing", "handoffRejected", "messagesIn", "messagesOut", "bytesIn", "bytesOut", ...(keyof PushCounters)[]];
/** Environment variables the master sets for each worker. */
export declare const ENV_SLOT = "SWITCHYARD_WORKER_SLOT";
export declare const ENV_NODE = "SWITCHYARD_NODE_ID";
/** Directory of the embedded bus's Unix sockets (one per node, made by the master). */
export declare const ENV_BUS_DIR = "SWITCHYARD_BUS_DIR";
/** The worker's generation of its slot: a number the master makes larger at every fork, so a
 * reload's replacement is newer than the worker it replaces (the embedded bus orders by it). */
export declare const ENV_GENERATION = "SWITCHYARD_GENERATION";
/** How long a reload gives the old worker to move out and exit before it is killed (ms): its
 * closing handshakes (maxWaitTime), the 1012 closes of what could not move, and 15 s for the move. */
export declare function reloadMoveTimeoutMs(config: {
    maxWaitTime: number;
    closeTimeoutMs: number;
}): number;
//# sourceMappingURL=cluster-messages.d.ts.map