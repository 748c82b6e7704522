import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { resolveConfig, type Config } from '../shared/config.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { CloseCode, Opcode } from '../shared/protocol/constants.ts';
import { acceptKey, buildUpgradeResponse, type ValidUpgrade } from '../shared/protocol/handshake.ts';
import { negotiateDeflate, PerMessageDeflate, type DeflateSettings } from '../shared/protocol/permessage-deflate.ts';
import { Connection, WebSocketStatus, type CloseInfo, type ConnectionHost, type PushStatus } from './connection.ts';
import { HandshakeRequest, HandshakeResponse } from './handshake-io.ts';
import { HttpEntry, reject } from './http-entry.ts';
import type { ClusterStats } from '../shared/cluster-messages.ts';
import type { DispatchFunc } from '../shared/dispatch-types.ts';

export type { CloseInfo, PushStatus };
export { HandshakeRequest, HandshakeResponse, WebSocketStatus };

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
}

type Awaitable<T> = T | Promise<T>;
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
}

export interface LocalStats {
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

/**
 * The server object every callback receives: Swoole's WebSocket\Server API over the
 * connections this process holds.
 */
export class Server implements ConnectionHost, AppHost {
  readonly isMaster = false;
  readonly startTime = Date.now();
  readonly config: Config;
  readonly log: Logger;
  readonly workerId: number;
  private readonly callbacks: Partial<AllCallbacks> = {};
  private readonly conns = new Map<number, Connection>();
  private readonly pending = new Map<number, Socket>();
  private readonly entry: HttpEntry;
  private readonly allocateFd: () => number;
  private readonly deflateSettings: DeflateSettings;
  private listener: NetServer | null = null;
  private timers: NodeJS.Timeout[] = [];
  private shuttingDown = false;
  private readonly clusterStats: (() => Promise<ClusterStats>) | undefined;
  private readonly requestShutdown: (() => void) | undefined;
  private readonly counters = { received: 0, missing: 0, accepted: 0, handshakes: 0, refused: 0, closed: 0, aborted: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };

  constructor(options: Partial<Config> | Config = {}, deps: ServerOptions = {}) {
    this.config = resolveConfig(options);
    this.workerId = deps.workerId ?? 0;
    this.log = deps.logger ?? createLogger(this.config.logLevel, { role: 'worker', slot: this.workerId });
    let next = 0;
    this.allocateFd = deps.allocateFd ?? (() => ++next);
    this.clusterStats = deps.clusterStats;
    this.requestShutdown = deps.requestShutdown;
    this.deflateSettings = {
      serverNoContextTakeover: this.config.serverNoContextTakeover,
      clientNoContextTakeover: this.config.clientNoContextTakeover,
      serverMaxWindowBits: this.config.serverMaxWindowBits,
      clientMaxWindowBits: this.config.clientMaxWindowBits,
      threshold: this.config.compressionThreshold,
      level: 3,
      memLevel: 8,
    };
    this.entry = new HttpEntry(this.config, this.log, {
      upgrade: (fd, req, socket, head, valid) => void this.upgrade(fd, req, socket, head, valid),
      request: (req, res) => this.onHttpRequest(req, res),
      socketClosed: (fd) => this.invokeDetached('disconnect', fd),
      refuseReason: () => this.refuseReason(),
    });
  }

  /**
   * Registers a callback (Swoole's $server->on()). One per event; the last one wins.
   * Master-only hooks are accepted and kept for the master; a worker never runs them.
   */
  on<E extends keyof AllCallbacks>(event: E, callback: AllCallbacks[E]): this {
    if (typeof callback !== 'function') throw new TypeError(`on('${String(event)}'): callback must be a function`);
    this.callbacks[event] = callback;
    return this;
  }

  // ---- I/O entry ----------------------------------------------------------------

  /**
   * A socket handed over by the master. It may arrive without its handle when the client
   * closed while it travelled: counted and logged, never a crash.
   */
  receive(socket: Socket | undefined, fd: number): void {
    this.counters.received++;
    if (!socket) {
      this.counters.missing++;
      this.log.warn({ fd }, 'handed-over socket arrived without its handle (closed in transit)');
      this.invokeDetached('disconnect', fd);
      return;
    }
    this.attach(socket, fd);
  }

