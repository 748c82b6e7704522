import { type UpgradeRequestHead } from './handshake.ts';
/**
 * A fast reader for the one request a WebSocket server sees most: a plain, well-formed
 * `GET <path> HTTP/1.1` upgrade. It reads bytes and answers with a head or "not mine": anything
 * else — another method or version, a body, folded or malformed lines, an absolute target,
 * a plain HTTP request — is left to Node's HTTP parser (llhttp), which gives it its precise
 * answer. So this never has to reproduce llhttp's error handling, only to accept a subset of
 * what llhttp accepts, with the same header semantics as node's IncomingMessage.
 */
/** A request head read by `readUpgradeHead`: what node's IncomingMessage would carry. */
export interface UpgradeHead extends UpgradeRequestHead {
    url: string;
    /** Names and values as sent, alternating (IncomingMessage.rawHeaders). */
    rawHeaders: string[];
    headers: Record<string, string | string[]>;
}
/**
 * Where the head ends (the index after its blank line) in `bytes`, or -1 while incomplete.
 * `from` is how many bytes were already searched, so re-scans of a growing buffer stay linear.
 */
export declare function headEnd(bytes: Buffer, from?: number): number;
/**
 * Whether an incomplete head (no blank line yet) can still become one `readUpgradeHead`
 * reads: it starts as `GET /`, its request line, once complete, ends in ` HTTP/1.1` after a
 * valid target, and no byte so far is one the reader refuses anywhere (a control character, a
 * CR not followed by LF, a bare LF). When it cannot, the caller gives the bytes to Node's parser
 * at once, which answers garbage, a TLS ClientHello or a bare-LF head with 400 as they arrive
 * rather than at the deadline, and reads anything valid as it would have anyway. `from` is how
 * many bytes an earlier call already checked.
 */
export declare function mayBeUpgradeHead(bytes: Buffer, from?: number): boolean;
/**
 * The head `bytes[0, end)` (end from `headEnd`) as an upgrade request, or null when it is not
 * a plain HTTP/1.1 GET upgrade in the strict form read here (Node's parser takes it then).
 */
export declare function readUpgradeHead(bytes: Buffer, end: number): UpgradeHead | null;
//# sourceMappingURL=request-head.d.ts.map