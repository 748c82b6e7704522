import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterStats, PushCounters } from '../shared/cluster-messages.ts';
import type { Config } from '../shared/config.ts';
import type { DispatchFunc } from '../shared/dispatch-types.ts';
import type { Logger } from '../shared/logger.ts';
import type { Bus } from '../shared/bus/types.ts';
import type { SessionTable } from '../shared/session-table/types.ts';
import type { CloseInfo } from './connection.ts';
import type { HandshakeRequest, HandshakeResponse } from './handshake/handshake-io.ts';
import type { Server } from './server.ts';

/** The types of the app-facing API: callbacks, frames, client info, stats. */

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
  remoteAddress: string;
  remotePort: number;
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

export type Awaitable<T> = T | Promise<T>;
export interface ServerCallbacks {
  /** Return false (or set a non-101 status) to refuse; throw and the client gets 500. */
  handshake: (request: HandshakeRequest, response: HandshakeResponse, server: Server) => Awaitable<boolean | void>;
  open: (server: Server, request: HandshakeRequest) => Awaitable<void>;
  message: (server: Server, frame: Frame) => Awaitable<void>;
  close: (server: Server, fd: number, info: CloseInfo) => Awaitable<void>;
  disconnect: (server: Server, fd: number) => Awaitable<void>;
  request: (req: IncomingMessage, res: ServerResponse, server: Server) => Awaitable<void>;
  workerStart: (server: Server, workerId: number) => Awaitable<void>;
  workerStop: (server: Server, workerId: number) => Awaitable<void>;
  bufferFull: (server: Server, fd: number) => void;
  bufferEmpty: (server: Server, fd: number) => void;
  /** A message from another worker's sendMessage (Swoole's onPipeMessage). */
  pipeMessage: (server: Server, srcWorkerId: number, data: unknown) => Awaitable<void>;
}
export type EventName = keyof ServerCallbacks;

/** Hooks that run only in the master process (registered from the same app file). */
export interface MasterCallbacks {
  /** The master listens; `port` is the bound port (useful with --port 0). */
  start: (server: AppHost, info: { host: string; port: number; workers: number }) => Awaitable<void>;
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

export interface ServerOptions {
  logger?: Logger;
  /** Swoole's worker_id; 0 in a single process. */
  workerId?: number;
  /** Session ids: the master assigns them in a cluster; a counter in one process. */
  allocateFd?: () => number;
  /** Cluster-wide figures, from the master (absent in a single process). */
  clusterStats?: () => Promise<ClusterStats>;
  /** In a cluster, shutdown() asks the master to stop everything (Swoole's $server->shutdown()). */
  requestShutdown?: () => void;
  /** The buses to other workers: same node (embedded) and other nodes (Redis). */
  buses?: { embedded: Bus | null; redis: Bus | null };
  /** This node's id (0 on a single host). */
  node?: number;
  /** Worker slots on this node. */
  workerCount?: number;
  /** The cluster's session table (Redis, multi-node): uids and connections span the nodes. */
  sessions?: SessionTable;
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

