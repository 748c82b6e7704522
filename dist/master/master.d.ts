import { type AddressInfo } from 'node:net';
import { type ClusterStats, type NodeStats } from '../shared/cluster-messages.ts';
import type { Config } from '../shared/config.ts';
import type { MasterHooks } from '../shared/dispatch-types.ts';
import { type Logger } from '../shared/logger.ts';
import { type SeqBlock } from '../shared/session-id.ts';
import { type NodeMetrics } from '../shared/metrics/catalogue.ts';
import { type Readiness } from './admin/admin-server.ts';
/** Where nodes publish their figures for each other (Redis, multi-node only). */
export interface PeerStats {
    publish(stats: NodeStats): Promise<void>;
    /** Every live node's last published figures. */
    read(): Promise<NodeStats[]>;
    /** The same for metrics (src/shared/metrics/): each node's per-worker figures. */
    publishMetrics(metrics: NodeMetrics): Promise<void>;
    readMetrics(): Promise<NodeMetrics[]>;
}
/**
 * The master: owns the listening socket (paused sockets, it never reads a byte), gives each
 * connection its fd and a worker, hands it over, supervises the workers and answers
 * cluster-wide stats. Exits 0 after a graceful shutdown.
 */
export declare class Master {
    private readonly config;
    private readonly log;
    private readonly hooks;
    private readonly pool;
    private readonly policy;
    private readonly fds;
    private readonly startTime;
    private readonly listener;
    private readonly counters;
    private readonly counterRequests;
    /** By slot. */
    private readonly meters;
    private nextRequest;
    private stopping;
    private readonly onStopped;
    private readonly nodeId;
    /** Other nodes' published figures (multi-node only). */
    private readonly peers;
    private publishTimer;
    /** The admin server (--admin-port), and the IPC path its session operations take to a worker. */
    private readonly admin;
    private readonly adminForwarder;
    /** Whether this node's Redis connection is up (multi-node only: /readyz reads it). */
    private readonly redisReady;
    private listening;
    constructor(config: Config, log: Logger, hooks: MasterHooks, opts: {
        nodeId: number;
        busDir: string;
        onStopped: () => void;
        peers?: PeerStats;
        seqBlock?: SeqBlock;
        nextSeqBlock?: () => Promise<SeqBlock>;
        redisReady?: () => boolean;
    });
    /** What /readyz answers: listening, every worker slot up, not shutting down, (with Redis) connected. */
    readiness(): Readiness;
    /** Redis lost this node's data: every worker re-writes its sessions and uids (see RedisSessionTable). */
    resyncWorkers(reason: string): void;
    /** Forks the workers, waits for them, then listens: the first client finds workers ready. */
    start(): Promise<AddressInfo>;
    /**
     * A new connection, as the raw TCP handle libuv accepted (node:cluster's round-robin does the
     * same): no net.Socket is built here, nothing is read, and the handle travels to the worker
     * as-is — no per-socket bookkeeping messages between master and worker.
     */
    private onHandle;
    private onWorkerMessage;
    /**
     * This node's figures, fresh from every worker; with several nodes, plus every other live
     * node's published figures and the cluster totals.
     */
    stats(): Promise<ClusterStats>;
    /**
     * The Prometheus text exposition (format 0.0.4) of the cluster: every worker slot of this
     * node, fresh (asked now, as for stats), and with several nodes every other live node's last
     * published figures (at most a second old), each labelled with its node and slot. `scope:
     * 'node'` leaves the other nodes out (for a Prometheus that scrapes every node).
     */
    metrics(scope?: 'cluster' | 'node'): Promise<string>;
    /** This node's metric figures from the workers' last reports (refreshCounters() makes them fresh). */
    private nodeMetrics;
    /** Asks every live worker for fresh counters and metrics (bounded wait: a silent one is not waited for longer). */
    private refreshCounters;
    /** Asks every live worker for fresh counters (bounded wait), then adds them up. */
    private nodeStats;
    /**
     * Graceful shutdown: stop accepting, every worker closes its clients with 1001 and waits up
     * to maxWaitTime for the closing handshakes, then exits; stragglers are killed.
     */
    shutdown(why: string): Promise<void>;
    private callHook;
    private callHookAsync;
}
//# sourceMappingURL=master.d.ts.map