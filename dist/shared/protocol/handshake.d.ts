import { type HttpError } from '../errors.ts';
export interface UpgradeRequestHead {
    method: string;
    httpVersionMajor: number;
    httpVersionMinor: number;
    /** Lower-case names, as node's IncomingMessage.headers. */
    headers: Record<string, string | string[] | undefined>;
}
export interface ValidUpgrade {
    key: string;
    /** Subprotocols the client offered, in its order (Sec-WebSocket-Protocol, comma-separated tokens). */
    protocols: string[];
    /** Raw Sec-WebSocket-Extensions value(s) joined with ', ', or undefined. */
    extensions: string | undefined;
}
export declare function isToken(s: string): boolean;
export declare function isValidHeaderName(name: string): boolean;
export declare function isValidHeaderValue(value: string): boolean;
/**
 * Validates a client's opening handshake (RFC 6455 §4.2.1); the first failure wins. A
 * HandshakeError, or an HttpError for what any request would be refused for (HTTP/2.0: 505).
 */
export declare function validateUpgrade(req: UpgradeRequestHead): ValidUpgrade | HttpError;
/** Sec-WebSocket-Accept (RFC 6455 §4.2.2 item 5.4): base64(SHA-1(key + GUID)). */
export declare function acceptKey(key: string): string;
/**
 * The 101 response head (RFC 6455 §4.2.2 item 5), ending with the empty line. Characters
 * are latin1 (header values may carry obs-text): write it with the 'latin1' encoding.
 */
export declare function buildUpgradeResponse(opts: {
    accept: string;
    protocol?: string;
    extensions?: string;
    headers?: ReadonlyArray<readonly [string, string]>;
}): string;
/**
 * Statuses a refusal may carry: final ones (RFC 9110 §15.2: 1xx are interim, and 101 is the
 * upgrade itself) that have content, since a refusal always carries a body and its length
 * (§15.3.5, §15.3.6, §15.4.5: 204, 205 and 304 have none).
 */
export declare function isRefusalStatus(status: number): boolean;
/** Why an app's header cannot go on a 101 or a refusal, or null when it can. */
export declare function appHeaderProblem(name: unknown, value: unknown): string | null;
/**
 * A complete refusal response. We always close after it (Connection: close): the socket
 * was headed for an upgrade, nothing else may follow on it. The body defaults to the
 * reason phrase so a human poking with curl sees why.
 */
export declare function buildHttpResponse(status: number, body?: string | Uint8Array, headers?: ReadonlyArray<readonly [string, string]>): Buffer;
//# sourceMappingURL=handshake.d.ts.map