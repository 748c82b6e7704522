import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import { HandshakeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { buildHttpResponse, validateUpgrade, type UpgradeRequestHead, type ValidUpgrade } from '../shared/protocol/handshake.ts';

/** What the HTTP entry hands to the server for each upgrade it validated. */
export interface UpgradeHandler {
  upgrade(fd: number, req: IncomingMessage, socket: Socket, head: Buffer, valid: ValidUpgrade): void;
  request(req: IncomingMessage, res: ServerResponse): void;
  /** A socket that never became a WebSocket closed (Swoole's onDisconnect). */
  socketClosed(fd: number): void;
  /** Why a new upgrade can't be taken now (503), or null. */
  refuseReason(): string | null;
}

const FD = Symbol('switchyard.fd');
type TaggedSocket = Socket & { [FD]?: number };

/**
 * The entry point for accepted sockets: Node's own HTTP parser (llhttp) in an http.Server
 * that never listens. Sockets are injected with emit('connection'), which is exactly how the
 * master's hand-off will feed workers. It enforces the handshake deadline and header cap and
 * answers every malformed or refused upgrade with one precise status.
 *
 * Nothing per socket outlives its upgrade: one shared 'close' listener (removed at the
 * upgrade) and one timer for all handshake deadlines. A socket that becomes a WebSocket
 * carries no closure, timer or extra property of ours from here (memory per idle connection).
 */
export class HttpEntry {
  private readonly http;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly handler: UpgradeHandler;
  /** Sockets accepted and not (yet) WebSockets: for shutdown and the 'disconnect' callback. */
  readonly sockets = new Map<number, Socket>();
  /**
   * Handshake deadlines (fd → ms) of sockets that have not sent a request yet. Every socket
   * gets the same timeout, so insertion order is deadline order: one timer, armed for the
   * oldest, serves them all.
   */
  private readonly deadlines = new Map<number, number>();
  private deadlineTimer: NodeJS.Timeout | null = null;
  /** Shared by every socket (`this` is the socket): no closure per connection. */
  private readonly onSocketClose: (this: Socket) => void;

  constructor(config: Config, log: Logger, handler: UpgradeHandler) {
    this.config = config;
    this.log = log;
    this.handler = handler;
    this.http = createServer({ maxHeaderSize: config.maxHeaderSize, noDelay: true });
    // Node's own header/request timers only run for listening servers; ours is armed per socket.
    this.http.requestTimeout = 0;
    this.http.headersTimeout = 0;
    this.http.on('request', (req, res) => this.onRequest(req, res));
    this.http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(req, socket, head));
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.onClientError(err, socket));
    const entry = this;
    this.onSocketClose = function (this: Socket) {
      const fd = (this as TaggedSocket)[FD];
      if (fd === undefined) return;
      entry.deadlines.delete(fd);
      // Still here: it never became a WebSocket (refused upgrades stay until they close).
      if (entry.sockets.delete(fd)) entry.handler.socketClosed(fd);
    };
  }

  /** Injects an accepted socket; `fd` is its session id from now on. */
  attach(socket: Socket, fd: number): void {
    (socket as TaggedSocket)[FD] = fd;
    this.sockets.set(fd, socket);
    this.deadlines.set(fd, Date.now() + this.config.handshakeTimeoutMs);
    this.armDeadline();
    socket.on('close', this.onSocketClose);
    this.http.emit('connection', socket);
    // pauseOnConnect sockets stay paused until someone reads: the HTTP parser does now.
    socket.resume();
  }

  private armDeadline(): void {
    if (this.deadlineTimer !== null) return;
    const oldest = this.deadlines.values().next();
    if (oldest.done) return;
    // Unref'd: the sockets keep the process alive, not their deadlines.
    this.deadlineTimer = setTimeout(() => this.expireDeadlines(), Math.max(0, oldest.value - Date.now())).unref();
  }

  private expireDeadlines(): void {
    this.deadlineTimer = null;
    const now = Date.now();
    for (const [fd, at] of this.deadlines) {
      if (at > now) break;
      this.deadlines.delete(fd);
      const socket = this.sockets.get(fd);
      if (socket === undefined || socket.destroyed) continue;
      this.log.debug({ fd }, 'handshake timeout');
      reject(socket, 408, 'handshake timeout');
    }
    this.armDeadline();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    // A plain HTTP request disarms the deadline: keep-alive idling is Node's business.
    const fd = (req.socket as TaggedSocket)[FD];
    if (fd !== undefined) this.deadlines.delete(fd);
    // A WebSocket attempt that Node did not treat as an upgrade (no Connection: upgrade):
    // answer it precisely instead of handing it to the app as a plain request.
    if (typeof req.headers.upgrade === 'string' && req.headers.upgrade.toLowerCase() === 'websocket') {
      const result = validateUpgrade(headOf(req));
      if (result instanceof HandshakeError) {
        res.writeHead(result.status, { ...result.headers, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
        res.end(result.message);
        return;
      }
    }
    this.handler.request(req, res);
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const fd = (socket as TaggedSocket)[FD];
    if (fd === undefined) {
      socket.destroy();
      return;
    }
    // Node removed its 'data' listener: hold the bytes until the connection reads them.
    socket.pause();
    this.deadlines.delete(fd);
    const result = validateUpgrade(headOf(req));
    // A refused upgrade stays in `sockets`: it closes as a non-WebSocket connection.
    if (result instanceof HandshakeError) {
      this.log.debug({ fd, status: result.status, err: result.code }, 'handshake refused');
      reject(socket, result.status, result.message, Object.entries(result.headers));
      return;
    }
    const refusal = this.handler.refuseReason();
    if (refusal !== null) {
      reject(socket, 503, refusal, [['Retry-After', '1']]);
      return;
    }
    this.sockets.delete(fd);
    socket.off('close', this.onSocketClose);
    this.handler.upgrade(fd, req, socket, head, result);
  }

  private onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    this.log.debug({ fd: (socket as TaggedSocket)[FD], err: err.code, status }, 'bad HTTP request');
    reject(socket, status, status === 431 ? 'request headers too large' : 'bad request');
  }

  /** Refuses everything still waiting to become a WebSocket (shutdown). */
  closeAll(): void {
    for (const socket of this.sockets.values()) reject(socket, 503, 'server shutting down');
  }
}

/** Writes a complete refusal and closes once it is flushed; a reset peer is just destroyed. */
export function reject(socket: Socket, status: number, message: string, headers: ReadonlyArray<readonly [string, string]> = []): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(buildHttpResponse(status, message, headers));
  // A peer that never reads must not pin the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}

function headOf(req: IncomingMessage): UpgradeRequestHead {
  return { method: req.method ?? '', httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor, headers: req.headers };
}
