import type { AddressInfo, Socket } from 'node:net';
import { type Config } from '../shared/config.ts';
import { type Logger } from '../shared/logger.ts';
import { WebSocketStatus, type CloseInfo, type PushStatus } from './connection/connection.ts';
import { HandshakeRequest, HandshakeResponse } from './handshake/handshake-io.ts';
import type { ClusterStats } from '../shared/cluster-messages.ts';
import { AppCallbacks } from './app-callbacks.ts';
import { LocalConnections } from './local-connections.ts';
import { WorkerLifecycle } from './worker-lifecycle.ts';
import type { AllCallbacks, ClientInfo, ClientListOptions, ClientPage, Data, LocalStats, PushCallFailure, RemotePushStatus, RoomTarget, ServerApi } from './app-contract.ts';
import type { ServerOptions } from './server-types.ts';
import { WorkerMeters } from '../shared/metrics/worker-meters.ts';
export type * from './server-types.ts';
export type { CloseInfo, PushStatus, RoomTarget };
export { HandshakeRequest, HandshakeResponse, WebSocketStatus };
export { upgradeRequired } from './handshake/upgrade-required.ts';
/**
 * The server object every callback receives: Swoole's WebSocket\Server API over every fd of
 * the cluster. It runs this worker's lifecycle and hands each call to ClusterCalls, which runs
 * the operation (cluster-ops.ts) here or on the worker that holds the fd.
 */
