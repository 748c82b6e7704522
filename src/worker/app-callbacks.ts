import type { ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.ts';
import { CloseCode, Opcode } from '../shared/protocol/constants.ts';
import type { CloseInfo, Connection } from './connection/connection.ts';
import type { AllCallbacks, Awaitable, Frame, ServerApi, ServerCallbacks } from './app-contract.ts';
import { upgradeRequired } from './handshake/upgrade-required.ts';
import type { HttpRequest } from './handshake/client-address.ts';

/**
 * The app's callbacks (Swoole's $server->on()) and how they run. Nothing an app callback does
 * escapes into the server: a failure is logged and, where a connection is involved, closes
 * that connection with 1011; everyone else keeps being served.
 */
export class AppCallbacks {
  private readonly registry: Partial<AllCallbacks> = {};
  private readonly server: ServerApi;
  private readonly log: Logger;

  constructor(server: ServerApi, log: Logger) {
    this.server = server;
    this.log = log;
  }

  /**
   * Registers a callback. One per event; the last one wins. Master-only hooks are accepted and
   * kept for the master; a worker never runs them.
   */
  on<E extends keyof AllCallbacks>(event: E, callback: AllCallbacks[E]): void {
    if (typeof callback !== 'function') throw new TypeError(`on('${String(event)}'): callback must be a function`);
    this.registry[event] = callback;
  }

  /** The handshake hook, which the upgrade flow runs itself (its failures become HTTP answers). */
  get handshake(): ServerCallbacks['handshake'] | undefined {
    return this.registry.handshake;
  }

  /** A complete data message: text as a string, binary as a Buffer. */
  message(conn: Connection, data: Buffer, binary: boolean): void {
    const frame: Frame = {
      fd: conn.fd,
      data: binary ? data : data.toString('utf8'),
      opcode: binary ? Opcode.Binary : Opcode.Text,
      finish: true,
    };
    this.invoke(conn, 'message', frame);
  }

  /** A control frame the app asked for (openWebsocket*Frame); close frames carry code and reason. */
  control(conn: Connection, opcode: number, payload: Buffer, code?: number, reason?: string): void {
    const frame: Frame = { fd: conn.fd, data: payload, opcode, finish: true };
    if (code !== undefined) {
      frame.code = code;
      frame.reason = reason ?? '';
    }
    this.invoke(conn, 'message', frame);
  }

  /**
   * Runs an app callback for a connection. A throw or a rejected promise is logged with the fd
   * and closes that connection with 1011; everyone else keeps being served. Unsettled
   * promises count towards the connection's inbound backpressure.
   */
  invoke<E extends 'open' | 'message' | 'adopt'>(conn: Connection, event: E, arg: Parameters<ServerCallbacks[E]>[1]): void {
    const cb = this.registry[event] as ((s: ServerApi, a: typeof arg) => Awaitable<void>) | undefined;
    if (!cb) return;
    try {
      const r = cb(this.server, arg);
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
  invokeDetached(event: 'close' | 'disconnect', fd: number, info?: CloseInfo): void {
    const cb = this.registry[event] as ((s: ServerApi, fd: number, i?: CloseInfo) => Awaitable<void>) | undefined;
    if (!cb) return;
    const fail = (err: unknown) => this.log.error({ fd, event, err }, 'callback failed');
    try {
      const r = cb(this.server, fd, info);
      if (r instanceof Promise) r.catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  /** `strict`: a failure is thrown (a reload's replacement must not serve with a failed workerStart). */
  async invokeLifecycle(event: 'workerStart' | 'workerStop', workerId: number, strict = false): Promise<void> {
    try {
      await this.registry[event]?.(this.server, workerId);
    } catch (err) {
      this.log.error({ event, err }, 'callback failed');
      if (strict) throw err;
    }
  }

  /** Another worker's sendMessage. */
  invokePipe(src: number, data: unknown): void {
    const cb = this.registry.pipeMessage;
    if (!cb) return;
    try {
      const r = cb(this.server, src, data);
      if (r instanceof Promise) r.catch((err: unknown) => this.log.error({ err, src }, 'pipeMessage callback failed'));
    } catch (err) {
      this.log.error({ err, src }, 'pipeMessage callback failed');
    }
  }

  bufferFull(conn: Connection): void {
    this.registry.bufferFull?.(this.server, conn.fd);
  }

  bufferEmpty(conn: Connection): void {
    this.registry.bufferEmpty?.(this.server, conn.fd);
  }

  /** A plain HTTP request: the app's `request` callback, or 426 when it has none; 500 when it fails. */
  request(req: HttpRequest, res: ServerResponse): void {
    const cb = this.registry.request;
    if (!cb) {
      upgradeRequired(res);
      return;
    }
    try {
      const r = cb(req, res, this.server);
      if (r instanceof Promise) r.catch((err: unknown) => this.failRequest(res, err));
    } catch (err) {
      this.failRequest(res, err);
    }
  }

  private failRequest(res: ServerResponse, err: unknown): void {
    this.log.error({ err }, 'request callback failed');
    try {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    } catch {
      // The app left the response unfinishable (e.g. a Content-Length it did not keep to).
      res.destroy();
    }
  }
}
