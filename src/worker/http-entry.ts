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
type TaggedSocket = Socket & { [FD]?: number; upgraded?: boolean };

/**
 * The entry point for accepted sockets: Node's own HTTP parser (llhttp) in an http.Server
 * that never listens. Sockets are injected with emit('connection'), which is exactly how the
 * master's hand-off will feed workers. It enforces the handshake deadline and header cap and
 * answers every malformed or refused upgrade with one precise status.
 */
export class HttpEntry {
  private readonly http;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly handler: UpgradeHandler;
  /** Sockets accepted and not (yet) WebSockets: for shutdown and the 'disconnect' callback. */
  readonly sockets = new Map<number, Socket>();

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
  }

  /** Injects an accepted socket; `fd` is its session id from now on. */
  attach(socket: Socket, fd: number): void {
    const tagged = socket as TaggedSocket;
    tagged[FD] = fd;
    this.sockets.set(fd, socket);
    const deadline = setTimeout(() => {
      if (socket.destroyed || tagged.upgraded) return;
      this.log.debug({ fd }, 'handshake timeout');
      reject(socket, 408, 'handshake timeout');
    }, this.config.handshakeTimeoutMs);
    socket.once('close', () => {
      clearTimeout(deadline);
      this.sockets.delete(fd);
      if (!tagged.upgraded) this.handler.socketClosed(fd);
    });
    // A plain HTTP request disarms the deadline: keep-alive idling is Node's business.
    (socket as Socket & { clearDeadline?: () => void }).clearDeadline = () => clearTimeout(deadline);
    this.http.emit('connection', socket);
    // pauseOnConnect sockets stay paused until someone reads: the HTTP parser does now.
    socket.resume();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket as Socket & { clearDeadline?: () => void };
    socket.clearDeadline?.();
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
    const tagged = socket as TaggedSocket;
    const fd = tagged[FD];
    if (fd === undefined) {
      socket.destroy();
      return;
    }
    // Node removed its 'data' listener: hold the bytes until the connection reads them.
    socket.pause();
    tagged.upgraded = true;
    const result = validateUpgrade(headOf(req));
    if (result instanceof HandshakeError) {
      this.log.debug({ fd, status: result.status, err: result.code }, 'handshake refused');
      this.release(fd);
      reject(socket, result.status, result.message, Object.entries(result.headers));
      return;
    }
    const refusal = this.handler.refuseReason();
    if (refusal !== null) {
      this.release(fd);
      reject(socket, 503, refusal, [['Retry-After', '1']]);
      return;
    }
    this.sockets.delete(fd);
    this.handler.upgrade(fd, req, socket, head, result);
  }

  /** A refused upgrade still counts as a closed non-WebSocket connection. */
  private release(fd: number): void {
    const socket = this.sockets.get(fd) as TaggedSocket | undefined;
    if (socket) socket.upgraded = false;
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
