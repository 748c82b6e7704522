import type { Socket } from 'node:net';
import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';
import { acceptKey, buildUpgradeResponse, type ValidUpgrade } from '../../shared/protocol/handshake.ts';
import { negotiateDeflate, type DeflateSettings } from '../../shared/protocol/permessage-deflate.ts';
import { PerMessageDeflate } from '../connection/deflate-codec.ts';
import { Connection, type ConnectionHost } from '../connection/connection.ts';
import { HandshakeRequest, HandshakeResponse, type RequestSource } from './handshake-io.ts';
import { clientAddressOf } from './client-address.ts';
import { AddressSet } from '../../shared/proxy/address-match.ts';
import { reject } from './http-entry.ts';
import type { ServerApi, ServerCallbacks } from '../app-contract.ts';


/** What the deadline of an async handshake hook resolves to. */
const HOOK_TIMED_OUT: unique symbol = Symbol('handshake hook timed out');
/** What the handshake flow needs from the server that owns it. */
export interface UpgradeHost extends ConnectionHost {
  readonly config: Config;
  readonly log: Logger;
  readonly server: ServerApi;
  handshakeHook(): ServerCallbacks['handshake'] | undefined;
  /** Why a new connection can't be established now (503), or null. */
  capacityRefusal(): string | null;
  /** The handshake completed (the socket arrived at `arrivedAt`, performance.now()): register the connection and fire `open`. */
  established(conn: Connection, request: HandshakeRequest, arrivedAt: number): void;
  /** A refusal with `status` is being written (counted by status). */
  refused(status: number): void;
  /** A connection ended before its handshake completed (`disconnect`), `aborted` if the client left. */
  unestablished(fd: number, aborted: boolean): void;
}

/**
 * The upgrade after RFC 6455 validation: the app's handshake hook decides (it may be async),
 * then the server itself writes the whole 101 — subprotocol only if offered, the negotiated
 * extension, the hook's extra headers — so no half-written handshake can exist.
 */
export class Upgrader {
  /** Upgrades waiting for the app's hook, by fd. */
  readonly pending = new Map<number, Socket>();
  private readonly host: UpgradeHost;
  /** The compression settings every negotiation uses (a reload rebuilds moved connections with them). */
  readonly deflateSettings: DeflateSettings;
  /** Proxies whose forwarding headers are believed (config.trustProxy). */
  private readonly trustProxy: AddressSet;

  constructor(host: UpgradeHost) {
    this.host = host;
    const c = host.config;
    this.trustProxy = AddressSet.parse(c.trustProxy).set;
    this.deflateSettings = {
      serverNoContextTakeover: c.serverNoContextTakeover,
      clientNoContextTakeover: c.clientNoContextTakeover,
      serverMaxWindowBits: c.serverMaxWindowBits,
      clientMaxWindowBits: c.clientMaxWindowBits,
      threshold: c.compressionThreshold,
      level: 3,
      memLevel: 8,
    };
  }

  upgrade(fd: number, req: RequestSource, socket: Socket, head: Buffer, valid: ValidUpgrade, arrivedAt: number): void {
    const request = new HandshakeRequest(fd, req, valid.protocols, clientAddressOf(socket, req.headers, this.trustProxy));
    const response = new HandshakeResponse();
    const hook = this.host.handshakeHook();
    // No hook, or a hook that answers synchronously (routing, a token check): decided in this
    // turn, with no promise or listener per connection (the common case of a handshake storm).
    let answer: ReturnType<NonNullable<typeof hook>> = true;
    if (hook) {
      try {
        answer = hook(request, response, this.host.server);
      } catch (err) {
        this.hookFailed(fd, response, err);
      }
    }
    if (isThenable(answer)) {
      // Whatever goes wrong after the hook settles stays with this socket: an unhandled
      // rejection would end the worker and every connection on it.
      this.awaitHook(answer, fd, request, response, socket, head, valid, arrivedAt).catch((err: unknown) => this.failed(fd, socket, err));
    } else {
      try {
        this.decide(fd, request, response, socket, head, valid, answer, arrivedAt);
      } catch (err) {
        this.failed(fd, socket, err);
      }
    }
  }

  /** A failure of our own after the hook: logged, and only this socket pays. */
  private failed(fd: number, socket: Socket, err: unknown): void {
    this.host.log.error({ fd, err }, 'handshake failed');
    socket.destroy();
  }

  private hookFailed(fd: number, response: HandshakeResponse, err: unknown): void {
    this.host.log.error({ fd, err }, 'handshake callback failed');
    response.status(500).end('internal error');
  }

