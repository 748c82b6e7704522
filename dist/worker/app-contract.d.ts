/**
 * The app contract: what an app's callbacks receive and may call (ServerApi), the callbacks
 * themselves and the types they see. Typed against an interface, not the Server class, so that
 * nothing of the worker imports server.ts but its entry points (worker-main.ts, index.ts), as
 * uWebSockets' WebSocketBehavior is one typed object listing every handler.
 */
import type { ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ClusterStats, PushCounters } from '../shared/cluster-messages.ts';
import type { Config } from '../shared/config.ts';
import type { DispatchFunc } from '../shared/dispatch-types.ts';
import type { Logger } from '../shared/logger.ts';
import type { CloseInfo, PushStatus } from './connection/connection.ts';
import type { HandshakeRequest, HandshakeResponse } from './handshake/handshake-io.ts';
import type { HttpRequest } from './handshake/client-address.ts';
export type { HttpRequest };
/** A message as the server API takes it: text for strings, binary for bytes (unless an opcode says otherwise). */
export type Data = string | Buffer | Uint8Array;
/** What `message` receives (Swoole's Frame). Messages arrive whole, so `finish` is always true. */
export interface Frame {
    fd: number;
    /** string for text, Buffer for binary and control frames. */
    data: string | Buffer;
    opcode: number;
    finish: boolean;
    /** Close frames (openWebsocketCloseFrame): the peer's code and reason. */
    code?: number;
    reason?: string;
}
export interface ClientInfo {
    fd: number;
    /** The client (behind a trusted proxy, the address the proxy declared). */
    remoteAddress: string;
    remotePort: number;
    /** The proxy whose word gave remoteAddress (trustProxy), or null when the peer is the client. */
    proxyAddress: string | null;
    path: string;
    protocol: string;
    extensions: string;
    connectTime: number;
    lastRecvTime: number;
    lastSendTime: number;
    bytesIn: number;
    bytesOut: number;
    messagesIn: number;
    messagesOut: number;
    bytesQueued: number;
    websocketStatus: number;
    rtt: number;
    protected: boolean;
    /** The uid bound with server.bind(), or null. */
    uid: string | null;
    rooms: readonly string[];
    /** wss://: the negotiated TLS; null on plain ws://. */
    tls: TlsInfo | null;
}
/** A connection's TLS (getClientInfo). */
export interface TlsInfo {
    /** The negotiated version: 'TLSv1.3', 'TLSv1.2'. */
    version: string;
    /** The cipher suite's standard name. */
    cipher?: string;
    /** The client certificate's subject (CN, O, ...), when one was presented and chains to sslCaFile. */
    peerSubject?: Record<string, string | string[]>;
}
/**
 * A push to another worker's fd, as the sender sees it: `forwarded` (a bus took it; the owner
 * counts what became of it), `congested` (the bus to the owner holds its budget: retry later),
 * `unreachable` (no transport to the owner now: a worker or node down, Redis down).
 */
export type RemotePushStatus = 'forwarded' | 'congested' | 'unreachable';
/** What pushAsync answers for a remote fd whose owner could not be asked: no transport
 * (`unreachable`), bus or calls awaiting answers over budget (`congested`), no answer within
 * busTimeoutMs (`timeout`). */
export type PushCallFailure = 'unreachable' | 'congested' | 'timeout';
/** getClientList's filters and page: fds above `cursor` (the last fd of the previous page; 0
 * or absent: from the start), at most `limit` (default 100, at most 1000). */
