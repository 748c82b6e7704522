import type { TcpHandle } from './tcp-handle.ts';
/**
 * Refused sockets held at once (each for up to LINGER_MS); beyond it new refusals are closed
 * unanswered: whatever arrives, the master's memory for refusals stays bounded.
 */
export declare const MAX_REFUSALS_IN_FLIGHT = 512;
/** A complete HTTP/1.1 response with Retry-After, Connection: close and a one-line body. */
export declare function refusalResponse(status: 429 | 503, retryAfter: number, body: string): Buffer;
/** Writes refusals on raw accepted handles, at most MAX_REFUSALS_IN_FLIGHT at once. */
export declare class RefusalWriter {
    private inFlight;
    /** Refused sockets whose answer is being written or read. */
    get pending(): number;
    /** Answers `response` and closes; false if too many refusals are in flight (the handle was closed unanswered). */
    refuse(handle: TcpHandle, response: Buffer): boolean;
}
//# sourceMappingURL=refusals.d.ts.map