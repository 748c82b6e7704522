import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { resolveConfig, type Config } from '../shared/config.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { CloseCode, Opcode } from '../shared/protocol/constants.ts';
import { Connection, WebSocketStatus, type CloseInfo, type PushStatus } from './connection.ts';
import { HandshakeRequest, HandshakeResponse } from './handshake-io.ts';
import { HttpEntry, reject } from './http-entry.ts';
import { Upgrader } from './upgrade.ts';
import type { ClusterStats } from '../shared/cluster-messages.ts';
import type { AllCallbacks, AppHost, Awaitable, ClientInfo, Frame, LocalStats, ServerCallbacks, ServerOptions } from './server-types.ts';

export type * from './server-types.ts';
export type { CloseInfo, PushStatus };
export { HandshakeRequest, HandshakeResponse, WebSocketStatus };

/**
 * The server object every callback receives: Swoole's WebSocket\Server API over the
 * connections this process holds.
 */
export class Server implements AppHost {
  readonly isMaster = false;
  readonly startTime = Date.now();
  readonly config: Config;
  readonly log: Logger;
  readonly workerId: number;
  private readonly callbacks: Partial<AllCallbacks> = {};
  private readonly conns = new Map<number, Connection>();
  private readonly entry: HttpEntry;
  private readonly upgrader: Upgrader;
  private readonly allocateFd: () => number;
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
    this.upgrader = new Upgrader({
      config: this.config,
      log: this.log,
      server: this,
      handshakeHook: () => this.callbacks.handshake,
      capacityRefusal: () => this.capacityRefusal(),
      established: (conn, request) => this.established(conn, request),
      unestablished: (fd, aborted) => {
        if (aborted) this.counters.aborted++;
        else this.counters.refused++;
        this.invokeDetached('disconnect', fd);
      },
      deliverMessage: (conn, data, binary) => this.deliverMessage(conn, data, binary),
      deliverControl: (conn, opcode, payload, code, reason) => this.deliverControl(conn, opcode, payload, code, reason),
      connectionClosed: (conn, info) => this.connectionClosed(conn, info),
      bufferFull: (conn) => this.bufferFull(conn),
      bufferEmpty: (conn) => this.bufferEmpty(conn),
    });
    this.entry = new HttpEntry(this.config, this.log, {
      upgrade: (fd, req, socket, head, valid) => void this.upgrader.upgrade(fd, req, socket, head, valid),
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
    for (const socket of this.upgrader.pending.values()) reject(socket, 503, 'server shutting down');
    for (const conn of this.conns.values()) conn.disconnect(CloseCode.GoingAway, 'server shutdown');
    const deadline = Date.now() + maxWaitMs;
    while (this.conns.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of this.conns.values()) conn.close();
    await this.invokeLifecycle('workerStop');
  }

  private refuseReason(): string | null {
    if (this.upgrader.pending.size >= this.config.maxPendingHandshakes) return 'too many pending handshakes';
    return this.capacityRefusal();
  }

  private capacityRefusal(): string | null {
    if (this.shuttingDown) return 'server shutting down';
    if (this.conns.size >= this.config.maxConnection) return 'too many connections';
    return null;
  }

  private established(conn: Connection, request: HandshakeRequest): void {
    this.conns.set(conn.fd, conn);
    this.counters.handshakes++;
    this.log.debug({ fd: conn.fd, path: request.path, remote: conn.remoteAddress }, 'open');
    this.invoke(conn, 'open', request);
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

  // ---- what connections report ---------------------------------------------------------

  private deliverMessage(conn: Connection, data: Buffer, binary: boolean): void {
    this.counters.messagesIn++;
    const frame: Frame = {
      fd: conn.fd,
      data: binary ? data : data.toString('utf8'),
      opcode: binary ? Opcode.Binary : Opcode.Text,
      finish: true,
    };
    this.invoke(conn, 'message', frame);
  }

  private deliverControl(conn: Connection, opcode: number, payload: Buffer, code?: number, reason?: string): void {
    const frame: Frame = { fd: conn.fd, data: payload, opcode, finish: true };
    if (code !== undefined) {
      frame.code = code;
      frame.reason = reason ?? '';
    }
    this.invoke(conn, 'message', frame);
  }

  private connectionClosed(conn: Connection, info: CloseInfo): void {
    this.conns.delete(conn.fd);
    this.counters.closed++;
    this.counters.bytesIn += conn.bytesIn;
    this.counters.bytesOut += conn.bytesOut;
    this.log.debug({ fd: conn.fd, code: info.code, by: info.closedBy }, 'close');
    this.invokeDetached('close', conn.fd, info);
  }

  private bufferFull(conn: Connection): void {
    this.callbacks.bufferFull?.(this, conn.fd);
  }

  private bufferEmpty(conn: Connection): void {
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
      const socket = this.upgrader.pending.get(fd) ?? this.entry.sockets.get(fd);
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
    const socket = this.upgrader.pending.get(fd) ?? this.entry.sockets.get(fd);
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
    return this.conns.has(fd) || this.upgrader.pending.has(fd) || this.entry.sockets.has(fd);
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
      pendingHandshakes: this.upgrader.pending.size,
      ...this.counters,
      bytesIn,
      bytesOut,
    };
  }
}