export declare class Server implements ServerApi {
    readonly isMaster = false;
    readonly startTime: number;
    readonly config: Config;
    readonly log: Logger;
    readonly workerId: number;
    private readonly callbacks;
    private readonly local;
    private readonly lifecycle;
    private readonly clusterStats;
    private readonly requestShutdown;
    private readonly requestReload;
    private readonly requestDrain;
    private readonly router;
    private readonly calls;
    private readonly counters;
    /** Metric counters beyond the stats counters (src/shared/metrics/). */
    readonly meters: WorkerMeters;
    constructor(options?: Partial<Config> | Config, deps?: ServerOptions);
    /**
     * Registers a callback (Swoole's $server->on()). One per event; the last one wins.
     * Master-only hooks are accepted and kept for the master; a worker never runs them.
     */
    on<E extends keyof AllCallbacks>(event: E, callback: AllCallbacks[E]): this;
    /** A socket handed over by the master (or its fd alone, when the client left in transit). */
    receive(socket: Socket | undefined, fd: number): void;
    /** Takes an accepted socket (from our own listener or the master's hand-off). */
    attach(socket: Socket, fd?: number): void;
    /**
     * Reads the TLS files again (what SIGHUP to the master does in every worker): new handshakes
     * use the new certificates, established connections keep theirs. False when TLS is off or a
     * file failed its check (logged; the current certificates stay).
     */
    reloadTls(): boolean;
    /** Single-process mode: listen ourselves, as the master will (paused sockets, nothing read). */
    listen(port?: number, host?: string): Promise<AddressInfo>;
    /** Arms the heartbeat and ping timers and runs workerStart (listen() calls it; so does a cluster worker). */
    start(strict?: boolean): Promise<void>;
    /** @internal what a reload works on (src/worker/reload/, worker-main.ts). */
    get reloadParts(): {
        local: LocalConnections;
        lifecycle: WorkerLifecycle;
        callbacks: AppCallbacks;
    };
    /**
     * The app's own store for a connection of this worker (created empty on first use; null for
     * an fd this worker does not hold). It moves with the connection when a reload hands it to
     * a new worker, so it must stay structured-clone data (objects, arrays, strings, numbers,
     * Buffers, Maps, Sets, Dates: no functions, sockets or class instances with behaviour).
     */
    connectionData(fd: number): Record<string, unknown> | null;
    /**
     * Asks the master to reload every worker (new app code, connections kept: see the README).
     * Fire-and-forget from a worker (this very worker is replaced); false in a single process.
     */
    reload(): boolean;
    /**
     * Drains the node before a whole-node restart: readiness 503, new connections 503, every
     * established connection closed with 1012, evenly over `seconds` (default drainSeconds). In
     * a single process, this server alone.
     */
    drain(seconds?: number): boolean;
    /**
     * Stops the server: in a cluster, asks the master to stop every worker (each closes its
     * clients with 1001); in a single process, does it here. Resolves when this process is done.
     */
    shutdown(maxWaitMs?: number): Promise<void>;
    /** Closes every connection here with 1001 and waits for the closing handshakes, up to `maxWaitMs`. */
    stop(maxWaitMs?: number): Promise<void>;
    /** Whether this worker holds fd (no bus, or the fd names this worker). */
    isLocal(fd: number): boolean;
    /**
     * Sends a message to any fd of the cluster: text for strings, binary for Buffers unless
     * `opcode` (1, 2, 9, 10) says otherwise. Local fds: true when written or queued. Remote fds:
     * fire-and-forget, true when the bus took it (the owner counts the outcome in stats); false
     * when it is congested or has no transport to the owner (pushStatus tells which).
     * Never throws for a bad fd.
     */
    push(fd: number, data: Data, opcode?: number): boolean;
    /**
     * push() with its outcome: a local fd's PushStatus, or for a remote one `forwarded` (a bus took
     * it), `congested` (the bus to the owner holds its budget already: retry later) or
     * `unreachable` (no transport to the owner now).
     */
    pushStatus(fd: number, data: Data, opcode?: number): PushStatus | RemotePushStatus;
    /** push() that waits for the owner's outcome, wherever the fd lives: its PushStatus, or
     * `unreachable`, `congested` (bus or calls awaiting answers over budget) or `timeout`. */
    pushAsync(fd: number, data: Data, opcode?: number): Promise<PushStatus | PushCallFailure>;
    /**
     * Starts the closing handshake with `code` and `reason` (remote fds: fire-and-forget). A code
     * that may not be sent (1005, 1006, 1015, outside 1000-1003/1007-1014/3000-4999) or a reason
     * over 123 bytes of UTF-8 throws RangeError here, wherever fd lives, before anything changes.
     */
    disconnect(fd: number, code?: number, reason?: string): boolean;
    /** Closes the TCP connection without a close frame (remote fds: fire-and-forget). */
    close(fd: number): boolean;
    /**
     * Pings a connection (remote fds: fire-and-forget); the pong's round trip shows in
     * getClientInfo(fd).rtt. A payload over 125 bytes throws RangeError here, wherever fd lives.
     */
    ping(fd: number, data?: string | Buffer): boolean;
    /** Whether the TCP connection exists anywhere in the cluster (handshake pending or established). */
    exist(fd: number): Promise<boolean>;
    /** Whether fd is an open WebSocket anywhere in the cluster (handshake done, no close started). */
    isEstablished(fd: number): Promise<boolean>;
    /** A connection's details, wherever it lives; null when there is no such connection. */
    getClientInfo(fd: number): Promise<ClientInfo | null>;
    /** This worker's connection details, synchronously; null when this worker does not hold fd. */
    localClientInfo(fd: number): ClientInfo | null;
    /** Exempts a connection from the heartbeat (Swoole's protect(); remote fds: fire-and-forget). */
    protect(fd: number, value?: boolean): boolean;
    /**
     * A page of the cluster's sessions, ascending by fd (Swoole's getClientList): those above
     * `cursor` (the previous page's last fd), at most `limit` (1-1000, default 100), optionally
     * only a room's members or a uid's sessions. Paging by fd is stable while sessions come and
     * go: fds are never reused, so every session that lives through the walk is listed once.
     * Throws RangeError for a cursor or limit out of range.
     */
    getClientList(options?: ClientListOptions): Promise<ClientPage>;
    /**
     * The established fds: `for (const fd of server.connections)` iterates this worker's,
     * `for await (const fd of server.connections)` the whole cluster's.
     */
    get connections(): Iterable<number> & AsyncIterable<number>;
    /**
     * Sends to every established connection of the cluster exactly once: one bus message per
     * worker, the frame encoded once per worker. False when a bus could not carry it.
     */
    broadcast(data: Data, options?: {
        except?: number | number[];
        opcode?: number;
    }): boolean;
    /** The members of `room` across the cluster: `server.to('lobby').except(fd).push(data)`. */
    to(room: string): RoomTarget;
    /** Adds fd (any fd of the cluster) to a room; membership ends when the connection closes. */
    join(fd: number, room: string): boolean;
    leave(fd: number, room: string): boolean;
    /** Attaches a user id to fd (any fd of the cluster); one uid may have many fds. */
    bind(fd: number, uid: string | number): boolean;
    /** Every fd bound to uid across the cluster. */
    getFdsByUid(uid: string | number): Promise<number[]>;
    /** Pushes to every fd bound to uid, wherever they are: one bus message per worker. */
    pushToUid(uid: string | number, data: Data, opcode?: number): boolean;
    /**
     * Sends `data` to another worker's `pipeMessage` callback (Swoole's sendMessage). workerId is
     * the slot on this node, or node * 256 + slot for a worker of another node.
     */
    sendMessage(data: unknown, workerId: number): boolean;
    /** This node's id (0 on a single host). */
    get node(): number;
    /** This worker's id across nodes: node * 256 + slot (equal to workerId on node 0). */
    get globalWorkerId(): number;
    /** Runs fn after the current event-loop turn (Swoole's defer). */
    defer(fn: () => void): void;
    /** Cluster-wide figures (from the master), or this process's in a single-process server. */
    stats(): Promise<ClusterStats>;
    /** This process's counters. */
    localStats(): LocalStats;
}
//# sourceMappingURL=server.d.ts.map