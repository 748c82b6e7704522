/**
 * What every request must pass before it is routed, upgrade or not, whichever parser read it
 * (RFC 9110, RFC 9112): the HTTP version, the Host header, the form of the request-target.
 * Node's parser (llhttp) accepts a few things these RFCs tell a server to refuse — HTTP/2.0
 * and HTTP/0.9 request lines, a repeated Host — so these checks run on its results too. Pure:
 * fields in, a verdict out.
 */
import { HttpError } from '../errors.ts';
/** The parts of a request head these checks read (as node's IncomingMessage has them). */
export interface RequestLineHead {
    method: string;
    url: string;
    httpVersionMajor: number;
    httpVersionMinor: number;
    /** Names and values as sent, alternating. */
    rawHeaders: readonly string[];
}
/** Where a request goes: its target in origin-form and the authority it names. */
export interface RoutedTarget {
    /** Path and query (origin-form), whatever form the request-target was sent in. */
    url: string;
    /** The target's authority (absolute-form), else the Host header; undefined without either. */
    host: string | undefined;
}
export declare function isValidHost(value: string): boolean;
/**
 * RFC 9110 §15.6.6 / RFC 9112 §2.3: this server speaks HTTP/1.x; any other major version is
 * answered 505 (HTTP/1.0 is HTTP: whether it may upgrade is the handshake's business).
 */
export declare function versionError(major: number, minor: number): HttpError | null;
/**
 * For bytes llhttp refused: 505 when the request line itself is well formed but names another
 * major version (llhttp refuses HTTP/3.0 and HTTP/1.2 alike), else null (a plain 400).
 */
export declare function versionErrorOf(bytes: Buffer): HttpError | null;
/** Checks a request head and says where it goes, or the error to answer it with. */
export declare function checkRequest(head: RequestLineHead): RoutedTarget | HttpError;
//# sourceMappingURL=request-checks.d.ts.map