  /** Takes an accepted socket (from our own listener or the master's hand-off). */
  attach(socket: Socket, fd: number = this.allocateFd()): void {
    this.counters.accepted++;
    if (this.shuttingDown) {
      socket.destroy();
      return;
    }
    socket.on('error', () => {}); // reported by the connection; never an uncaught exception
    this.entry.attach(socket, fd);
  }

  /** Single-process mode: listen ourselves, as the master will (paused sockets, nothing read). */
  async listen(port = this.config.port, host = this.config.host): Promise<AddressInfo> {
    const listener = createNetServer({ pauseOnConnect: true, noDelay: true }, (socket) => this.attach(socket));
    this.listener = listener;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ port, host, backlog: 4096 }, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    const address = listener.address() as AddressInfo;
    this.log.info({ event: 'listening', host: address.address, port: address.port }, 'listening');
    await this.start();
    return address;
  }

  /** Arms the heartbeat and ping timers and runs workerStart (listen() calls it; so does a cluster worker). */
  async start(): Promise<void> {
    this.startTimers();
    await this.invokeLifecycle('workerStart');
  }

  private startTimers(): void {
    const { heartbeatCheckInterval, heartbeatIdleTime, pingInterval } = this.config;
    if (heartbeatCheckInterval > 0) {
      this.timers.push(setInterval(() => this.checkHeartbeat(heartbeatIdleTime * 1000), heartbeatCheckInterval * 1000).unref());
    }
    if (pingInterval > 0) {
      this.timers.push(setInterval(() => { for (const c of this.conns.values()) c.ping(); }, pingInterval * 1000).unref());
    }
  }

  /**
   * Stops the server: in a cluster, asks the master to stop every worker (each closes its
   * clients with 1001); in a single process, does it here. Resolves when this process is done.
   */
  async shutdown(maxWaitMs = this.config.maxWaitTime * 1000): Promise<void> {
    if (this.requestShutdown) {
      this.requestShutdown();
      return;
    }
    await this.stop(maxWaitMs);
  }