  /** An async hook: the socket waits in `pending`; a client that leaves meanwhile is only reported. */
  private async awaitHook(answer: PromiseLike<boolean | void>, fd: number, request: HandshakeRequest, response: HandshakeResponse, socket: Socket, head: Buffer, valid: ValidUpgrade, arrivedAt: number): Promise<void> {
    const host = this.host;
    this.pending.set(fd, socket);
    let gone = false;
    const onGone = () => {
      gone = true;
    };
    socket.once('close', onGone);
    // The hook may never settle (a stuck lookup): the socket is not held past the deadline.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof HOOK_TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, host.config.handshakeHookTimeoutMs, HOOK_TIMED_OUT);
    });
    let accepted: boolean | void = true;
    try {
      const settled = await Promise.race([answer, deadline]);
      if (settled === HOOK_TIMED_OUT) {
        this.pending.delete(fd);
        socket.off('close', onGone);
        if (gone || socket.destroyed) return host.unestablished(fd, true);
        host.log.warn({ event: 'handshake-hook-timeout', fd, ms: host.config.handshakeHookTimeoutMs }, 'async handshake hook did not settle in time: 503');
        return this.refuse(fd, socket, 503, 'handshake timed out', [['Retry-After', '1']]);
      }
      accepted = settled;
    } catch (err) {
      this.hookFailed(fd, response, err);
    } finally {
      clearTimeout(timer);
    }
    this.pending.delete(fd);
    socket.off('close', onGone);
    if (gone || socket.destroyed) {
      // The client left while the hook ran: nothing to write, just tell the app.
      host.unestablished(fd, true);
      return;
    }
    this.decide(fd, request, response, socket, head, valid, accepted, arrivedAt);
  }

  private decide(fd: number, request: HandshakeRequest, response: HandshakeResponse, socket: Socket, head: Buffer, valid: ValidUpgrade, accepted: boolean | void, arrivedAt: number): void {
    const host = this.host;
    // The hook's answer is checked as a whole before a byte is written: its fields are public,
    // and a 1xx status or a Transfer-Encoding header would make a response we cannot build.
    const problem = host.handshakeHook() === undefined ? null : response.problem();
    if (problem !== null) {
      host.log.error({ fd, problem }, 'handshake hook gave an answer that cannot be sent: 500');
      this.refuse(fd, socket, 500, 'internal error', []);
      return;
    }
    if (response.statusCode !== 101 || accepted === false) {
      const status = response.statusCode !== 101 ? response.statusCode : 403;
      host.log.debug({ fd, status }, 'handshake refused by app');
      const body = response.body.length > 0 ? response.body : defaultBody(status);
      this.refuse(fd, socket, status, body, response.headers);
      return;
    }
    const refusal = host.capacityRefusal();
    if (refusal !== null) {
      this.refuse(fd, socket, 503, refusal, [['Retry-After', '1']]);
      return;
    }
    this.establish(fd, request, response, socket, head, valid, arrivedAt);
  }

  private refuse(fd: number, socket: Socket, status: number, body: string | Uint8Array, headers: ReadonlyArray<readonly [string, string]>): void {
    socket.once('close', () => this.host.unestablished(fd, false));
    if (reject(socket, status, body, headers)) this.host.refused(status);
  }

  private establish(fd: number, request: HandshakeRequest, response: HandshakeResponse, socket: Socket, head: Buffer, valid: ValidUpgrade, arrivedAt: number): void {
    const host = this.host;
    // A subprotocol only if the client offered it (RFC 6455 §4.2.2): the hook's pick, or the client's first.
    let protocol = '';
    if (response.chosenProtocol === undefined) protocol = valid.protocols[0] ?? '';
    else if (response.chosenProtocol !== null) {
      if (valid.protocols.includes(response.chosenProtocol)) protocol = response.chosenProtocol;
      else host.log.warn({ fd, protocol: response.chosenProtocol }, 'handshake hook chose a subprotocol the client did not offer; none sent');
    }
    request.protocol = protocol;
    const negotiated = host.config.websocketCompression ? negotiateDeflate(valid.extensions, this.deflateSettings) : null;
    const deflate = negotiated ? new PerMessageDeflate(negotiated.agreement, this.deflateSettings) : null;
    const reply: Parameters<typeof buildUpgradeResponse>[0] = { accept: acceptKey(valid.key), headers: response.headers };
    if (protocol) reply.protocol = protocol;
    if (negotiated) reply.extensions = negotiated.response;
    socket.write(buildUpgradeResponse(reply), 'latin1');
    const conn = new Connection({
      fd,
      socket,
      host,
      log: host.log,
      deflate,
      path: request.path,
      protocol,
      extensions: negotiated?.response ?? '',
      client: request,
    });
    host.established(conn, request, arrivedAt);
    // Bytes that came with the upgrade request, then everything else.
    if (!socket.destroyed) {
      conn.receive(head);
      socket.resume();
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<boolean | void> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function defaultBody(status: number): string {
  return status === 403 ? 'forbidden' : status === 404 ? 'not found' : status === 401 ? 'unauthorized' : `refused (${status})`;
}
