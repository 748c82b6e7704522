import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ClientAddress } from './client-address.ts';
/** What a handshake request is read from: node's IncomingMessage, or a head our own reader took (see HttpEntry). */
export interface RequestSource {
    readonly method?: string | undefined;
    readonly url?: string | undefined;
    readonly httpVersion: string;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly rawHeaders: string[];
    readonly socket: Socket;
}
/**
 * What the `handshake` hook and `open` see of the upgrade request: Swoole's Request, with its
 * names (`header`, `get`, `cookie`, `server`) kept as aliases of the camelCase fields.
 */
export declare class HandshakeRequest {
    readonly fd: number;
    readonly method: string;
    /** Path without the query string (Swoole's server.path_info). */
    readonly path: string;
    /** Path and query string as sent (Swoole's server.request_uri). */
    readonly request_uri: string;
    readonly queryString: string;
    /** The client: behind a trusted proxy (trustProxy), the address it declared, not the socket's peer. */
    readonly remoteAddress: string;
    /** The client's port: 0 when a proxy declared the address without one (X-Forwarded-For). */
    readonly remotePort: number;
    /** The proxy (the socket's peer) whose word gave remoteAddress, or null when the peer is the client. */
    readonly proxyAddress: string | null;
    readonly proxyPort: number;
    /** Subprotocols the client offered, in its order. */
    readonly protocols: readonly string[];
    /** The subprotocol agreed on ('' for none); set once the handshake is accepted. */
    protocol: string;
    private readonly source;
    private message;
    constructor(fd: number, raw: RequestSource, protocols: readonly string[], client: ClientAddress);
    private parsed;
    get query(): Readonly<Record<string, string>>;
    get headers(): Readonly<Record<string, string>>;
    get cookies(): Readonly<Record<string, string>>;
    /**
     * Node's request object, for anything not mirrored here. Upgrades read by our own head
     * reader get one built on first use (the head, no body: an upgrade has none).
     */
    get raw(): IncomingMessage;
    get header(): Readonly<Record<string, string>>;
    get get(): Readonly<Record<string, string>>;
    get cookie(): Readonly<Record<string, string>>;
    get server(): Readonly<Record<string, string | number>>;
}
/**
 * The hook's answer. Leave the status alone (or set 101) to accept: the server then writes
 * the whole 101 itself. Set a refusal status (and optionally end(body)) to refuse. Each method
 * checks what it is given and throws a HandshakeAnswerError at the call (so the hook fails
 * with 500 where the mistake is); `problem()` checks the whole answer again before anything is
 * written, since its fields can also be set directly.
 */
export declare class HandshakeResponse {
    statusCode: number;
    body: string | Buffer | Uint8Array;
    readonly headers: Array<[string, string]>;
    /** Subprotocol picked by the hook; undefined lets the server pick the client's first. */
    chosenProtocol: string | null | undefined;
    ended: boolean;
    /** 101 accepts; a refusal is 200-599 but 204, 205 and 304 (it always carries a body). */
    status(code: number): this;
    /**
     * Adds a header to the 101 or the refusal (repeatable, e.g. Set-Cookie). Sec-WebSocket-Protocol
     * picks the subprotocol; framing, connection and other Sec-WebSocket-* headers are the server's.
     */
    header(name: string, value: string | number): this;
    /** Picks the subprotocol (sent only if the client offered it), or null for none. */
    protocol(name: string | null): this;
    end(body?: string | Buffer | Uint8Array): void;
    /** What makes this answer impossible to send as it stands, or null. */
    problem(): string | null;
}
//# sourceMappingURL=handshake-io.d.ts.map