import { HandshakeError } from '../errors.ts';
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
/** Validates a client's opening handshake (RFC 6455 §4.2.1); the first failure wins. */
export declare function validateUpgrade(req: UpgradeRequestHead): ValidUpgrade | HandshakeError;
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
 * A complete refusal response. We always close after it (Connection: close): the socket
 * was headed for an upgrade, nothing else may follow on it. The body defaults to the
 * reason phrase so a human poking with curl sees why.
 */
export declare function buildHttpResponse(status: number, body?: string | Buffer, headers?: ReadonlyArray<readonly [string, string]>): Buffer;
//# sourceMappingURL=handshake.d.ts.map