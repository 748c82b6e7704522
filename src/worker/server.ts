import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { resolveConfig, type Config } from '../shared/config.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { CloseCode, Opcode } from '../shared/protocol/constants.ts';
import { Connection, WebSocketStatus, type CloseInfo, type PushStatus } from './connection.ts';
import { HandshakeRequest, HandshakeResponse } from './handshake-io.ts';
import { HttpEntry, reject } from './http-entry.ts';
import { Upgrader } from './upgrade.ts';
import { Router, RemoteCallError } from './router.ts';
import { encodeFd, nodeOf, slotOf } from '../shared/session-id.ts';
import { Rooms } from './rooms.ts';
import { encodeForQueue } from './connection.ts';
import type { BusMessage, WorkerAddress } from '../shared/bus/types.ts';
import type { SessionTable } from '../shared/session-table/types.ts';
import { EMPTY_PUSH_COUNTERS, REMOTE_OUTCOME, type ClusterStats } from '../shared/cluster-messages.ts';
import type { AllCallbacks, AppHost, Awaitable, ClientInfo, Frame, LocalStats, ServerCallbacks, ServerOptions } from './server-types.ts';

/** The smallest fd the master can issue (seq 1, node 0, slot 0). */
const FIRST_CLUSTER_FD = encodeFd(1, 0, 0);

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
  private readonly router: Router | null;
  private readonly rooms = new Rooms();
  private readonly uidOf = new Map<number, string>();
  private readonly fdsOfUid = new Map<string, Set<number>>();
  /** Worker slots on this node (for cluster-wide questions). */
  private readonly workerCount: number;
  /** Multi-node: sessions and uids in Redis; otherwise each worker answers for its own. */
  private readonly sessions: SessionTable | null;
  private readonly counters = { ...EMPTY_PUSH_COUNTERS, received: 0, missing: 0, accepted: 0, handshakes: 0, refused: 0, closed: 0, aborted: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };

  constructor(options: Partial<Config> | Config = {}, deps: ServerOptions = {}) {
    this.config = resolveConfig(options);
    this.workerId = deps.workerId ?? 0;
    this.log = deps.logger ?? createLogger(this.config.logLevel, { role: 'worker', slot: this.workerId });
    let next = 0;
    this.allocateFd = deps.allocateFd ?? (() => ++next);
    this.clusterStats = deps.clusterStats;
    this.requestShutdown = deps.requestShutdown;
    this.workerCount = deps.workerCount ?? 1;
    this.sessions = deps.sessions ?? null;
    this.router =
      deps.buses && (deps.buses.embedded || deps.buses.redis)
        ? new Router({
            self: { node: deps.node ?? 0, slot: this.workerId },
            embedded: deps.buses.embedded,
            redis: deps.buses.redis,
            handler: { execute: (msg, from) => this.execute(msg, from) },
            log: this.log,
            timeoutMs: this.config.busTimeoutMs,
          })
        : null;
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
    this.sessions?.add({ fd: conn.fd, node: this.node, slot: this.workerId, remoteAddress: conn.remoteAddress, remotePort: conn.remotePort, connectTime: conn.connectTime });
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
    this.rooms.leaveAll(conn.fd);
    this.unbindLocal(conn.fd);
    this.sessions?.remove(conn.fd);
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

  // ---- the server API: any fd of the cluster -------------------------------------------

  /** Whether this worker holds fd (no bus, or the fd names this worker). */
  isLocal(fd: number): boolean {
    // Hot path (every push): arithmetic on the fd, no allocation.
    const router = this.router;
    // Not a cluster fd (or malformed): only this worker can answer (with 'unknown').
    if (router === null || !Number.isSafeInteger(fd) || fd < FIRST_CLUSTER_FD) return true;
    return slotOf(fd) === router.self.slot && nodeOf(fd) === router.self.node;
  }

  /**
   * Sends a message to any fd of the cluster: text for strings, binary for Buffers unless
   * `opcode` (1, 2, 9, 10) says otherwise. Local fds: true when written or queued. Remote fds:
   * fire-and-forget, true when the bus took it (the owner counts the outcome in stats).
   * Never throws for a bad fd.
   */
  push(fd: number, data: string | Buffer | Uint8Array, opcode?: number): boolean {
    const status = this.pushStatus(fd, data, opcode);
    return status === 'written' || status === 'queued' || status === 'forwarded';
  }

  /** push() with its outcome: a local fd's PushStatus, or `forwarded`/`unreachable` for a remote one. */
  pushStatus(fd: number, data: string | Buffer | Uint8Array, opcode?: number): PushStatus | 'forwarded' | 'unreachable' {
    const op = opcodeFor(data, opcode);
    if (!this.isLocal(fd)) {
      const ok = this.router!.send(this.router!.owner(fd)!, { t: 'push', fd, op, data: remotePayload(data) });
      this.counters[ok ? 'pushesForwarded' : 'pushesUnreachable']++;
      return ok ? 'forwarded' : 'unreachable';
    }
    return this.pushLocal(fd, toBuffer(data), op);
  }

  /** push() that waits for the owner's outcome, wherever the fd lives. */
  async pushAsync(fd: number, data: string | Buffer | Uint8Array, opcode?: number): Promise<PushStatus | 'unreachable' | 'timeout'> {
    const op = opcodeFor(data, opcode);
    if (this.isLocal(fd)) return this.pushLocal(fd, toBuffer(data), op);
    return (await this.remote(fd, { t: 'push', fd, op, data: remotePayload(data) })) as PushStatus | 'unreachable' | 'timeout';
  }

  private pushLocal(fd: number, payload: Buffer, op: number): PushStatus {
    const conn = this.conns.get(fd);
    if (!conn) return 'unknown';
    if (op === Opcode.Ping) return conn.ping(payload) ? 'written' : 'closed';
    if (op === Opcode.Pong) return conn.pong(payload) ? 'written' : 'closed';
    const status = conn.send(payload, op);
    if (status === 'written' || status === 'queued') this.counters.messagesOut++;
    return status;
  }

  /** Starts the closing handshake with `code` and `reason` (remote fds: fire-and-forget). */
  disconnect(fd: number, code: number = CloseCode.Normal, reason = ''): boolean {
    if (!this.isLocal(fd)) return this.router!.send(this.router!.owner(fd)!, { t: 'disconnect', fd, code, reason });
    const conn = this.conns.get(fd);
    if (conn) return conn.disconnect(code, reason);
    return this.destroyPending(fd);
  }

  /** Closes the TCP connection without a close frame (remote fds: fire-and-forget). */
  close(fd: number): boolean {
    if (!this.isLocal(fd)) return this.router!.send(this.router!.owner(fd)!, { t: 'close', fd });
    const conn = this.conns.get(fd);
    if (conn) {
      conn.close();
      return true;
    }
    return this.destroyPending(fd);
  }

  private destroyPending(fd: number): boolean {
    const socket = this.upgrader.pending.get(fd) ?? this.entry.sockets.get(fd);
    if (!socket) return false;
    socket.destroy();
    return true;
  }

  /** Pings a connection of this worker; the pong's round trip shows in getClientInfo(fd).rtt. */
  ping(fd: number, data?: string | Buffer): boolean {
    const conn = this.conns.get(fd);
    if (!conn) return false;
    const payload = data === undefined ? undefined : typeof data === 'string' ? Buffer.from(data) : data;
    if (payload && payload.length > 125) throw new RangeError('ping payload exceeds 125 bytes');
    return conn.ping(payload);
  }

  /** Whether the TCP connection exists anywhere in the cluster (handshake pending or established). */
  async exist(fd: number): Promise<boolean> {
    return (await this.describe(fd)).exist;
  }

  /** Whether fd is an open WebSocket anywhere in the cluster (handshake done, no close started). */
  async isEstablished(fd: number): Promise<boolean> {
    return (await this.describe(fd)).established;
  }

  /** A connection's details, wherever it lives; null when there is no such connection. */
  async getClientInfo(fd: number): Promise<ClientInfo | null> {
    return (await this.describe(fd)).info;
  }

  private async describe(fd: number): Promise<Described> {
    if (this.isLocal(fd)) return this.describeLocal(fd);
    const answer = await this.remote(fd, { t: 'info', fd, rid: 0 });
    return typeof answer === 'object' && answer !== null ? (answer as Described) : { exist: false, established: false, info: null };
  }

  private describeLocal(fd: number): Described {
    const info = this.localClientInfo(fd);
    return {
      exist: info !== null || this.upgrader.pending.has(fd) || this.entry.sockets.has(fd),
      established: info?.websocketStatus === WebSocketStatus.Active,
      info,
    };
  }

  /** A request to fd's owner; 'unreachable' or 'timeout' instead of an answer when the bus fails. */
  private async remote(fd: number, msg: BusMessage): Promise<unknown> {
    const owner = this.router!.owner(fd);
    if (!owner) return msg.t === 'push' ? 'unknown' : null;
    try {
      return await this.router!.request(owner, msg);
    } catch (err) {
      if (err instanceof RemoteCallError) {
        if (msg.t !== 'push') return null;
        return err.code === 'ERR_TIMEOUT' ? 'timeout' : 'unreachable';
      }
      throw err;
    }
  }

  /** This worker's connection details, synchronously; null when this worker does not hold fd. */
  localClientInfo(fd: number): ClientInfo | null {
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
      uid: this.uidOf.get(fd) ?? null,
      rooms: this.rooms.roomsOf(fd),
    };
  }

  /** Exempts a connection of this worker from the heartbeat (Swoole's protect()). */
  protect(fd: number, value = true): boolean {
    const c = this.conns.get(fd);
    if (!c) return false;
    c.protected = value;
    return true;
  }

  /**
   * The established fds: `for (const fd of server.connections)` iterates this worker's,
   * `for await (const fd of server.connections)` the whole cluster's.
   */
  get connections(): Iterable<number> & AsyncIterable<number> {
    const local = () => this.conns.keys();
    const all = () => this.allConnections();
    return {
      [Symbol.iterator]: local,
      async *[Symbol.asyncIterator]() {
        yield* await all();
      },
    };
  }

  private async allConnections(): Promise<number[]> {
    if (this.sessions) return this.sessions.all();
    const lists = await this.gather('fds', []);
    return [...this.conns.keys(), ...lists.flat()];
  }

  // ---- broadcast, rooms, uids, worker messages -----------------------------------------

  /**
   * Sends to every established connection of the cluster exactly once: one bus message per
   * worker, the frame encoded once per worker. False when a bus could not carry it.
   */
  broadcast(data: string | Buffer | Uint8Array, options: { except?: number | number[]; opcode?: number } = {}): boolean {
    return this.fanOut(data, options.opcode, toList(options.except), undefined);
  }

  /** The members of `room` across the cluster: `server.to('lobby').except(fd).push(data)`. */
  to(room: string): RoomTarget {
    const except: number[] = [];
    const target: RoomTarget = {
      except: (fds) => {
        except.push(...toList(fds));
        return target;
      },
      push: (data, opcode) => this.fanOut(data, opcode, except, room),
    };
    return target;
  }

  private fanOut(data: string | Buffer | Uint8Array, opcode: number | undefined, except: number[], room: string | undefined): boolean {
    const op = opcodeFor(data, opcode);
    // The other workers first: they fan out in parallel while this one writes its own share.
    const sent = this.router
      ? this.router.broadcast({ t: 'broadcast', op, data: remotePayload(data), ...(except.length ? { except } : {}), ...(room !== undefined ? { room } : {}) })
      : true;
    this.broadcastLocal(op, toBuffer(data), except, room);
    return sent;
  }

  private broadcastLocal(op: number, payload: Buffer, except: readonly number[], room: string | undefined): number {
    const frame = encodeForQueue(op, payload);
    const skip = except.length > 0 ? new Set(except) : null;
    let n = 0;
    const targets = room === undefined ? this.conns.keys() : this.rooms.fds(room);
    for (const fd of targets) {
      if (skip?.has(fd)) continue;
      const status = this.conns.get(fd)?.sendShared(payload, op, frame);
      if (status === 'written' || status === 'queued') n++;
    }
    this.counters.messagesOut += n;
    return n;
  }

  /** Adds fd (any fd of the cluster) to a room; membership ends when the connection closes. */
  join(fd: number, room: string): boolean {
    if (!this.isLocal(fd)) return this.router!.send(this.router!.owner(fd)!, { t: 'join', fd, room });
    if (!this.conns.has(fd)) return false;
    this.rooms.join(fd, room);
    return true;
  }

  leave(fd: number, room: string): boolean {
    if (!this.isLocal(fd)) return this.router!.send(this.router!.owner(fd)!, { t: 'leave', fd, room });
    return this.rooms.leave(fd, room);
  }

  /** Attaches a user id to fd (any fd of the cluster); one uid may have many fds. */
  bind(fd: number, uid: string | number): boolean {
    const key = String(uid);
    if (!this.isLocal(fd)) return this.router!.send(this.router!.owner(fd)!, { t: 'call', method: 'bind', args: [fd, key], rid: 0 });
    if (!this.conns.has(fd)) return false;
    this.unbindLocal(fd);
    this.sessions?.bind(fd, key);
    this.uidOf.set(fd, key);
    let fds = this.fdsOfUid.get(key);
    if (!fds) this.fdsOfUid.set(key, (fds = new Set()));
    fds.add(fd);
    return true;
  }

  private unbindLocal(fd: number): void {
    const uid = this.uidOf.get(fd);
    if (uid === undefined) return;
    this.uidOf.delete(fd);
    const fds = this.fdsOfUid.get(uid);
    fds?.delete(fd);
    if (fds?.size === 0) this.fdsOfUid.delete(uid);
  }

  /** Every fd bound to uid across the cluster. */
  async getFdsByUid(uid: string | number): Promise<number[]> {
    const key = String(uid);
    if (this.sessions) return this.sessions.fdsByUid(key);
    const remote = await this.gather('fdsByUid', [key]);
    return [...(this.fdsOfUid.get(key) ?? []), ...remote.flat()];
  }

  /** Pushes to every fd bound to uid, wherever they are: one bus message per worker. */
  pushToUid(uid: string | number, data: string | Buffer | Uint8Array, opcode?: number): boolean {
    const key = String(uid);
    const op = opcodeFor(data, opcode);
    const sent = this.router ? this.router.broadcast({ t: 'call', method: 'pushUid', args: [key, remotePayload(data), op], rid: 0 }) : true;
    this.pushUidLocal(key, toBuffer(data), op);
    return sent;
  }

  private pushUidLocal(uid: string, payload: Buffer, op: number): number {
    let n = 0;
    for (const fd of this.fdsOfUid.get(uid) ?? []) if (this.push(fd, payload, op)) n++;
    return n;
  }

  /**
   * Sends `data` to another worker's `pipeMessage` callback (Swoole's sendMessage). workerId is
   * the slot on this node, or node * 256 + slot for a worker of another node.
   */
  sendMessage(data: unknown, workerId: number): boolean {
    if (!this.router) return false;
    const to = { node: workerId >= 256 ? Math.floor(workerId / 256) : this.router.self.node, slot: workerId % 256 };
    if (this.router.isSelf(to)) return false; // as Swoole: not to yourself
    return this.router.send(to, { t: 'pipe', src: this.globalWorkerId, data });
  }

  /** This node's id (0 on a single host). */
  get node(): number {
    return this.router?.self.node ?? 0;
  }

  /** This worker's id across nodes: node * 256 + slot (equal to workerId on node 0). */
  get globalWorkerId(): number {
    return (this.router?.self.node ?? 0) * 256 + this.workerId;
  }

  /** Asks every other worker of the cluster for a list and waits (bounded) for the answers. */
  private async gather(method: string, args: unknown[]): Promise<number[][]> {
    if (!this.router) return [];
    const self = this.router.self;
    const peers = this.peers().filter((p) => !this.router!.isSelf(p));
    const answers = await Promise.all(
      peers.map((to) => this.router!.request(to, { t: 'call', method, args, rid: 0 }).catch(() => null)),
    );
    void self;
    return answers.filter((a): a is number[] => Array.isArray(a));
  }

  /** The workers this one can ask: every slot of this node (other nodes come with the Redis session table). */
  private peers(): WorkerAddress[] {
    const node = this.router?.self.node ?? 0;
    return Array.from({ length: this.workerCount }, (_, slot) => ({ node, slot }));
  }

  /** Runs what another worker asked of this one (LocalHandler for the router). */
  private execute(msg: BusMessage, from: WorkerAddress): unknown {
    switch (msg.t) {
      case 'push': {
        const status = this.pushLocal(msg.fd, toBuffer(msg.data), msg.op);
        this.counters[REMOTE_OUTCOME[status]]++;
        return status;
      }
      case 'disconnect':
        return this.disconnect(msg.fd, msg.code, msg.reason);
      case 'close':
        return this.close(msg.fd);
      case 'info':
        return this.describeLocal(msg.fd);
      case 'broadcast':
        return this.broadcastLocal(msg.op, toBuffer(msg.data), msg.except ?? [], msg.room);
      case 'join':
        return this.join(msg.fd, msg.room);
      case 'leave':
        return this.leave(msg.fd, msg.room);
      case 'pipe':
        this.invokePipe(msg.src, msg.data);
        return undefined;
      case 'call':
        return this.call(msg.method, msg.args);
      case 'reply':
        return undefined;
    }
    void from;
  }

  private call(method: string, args: unknown[]): unknown {
    switch (method) {
      case 'bind':
        return this.bind(args[0] as number, args[1] as string);
      case 'fdsByUid':
        return [...(this.fdsOfUid.get(String(args[0])) ?? [])];
      case 'pushUid':
        return this.pushUidLocal(String(args[0]), toBuffer(args[1] as string | Buffer), args[2] as number);
      case 'fds':
        return [...this.conns.keys()];
      default:
        this.log.warn({ method }, 'unknown bus call');
        return null;
    }
  }

  private invokePipe(src: number, data: unknown): void {
    const cb = this.callbacks.pipeMessage;
    if (!cb) return;
    try {
      const r = cb(this, src, data);
      if (r instanceof Promise) r.catch((err: unknown) => this.log.error({ err, src }, 'pipeMessage callback failed'));
    } catch (err) {
      this.log.error({ err, src }, 'pipeMessage callback failed');
    }
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
      pushesForwarded: l.pushesForwarded,
      pushesUnreachable: l.pushesUnreachable,
      remotePushWritten: l.remotePushWritten,
      remotePushQueued: l.remotePushQueued,
      remotePushDropped: l.remotePushDropped,
      remotePushClosed: l.remotePushClosed,
      remotePushUnknown: l.remotePushUnknown,
      handoffFailed: 0,
      unavailable: 0,
      messagesIn: l.messagesIn,
      messagesOut: l.messagesOut,
      bytesIn: l.bytesIn,
      bytesOut: l.bytesOut,
      dispatchMode: 'single-process',
      workerRestarts: 0,
      uptime: (Date.now() - this.startTime) / 1000,
      node: this.node,
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

interface Described {
  exist: boolean;
  established: boolean;
  info: ClientInfo | null;
}

/** `server.to(room)`: a room push, optionally skipping some fds. */
export interface RoomTarget {
  except(fds: number | number[]): RoomTarget;
  push(data: string | Buffer | Uint8Array, opcode?: number): boolean;
}

function opcodeFor(data: string | Buffer | Uint8Array, opcode: number | undefined): number {
  const op = opcode ?? (typeof data === 'string' ? Opcode.Text : Opcode.Binary);
  if (op !== Opcode.Text && op !== Opcode.Binary && op !== Opcode.Ping && op !== Opcode.Pong) {
    throw new TypeError(`push: opcode ${op} is not text (1), binary (2), ping (9) or pong (10)`);
  }
  return op;
}

function toBuffer(data: string | Buffer | Uint8Array): Buffer {
  if (typeof data === 'string') return Buffer.from(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** What crosses the bus: strings stay strings (encoded once, by the receiver), bytes as Buffers. */
function remotePayload(data: string | Buffer | Uint8Array): string | Buffer {
  return typeof data === 'string' ? data : toBuffer(data);
}

function toList(fds: number | number[] | undefined): number[] {
  return fds === undefined ? [] : Array.isArray(fds) ? fds : [fds];
}
