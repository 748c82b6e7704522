import { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { type ValidUpgrade } from '../shared/protocol/handshake.ts';
import type { RequestSource } from './handshake-io.ts';
/** What the HTTP entry hands to the server for each upgrade it validated. */
export interface UpgradeHandler {
    upgrade(fd: number, req: RequestSource, socket: Socket, head: Buffer, valid: ValidUpgrade): void;
    request(req: IncomingMessage, res: ServerResponse): void;
    /** A socket that never became a WebSocket closed (Swoole's onDisconnect). */
    socketClosed(fd: number): void;
    /** Why a new upgrade can't be taken now (503), or null. */
    refuseReason(): string | null;
}
/**
 * The entry point for accepted sockets. The first bytes are read here: a plain, well-formed
 * `GET … HTTP/1.1` upgrade (what a WebSocket server mostly sees) is read by our own small
 * reader (protocol/request-head.ts) and upgraded at once; anything else — plain HTTP, other
 * methods or versions, anything malformed or unusual — goes with the bytes already read to
 * Node's own HTTP parser (llhttp) in an http.Server that never listens (emit('connection')).
 * Node's per-request objects cost about a fifth of a handshake's CPU; the upgrade does not
 * need them. It enforces the handshake deadline and header cap and answers every malformed
 * or refused upgrade with one precise status.
 *
 * Nothing per socket outlives its upgrade: one shared 'close' listener (removed at the
 * upgrade) and one timer for all handshake deadlines. A socket that becomes a WebSocket
 * carries no closure, timer or extra property of ours from here (memory per idle connection).
 */
export declare class HttpEntry {
    private readonly http;
    private readonly config;
    private readonly log;
    private readonly handler;
    /** Sockets accepted and not (yet) WebSockets: for shutdown and the 'disconnect' callback. */
    readonly sockets: Map<number, Socket>;
    /**
     * Handshake deadlines (fd → ms) of sockets that have not sent a request yet. Every socket
     * gets the same timeout, so insertion order is deadline order: one timer, armed for the
     * oldest, serves them all.
     */
    private readonly deadlines;
    private deadlineTimer;
    /** Shared by every socket (`this` is the socket): no closure per connection. */
    private readonly onSocketClose;
    private readonly onHeadData;
    /** The bytes of request heads not complete yet, by fd (most arrive in one read). */
    private readonly partialHeads;
    constructor(config: Config, log: Logger, handler: UpgradeHandler);
    /** Injects an accepted socket; `fd` is its session id from now on. */
    attach(socket: Socket, fd: number): void;
    /** Request bytes before any parser has them: an upgrade we read ourselves, or Node's parser. */
    private readHead;
    /** Everything but the fast upgrade: Node's HTTP server parses it all, from the first byte. */
    private toNodeHttp;
    private armDeadline;
    private expireDeadlines;
    private onRequest;
    private onUpgrade;
    /** An upgrade request, read by either parser: validated, then handed to the server or refused. */
    private upgradeWith;
    private onClientError;
    /** Refuses everything still waiting to become a WebSocket (shutdown). */
    closeAll(): void;
}
/** Writes a complete refusal and closes once it is flushed; a reset peer is just destroyed. */
export declare function reject(socket: Socket, status: number, message: string, headers?: ReadonlyArray<readonly [string, string]>): void;
//# sourceMappingURL=http-entry.d.ts.map