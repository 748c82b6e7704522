import { type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';
import { type ValidUpgrade } from '../../shared/protocol/handshake.ts';
import type { RequestSource } from './handshake-io.ts';
import { type HttpRequest } from './client-address.ts';
/** What the HTTP entry hands to the server for each upgrade it validated. */
export interface UpgradeHandler {
    /** `arrivedAt`: when the socket reached this entry (performance.now()), for the handshake's duration. */
    upgrade(fd: number, req: RequestSource, socket: Socket, head: Buffer, valid: ValidUpgrade, arrivedAt: number): void;
    /** The entry answered a socket with `status` itself (a refusal, a deadline, a malformed request). */
    refused(status: number): void;
    request(req: HttpRequest, res: ServerResponse): void;
    /** A socket that never became a WebSocket closed (Swoole's onDisconnect). */
    socketClosed(fd: number): void;
    /** Why a new upgrade can't be taken now (503), or null. */
    refuseReason(): string | null;
    /** Upgrades waiting for the app's handshake hook: not WebSockets yet, counted with ours. */
    awaitingHook(): number;
}
/**
 * The entry point for accepted sockets. The first bytes are read here: a plain, well-formed
 * `GET … HTTP/1.1` upgrade (what a WebSocket server mostly sees) is read by our own small
 * reader (protocol/request-head.ts) and upgraded at once; anything else — plain HTTP, other
 * methods or versions, anything malformed or unusual — goes with the bytes already read to
 * Node's own HTTP parser (llhttp) in an http.Server that never listens (emit('connection')),
 * as soon as the bytes cannot be the fast form. Node's per-request objects cost about a fifth
 * of a handshake's CPU; the upgrade does not need them. Both paths pass the same RFC 9112
 * checks (version, Host, target form), every phase has a deadline (Node's own timeouts only
 * run for listening servers), at most maxPendingHandshakes sockets are not WebSockets at a
 * time, and every malformed or refused request gets one precise status.
 *
 * Nothing per socket outlives its upgrade: one shared 'close' listener (removed at the
 * upgrade) and one timer for all deadlines. A socket that becomes a WebSocket carries no
 * closure, timer or extra property of ours from here (memory per idle connection).
 */
export declare class HttpEntry {
    private readonly http;
    private readonly config;
    private readonly log;
    private readonly handler;
    /** allowedOrigins / requireOrigin: a handshake from another origin gets 403 before any hook. */
    private readonly origins;
    /** Sockets accepted and not (yet) WebSockets: for shutdown and the 'disconnect' callback. */
    readonly sockets: Map<number, Socket>;
    /** Deadlines of every phase, and Node's requests and responses they follow. */
    private readonly phases;
    /** Shared by every socket (`this` is the socket): no closure per connection. */
    private readonly onSocketClose;
    private readonly onRefusedClose;
    private readonly onHeadData;
    /** The bytes of request heads not complete yet, by fd (most arrive in one read). */
    private readonly partialHeads;
    /** When each socket in `sockets` arrived (performance.now()): a handshake's duration starts there. */
    private readonly arrivedAt;
    /** Proxies whose forwarding headers are believed (config.trustProxy). */
    private readonly trustProxy;
    constructor(config: Config, log: Logger, handler: UpgradeHandler);
    /** Injects an accepted socket; `fd` is its session id from now on. */
    attach(socket: Socket, fd: number): void;
    /** Request bytes before any parser has them: an upgrade we read ourselves, or Node's parser. */
    private readHead;
    /** Everything but the fast upgrade: Node's HTTP server parses it all, from the first byte. */
    private toNodeHttp;
    /** A deadline passed: the socket is answered (408) if that cannot garble a response, and closed. */
    private expire;
    /** Stops reading (no parser may take a late request) and closes, after `status` if given. */
    private closeWith;
    private onRequest;
    private onUpgrade;
    /** An upgrade request, read by either parser: validated, then handed to the server or refused. */
    private upgradeWith;
    private refuse;
    /** reject(), counted by status when written. */
    private reject;
    /** Drops every deadline and buffer of fd's HTTP phase. */
    private forget;
    private onClientError;
    /** Refuses everything still waiting to become a WebSocket (shutdown). */
    closeAll(): void;
}
/** Writes a complete refusal and closes once it is flushed; a reset peer is just destroyed. True when the refusal was written. */
export declare function reject(socket: Socket, status: number, message: string | Uint8Array, headers?: ReadonlyArray<readonly [string, string]>): boolean;
//# sourceMappingURL=http-entry.d.ts.map