export interface ClientListOptions {
    cursor?: number;
    limit?: number;
    /** Only this room's members. */
    room?: string;
    /** Only the sessions bound to this uid. */
    uid?: string | number;
}
/** One page of the cluster's sessions, ascending by fd; `cursor` for the next page, null after the last. */
export interface ClientPage {
    fds: number[];
    cursor: number | null;
}
/** `server.to(room)`: a room push, optionally skipping some fds. */
export interface RoomTarget {
    except(fds: number | number[]): RoomTarget;
    push(data: Data, opcode?: number): boolean;
}
export interface LocalStats extends PushCounters {
    workerId: number;
    connections: number;
    pendingHandshakes: number;
    /** Sockets handed over by the master (received) and those that arrived without a handle (missing). */
    received: number;
    missing: number;
    accepted: number;
    handshakes: number;
    refused: number;
    closed: number;
    aborted: number;
    messagesIn: number;
    messagesOut: number;
    bytesIn: number;
    bytesOut: number;
}
export type Awaitable<T> = T | Promise<T>;
/** The worker's callbacks (Swoole's $server->on() events). */
export interface ServerCallbacks {
    /** Return false (or set a non-101 status) to refuse; throw and the client gets 500. */
    handshake: (request: HandshakeRequest, response: HandshakeResponse, server: ServerApi) => Awaitable<boolean | void>;
    open: (server: ServerApi, request: HandshakeRequest) => Awaitable<void>;
    /**
     * A connection a reload moved here from the worker this one replaces (open is not fired
     * again): its details as they were, uid, rooms and server.connectionData(fd) included.
     */
    adopt: (server: ServerApi, info: ClientInfo) => Awaitable<void>;
    message: (server: ServerApi, frame: Frame) => Awaitable<void>;
    close: (server: ServerApi, fd: number, info: CloseInfo) => Awaitable<void>;
    disconnect: (server: ServerApi, fd: number) => Awaitable<void>;
    request: (req: HttpRequest, res: ServerResponse, server: ServerApi) => Awaitable<void>;
    workerStart: (server: ServerApi, workerId: number) => Awaitable<void>;
    workerStop: (server: ServerApi, workerId: number) => Awaitable<void>;
    bufferFull: (server: ServerApi, fd: number) => void;
    bufferEmpty: (server: ServerApi, fd: number) => void;
    /** A message from another worker's sendMessage (Swoole's onPipeMessage). */
    pipeMessage: (server: ServerApi, srcWorkerId: number, data: unknown) => Awaitable<void>;
}
export type EventName = keyof ServerCallbacks;
/** Hooks that run only in the master process (registered from the same app file). */
export interface MasterCallbacks {
    /** The master listens; `port` is the bound port (useful with --port 0). */
    start: (server: AppHost, info: {
        host: string;
        port: number;
        workers: number;
    }) => Awaitable<void>;
    /** Everything has stopped; the master is about to exit. */
    shutdown: (server: AppHost) => Awaitable<void>;
    /** A worker exited abnormally (non-zero code or a signal). */
    workerError: (server: AppHost, workerId: number, pid: number, exitCode: number | null, signal: string | null) => void;
    /** A worker exited, for whatever reason. */
    workerExit: (server: AppHost, workerId: number, pid: number, exitCode: number | null, signal: string | null) => void;
    /** Picks the worker for a new connection (Swoole's dispatch_func); overrides dispatchMode. */
    dispatch: DispatchFunc;
}
export type AllCallbacks = ServerCallbacks & MasterCallbacks;
/**
 * What an app module's default export receives. As in Swoole, one app file runs everywhere:
 * in each worker `server` is the Server (worker callbacks run there), in the master a facade
 * that keeps the master-only hooks. `isMaster` tells them apart.
 */
export interface AppHost {
    readonly isMaster: boolean;
    readonly config: Config;
    on<E extends keyof AllCallbacks>(event: E, callback: AllCallbacks[E]): this;
}
/** An app module's default export. */
export type AppSetup = (server: AppHost) => void | Promise<void>;
/**
 * The server every worker callback receives: Swoole's WebSocket\Server API over every fd of the
 * cluster (README, "Server API"). Server implements it.
 */
export interface ServerApi extends AppHost {
    readonly startTime: number;
    readonly log: Logger;
    /** This worker's slot (Swoole's worker_id); 0 in a single process. */
    readonly workerId: number;
    /** This node's id (0 on a single host). */
    readonly node: number;
    /** This worker's id across nodes: node * 256 + slot. */
    readonly globalWorkerId: number;
    isLocal(fd: number): boolean;
    push(fd: number, data: Data, opcode?: number): boolean;
    pushStatus(fd: number, data: Data, opcode?: number): PushStatus | RemotePushStatus;
    pushAsync(fd: number, data: Data, opcode?: number): Promise<PushStatus | PushCallFailure>;
    disconnect(fd: number, code?: number, reason?: string): boolean;
    close(fd: number): boolean;
    ping(fd: number, data?: string | Buffer): boolean;
    exist(fd: number): Promise<boolean>;
    isEstablished(fd: number): Promise<boolean>;
    getClientInfo(fd: number): Promise<ClientInfo | null>;
    localClientInfo(fd: number): ClientInfo | null;
    /** The app's store for a connection held here (null otherwise); it moves with the connection on a reload. */
    connectionData(fd: number): Record<string, unknown> | null;
    /** Asks the master to reload every worker, connections kept (false in a single process). */
    reload(): boolean;
    /** Drains the node: readiness and new connections 503, established ones closed 1012 evenly over `seconds`. */
    drain(seconds?: number): boolean;
    protect(fd: number, value?: boolean): boolean;
    getClientList(options?: ClientListOptions): Promise<ClientPage>;
    readonly connections: Iterable<number> & AsyncIterable<number>;
    broadcast(data: Data, options?: {
        except?: number | number[];
        opcode?: number;
    }): boolean;
    to(room: string): RoomTarget;
    join(fd: number, room: string): boolean;
    leave(fd: number, room: string): boolean;
    bind(fd: number, uid: string | number): boolean;
    getFdsByUid(uid: string | number): Promise<number[]>;
    pushToUid(uid: string | number, data: Data, opcode?: number): boolean;
    sendMessage(data: unknown, workerId: number): boolean;
    defer(fn: () => void): void;
    stats(): Promise<ClusterStats>;
    localStats(): LocalStats;
    shutdown(maxWaitMs?: number): Promise<void>;
    stop(maxWaitMs?: number): Promise<void>;
    /** Embedding a single-process server. */
    listen(port?: number, host?: string): Promise<AddressInfo>;
    attach(socket: Socket, fd?: number): void;
}
//# sourceMappingURL=app-contract.d.ts.map