  /** Closes every connection here with 1001 and waits for the closing handshakes, up to `maxWaitMs`. */
  async stop(maxWaitMs = this.config.maxWaitTime * 1000): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.log.info({ event: 'shutdown', connections: this.conns.size }, 'shutting down');
    this.listener?.close();
    for (const t of this.timers) clearInterval(t);
    this.entry.closeAll();
    for (const socket of this.pending.values()) reject(socket, 503, 'server shutting down');
    for (const conn of this.conns.values()) conn.disconnect(CloseCode.GoingAway, 'server shutdown');
    const deadline = Date.now() + maxWaitMs;
    while (this.conns.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of this.conns.values()) conn.close();
    await this.invokeLifecycle('workerStop');
  }

  private refuseReason(): string | null {
    if (this.shuttingDown) return 'server shutting down';
    if (this.pending.size >= this.config.maxPendingHandshakes) return 'too many pending handshakes';
    if (this.conns.size >= this.config.maxConnection) return 'too many connections';
    return null;
  }

  // ---- handshake ------------------------------------------------------------------

  private async upgrade(fd: number, req: IncomingMessage, socket: Socket, head: Buffer, valid: ValidUpgrade): Promise<void> {
    this.pending.set(fd, socket);
    let gone = false;
    const onGone = () => {
      gone = true;
    };
    socket.once('close', onGone);
    const request = new HandshakeRequest(fd, req, valid.protocols);
    const response = new HandshakeResponse();
    let accepted: boolean | void = true;
    const hook = this.callbacks.handshake;
    if (hook) {
      try {
        accepted = await hook(request, response, this);
      } catch (err) {
        this.log.error({ fd, err }, 'handshake callback failed');
        response.status(500).end('internal error');
      }
    }
    this.pending.delete(fd);
    socket.off('close', onGone);
    if (gone || socket.destroyed) {
      // The client left while the hook ran: nothing to write, just tell the app.
      this.counters.aborted++;
      this.invokeDetached('disconnect', fd);
      return;
    }
    if (response.statusCode !== 101 || accepted === false) {
      const status = response.statusCode !== 101 ? response.statusCode : 403;
      this.counters.refused++;
      this.log.debug({ fd, status }, 'handshake refused by app');
      socket.once('close', () => this.invokeDetached('disconnect', fd));
      reject(socket, status, String(response.body || defaultBody(status)), response.headers);
      return;
    }
    if (this.conns.size >= this.config.maxConnection || this.shuttingDown) {
      this.counters.refused++;
      socket.once('close', () => this.invokeDetached('disconnect', fd));
      reject(socket, 503, this.shuttingDown ? 'server shutting down' : 'too many connections', [['Retry-After', '1']]);
      return;
    }
    this.establish(fd, request, response, socket, head, valid);
  }

  private establish(fd: number, request: HandshakeRequest, response: HandshakeResponse, socket: Socket, head: Buffer, valid: ValidUpgrade): void {
    // A subprotocol only if the client offered it (RFC 6455 §4.2.2): the hook's pick, or the client's first.
    let protocol = '';
    if (response.chosenProtocol === undefined) protocol = valid.protocols[0] ?? '';
    else if (response.chosenProtocol !== null) {
      if (valid.protocols.includes(response.chosenProtocol)) protocol = response.chosenProtocol;
      else this.log.warn({ fd, protocol: response.chosenProtocol }, 'handshake hook chose a subprotocol the client did not offer; none sent');
    }
    request.protocol = protocol;
    const negotiated = this.config.websocketCompression ? negotiateDeflate(valid.extensions, this.deflateSettings) : null;
    const deflate = negotiated ? new PerMessageDeflate(negotiated.agreement, this.deflateSettings) : null;
    socket.write(
      buildUpgradeResponse({
        accept: acceptKey(valid.key),
        ...(protocol ? { protocol } : {}),
        ...(negotiated ? { extensions: negotiated.response } : {}),
        headers: response.headers,
      }),
      'latin1',
    );
    const conn = new Connection({
      fd,
      socket,
      host: this,
      log: this.log,
      deflate,
      path: request.path,
      protocol,
      extensions: negotiated?.response ?? '',
    });
    this.conns.set(fd, conn);
    this.counters.handshakes++;
    this.log.debug({ fd, path: request.path, remote: conn.remoteAddress }, 'open');
    this.invoke(conn, 'open', request);
    if (conn.status === WebSocketStatus.Active || conn.status === WebSocketStatus.Closing) {
      conn.receive(head);
      socket.resume();
    }
  }

  private onHttpRequest(req: IncomingMessage, res: ServerResponse): void {
    const cb = this.callbacks.request;
    if (!cb) {
      res.writeHead(426, { Upgrade: 'websocket', Connection: 'Upgrade', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('426 Upgrade Required: this is a WebSocket endpoint\n');
      return;
    }
    try {
      const r = cb(req, res, this);
      if (r instanceof Promise) r.catch((err: unknown) => this.failRequest(res, err));
    } catch (err) {
      this.failRequest(res, err);
    }
  }

  private failRequest(res: ServerResponse, err: unknown): void {
    this.log.error({ err }, 'request callback failed');
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end();
  }

  // ---- ConnectionHost ------------------------------------------------------------------

  deliverMessage(conn: Connection, data: Buffer, binary: boolean): void {
    this.counters.messagesIn++;
    const frame: Frame = {
      fd: conn.fd,
      data: binary ? data : data.toString('utf8'),
      opcode: binary ? Opcode.Binary : Opcode.Text,
      finish: true,
    };
    this.invoke(conn, 'message', frame);
  }

  deliverControl(conn: Connection, opcode: number, payload: Buffer, code?: number, reason?: string): void {
    const frame: Frame = { fd: conn.fd, data: payload, opcode, finish: true };
    if (code !== undefined) {
      frame.code = code;
      frame.reason = reason ?? '';
    }
    this.invoke(conn, 'message', frame);
  }

  connectionClosed(conn: Connection, info: CloseInfo): void {
    this.conns.delete(conn.fd);
    this.counters.closed++;
    this.counters.bytesIn += conn.bytesIn;
    this.counters.bytesOut += conn.bytesOut;
    this.log.debug({ fd: conn.fd, code: info.code, by: info.closedBy }, 'close');
    this.invokeDetached('close', conn.fd, info);
  }

  bufferFull(conn: Connection): void {
    this.callbacks.bufferFull?.(this, conn.fd);
  }

  bufferEmpty(conn: Connection): void {
    this.callbacks.bufferEmpty?.(this, conn.fd);
  }

  /**
   * Runs an app callback for a connection. A throw or a rejected promise is logged with the fd
   * and closes that connection with 1011; everyone else keeps being served. Unsettled
   * promises count towards the connection's inbound backpressure.
   */
  private invoke<E extends 'open' | 'message'>(conn: Connection, event: E, arg: Parameters<ServerCallbacks[E]>[1]): void {
    const cb = this.callbacks[event] as ((s: Server, a: typeof arg) => Awaitable<void>) | undefined;
    if (!cb) return;
    try {
      const r = cb(this, arg);
      if (r instanceof Promise) {
        conn.callbackStarted();
        r.then(
          () => conn.callbackSettled(),
          (err: unknown) => {
            conn.callbackSettled();
            this.callbackFailed(conn, event, err);
          },
        );
      }
    } catch (err) {
      this.callbackFailed(conn, event, err);
    }
  }

  private callbackFailed(conn: Connection, event: string, err: unknown): void {
    this.log.error({ fd: conn.fd, event, err }, 'callback failed: closing connection with 1011');
    conn.disconnect(CloseCode.InternalError, 'internal error');
  }

  /** Callbacks with no connection left to close: failures are only logged. */
  private invokeDetached(event: 'close' | 'disconnect', fd: number, info?: CloseInfo): void {
    const cb = this.callbacks[event] as ((s: Server, fd: number, i?: CloseInfo) => Awaitable<void>) | undefined;
    if (!cb) return;
    const fail = (err: unknown) => this.log.error({ fd, event, err }, 'callback failed');
    try {
      const r = cb(this, fd, info);
      if (r instanceof Promise) r.catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  private async invokeLifecycle(event: 'workerStart' | 'workerStop'): Promise<void> {
    try {
      await this.callbacks[event]?.(this, this.workerId);
    } catch (err) {
      this.log.error({ event, err }, 'callback failed');
    }
  }

  private checkHeartbeat(idleMs: number): void {
    const now = Date.now();
    for (const conn of this.conns.values()) {
      if (!conn.protected && now - conn.lastRecvTime > idleMs) {
        this.log.debug({ fd: conn.fd }, 'heartbeat: idle connection closed');
        if (!conn.disconnect(CloseCode.GoingAway, 'idle timeout')) conn.close();
      }
    }
  }

  // ---- the server API -----------------------------------------------------------------

  /** Sends a message: text for strings, binary for Buffers, unless `opcode` says otherwise. False for an unknown or closed fd, or a dropped message. */
  push(fd: number, data: string | Buffer | Uint8Array, opcode?: number): boolean {
    const status = this.pushStatus(fd, data, opcode);
    return status === 'written' || status === 'queued';
  }

  /** push() with the full outcome (see PushStatus). */
  pushStatus(fd: number, data: string | Buffer | Uint8Array, opcode?: number): PushStatus {
    const conn = this.conns.get(fd);
    if (!conn) return 'unknown';
    const payload = typeof data === 'string' ? Buffer.from(data) : Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const op = opcode ?? (typeof data === 'string' ? Opcode.Text : Opcode.Binary);
    if (op !== Opcode.Text && op !== Opcode.Binary) {
      if (op === Opcode.Ping) return conn.ping(payload) ? 'written' : 'closed';
      if (op === Opcode.Pong) return conn.pong(payload) ? 'written' : 'closed';
      throw new TypeError(`push: opcode ${op} is not text (1), binary (2), ping (9) or pong (10)`);
    }
    const status = conn.send(payload, op);
    if (status === 'written' || status === 'queued') this.counters.messagesOut++;
    return status;
  }

  /** Starts the closing handshake with `code` and `reason`. */
  disconnect(fd: number, code: number = CloseCode.Normal, reason = ''): boolean {
    const conn = this.conns.get(fd);
    if (!conn) {
      const socket = this.pending.get(fd) ?? this.entry.sockets.get(fd);
      if (!socket) return false;
      socket.destroy();
      return true;
    }
    return conn.disconnect(code, reason);
  }

  /** Closes the TCP connection without a close frame. */
  close(fd: number): boolean {
    const conn = this.conns.get(fd);
    if (conn) {
      conn.close();
      return true;
    }
    const socket = this.pending.get(fd) ?? this.entry.sockets.get(fd);
    if (!socket) return false;
    socket.destroy();
    return true;
  }

  ping(fd: number, data?: string | Buffer): boolean {
    const conn = this.conns.get(fd);
    if (!conn) return false;
    const payload = data === undefined ? undefined : typeof data === 'string' ? Buffer.from(data) : data;
    if (payload && payload.length > 125) throw new RangeError('ping payload exceeds 125 bytes');
    return conn.ping(payload);
  }

  /** Whether the TCP connection exists (handshake pending or established). */
  exist(fd: number): boolean {
    return this.conns.has(fd) || this.pending.has(fd) || this.entry.sockets.has(fd);
  }

  /** Whether fd is an open WebSocket (handshake done, no close started). */
  isEstablished(fd: number): boolean {
    return this.conns.get(fd)?.status === WebSocketStatus.Active;
  }

  getClientInfo(fd: number): ClientInfo | null {
    const c = this.conns.get(fd);
    if (!c) return null;
    return {
      fd,
      remoteAddress: c.remoteAddress,
      remotePort: c.remotePort,
      path: c.path,
      protocol: c.protocol,
      extensions: c.extensions,
      connectTime: c.connectTime,
      lastRecvTime: c.lastRecvTime,
      lastSendTime: c.lastSendTime,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      messagesIn: c.messagesIn,
      messagesOut: c.messagesOut,
      bytesQueued: c.bufferedAmount,
      websocketStatus: c.status,
      rtt: c.rtt,
      protected: c.protected,
    };
  }

  /** Exempts a connection from the heartbeat (Swoole's protect()). */
  protect(fd: number, value = true): boolean {
    const c = this.conns.get(fd);
    if (!c) return false;
    c.protected = value;
    return true;
  }

  /** The fds of every established connection of this process. */
  get connections(): IterableIterator<number> {
    return this.conns.keys();
  }

  /** Runs fn after the current event-loop turn (Swoole's defer). */
  defer(fn: () => void): void {
    setImmediate(() => {
      try {
        fn();
      } catch (err) {
        this.log.error({ err }, 'deferred callback failed');
      }
    });
  }

  /** Cluster-wide figures (from the master), or this process's in a single-process server. */
  async stats(): Promise<ClusterStats> {
    if (this.clusterStats) return this.clusterStats();
    const l = this.localStats();
    return {
      workers: [{ id: this.workerId, pid: process.pid, up: !this.shuttingDown, connections: l.connections, pendingHandshakes: l.pendingHandshakes, restarts: 0, lagMs: 0, messagesIn: l.messagesIn, messagesOut: l.messagesOut }],
      connections: l.connections,
      accepted: l.accepted,
      handshakes: l.handshakes,
      refused: l.refused,
      closed: l.closed,
      aborted: l.aborted,
      missing: l.missing,
      handoffFailed: 0,
      unavailable: 0,
      messagesIn: l.messagesIn,
      messagesOut: l.messagesOut,
      bytesIn: l.bytesIn,
      bytesOut: l.bytesOut,
      dispatchMode: 'single-process',
      workerRestarts: 0,
      uptime: (Date.now() - this.startTime) / 1000,
    };
  }

  /** This process's counters. */
  localStats(): LocalStats {
    let bytesIn = this.counters.bytesIn;
    let bytesOut = this.counters.bytesOut;
    for (const c of this.conns.values()) {
      bytesIn += c.bytesIn;
      bytesOut += c.bytesOut;
    }
    return {
      workerId: this.workerId,
      connections: this.conns.size,
      pendingHandshakes: this.pending.size,
      ...this.counters,
      bytesIn,
      bytesOut,
    };
  }
}

function defaultBody(status: number): string {
  return status === 403 ? 'forbidden' : status === 404 ? 'not found' : status === 401 ? 'unauthorized' : `refused (${status})`;
}
