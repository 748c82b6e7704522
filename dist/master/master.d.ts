import { type AddressInfo } from 'node:net';
import { type ClusterStats, type NodeStats } from '../shared/cluster-messages.ts';
import type { Config } from '../shared/config.ts';
import type { MasterHooks } from '../shared/dispatch-types.ts';
import { type Logger } from '../shared/logger.ts';
import { type SeqBlock } from '../shared/session-id.ts';
import { type NodeMetrics } from '../shared/metrics/catalogue.ts';
import { type Readiness } from './admin/admin-server.ts';
/** What a reload did: per slot, the connections moved, the time taken, and any that could not move (closed, and why). */
export interface ReloadReport {
    ms: number;
    slots: Array<{
        slot: number;
        oldPid: number;
        newPid: number;
        moved: number;
        failed: Array<{
            fd: number;
            why: string;
            closed: number;
        }>;
        ms: number;
        cpuUs: number;
        adoptMs?: number;
        adoptCpuUs?: number;
    }>;
}
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
 * The master: owns the listening socket (paused sockets, it never reads a byte but a trusted
 * proxy's PROXY header: proxy-header-reader.ts), gives each
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
    /** Sources whose PROXY headers are believed (config.trustProxy). */
    private readonly trustProxy;
    private readonly counterRequests;
    /** The node's connection limits (maxConnection, per address, rate), before dispatch. */
    private readonly admission;
    /** What each worker holds of the admitted connections, to release them when it reports or dies. */
    private readonly ledger;
    private readonly refusals;
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
    private readonly busDir;
    private reloading;
    /** Set by drain(): readiness 503, new connections refused with 503. */
    private draining;
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
    /** SIGHUP: every worker reads the TLS files again (each logs the outcome; a bad file keeps the old certificate). */
    reloadTls(): void;
    resyncWorkers(reason: string): void;
    /** Forks the workers, waits for them, then listens: the first client finds workers ready. */
    start(): Promise<AddressInfo>;
    /**
     * A new connection, as the raw TCP handle libuv accepted (node:cluster's round-robin does the
     * same): no net.Socket is built here, nothing is read, and the handle travels to the worker
     * as-is — no per-socket bookkeeping messages between master and worker. With proxyProtocol,
     * a trusted source's handle is first read up to the end of its PROXY header (and no further
     * than libuv's read), so dispatch sees the client's address.
     */
    private onHandle;
    /**
     * Dispatches a connection and hands it over: `remote` is the client (the PROXY header's
     * source, or the TCP peer), `proxy` the peer whose PROXY header named it (null: none),
     * `prefix` the bytes already read from the socket (the worker reads them first).
     */
    private admit;
    /** A connection admission did not let in: answered 503/429 with Retry-After, or (a flood) closed unanswered. */
    private refuse;
    /** A handed-over connection ended: its worker reported it, or its hand-off failed. */
    private release;
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
     * Zero-drop reload (SIGUSR1, `switchyard reload`, a worker's server.reload()): slot by slot, a
     * new worker with the app loaded afresh takes the slot's new connections, and the old one
     * hands it every live connection (WorkerPool.replace). The master itself is not replaced. A
     * new worker that fails to start rejects with its error (ERR_RELOAD_START_FAILED): that slot
     * and those after it keep their old worker (on the first slot: nothing changed at all).
     */
    reload(why: string): Promise<ReloadReport>;
    /**
     * maxRequest / maxWorkerLifetime (Swoole's max_request): a worker past either is replaced
     * the way a reload replaces it (its connections move), one slot at a time, never during a
     * reload or a drain.
     */
    private maybeRecycle;
    /**
     * A drain before a whole-node restart (`switchyard drain`, server.drain()): /readyz answers
     * 503, new connections are refused with 503, and every worker closes its established
     * connections with 1012 (Service Restart) spread evenly over `seconds`, so that clients
     * reconnect to other nodes without a storm. Resolves once the window (and the closing
     * handshakes) are over; the node keeps running, refusing, until it is stopped.
     */
    drain(seconds: number): Promise<{
        seconds: number;
        connections: number;
    }>;
    /**
     * Graceful shutdown: stop accepting, every worker closes its clients with 1001 and waits up
     * to maxWaitTime for the closing handshakes, then exits; stragglers are killed.
     */
    shutdown(why: string): Promise<void>;
    private callHook;
    private callHookAsync;
}
//# sourceMappingURL=master.d.ts.map