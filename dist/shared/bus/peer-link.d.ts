import type { Logger } from '../logger.ts';
/** First retry after 25 ms (a peer that is just starting is listening a moment later),
 * doubling up to 1 s (a dead peer costs one failed connect per second), ±20 % jitter so the
 * workers of a node do not retry in lockstep. An incoming connection retries at once (retryNow). */
export declare const RETRY_MIN_MS = 25;
export declare const RETRY_MAX_MS = 1000;
export interface RetryOptions {
    minMs: number;
    maxMs: number;
}
export type LinkState = 'down' | 'connecting' | 'open' | 'closed';
export interface LinkCounters {
    /** Socket writes (a corked batch, even a writev of many pieces, counts once). */
    writes: number;
    framesOut: number;
    bytesOut: number;
    /** Successful connects, the first one included. */
    connects: number;
}
export declare class PeerLink {
    readonly slot: number;
    readonly path: string;
    state: LinkState;
    readonly counters: LinkCounters;
    private readonly log;
    private readonly retry;
    private socket;
    private pending;
    private pendingBytes;
    private flushScheduled;
    private attempts;
    private timer;
    private settleFirst;
    constructor(slot: number, path: string, log: Logger, retry?: RetryOptions);
    /** Starts connecting; resolves once the first attempt has succeeded or failed. */
    start(): Promise<void>;
    /** Bytes accepted but not yet taken by the kernel: queued this turn plus the socket's buffer. */
    get queuedBytes(): number;
    /** Queues one frame (header and payload, not copied) for this turn's write. Caller checks state. */
    write(header: Buffer, payload: Buffer): void;
    /** A frame already carrying its length prefix (one buffer). */
    writeFrame(frame: Buffer): void;
    /** Writes what is queued now instead of at the end of the turn (a broadcast: the peer starts
     * its share while this worker writes its own). Order is kept: everything queued goes first. */
    flushNow(): void;
    private counted;
    /** A peer just connected to us: it may be a restarted worker, so skip the back-off wait. */
    retryNow(): void;
    /** Stops for good: graceful flushes what is queued and ends the stream; otherwise resets. */
    close(graceful: boolean): Promise<void>;
    private connect;
    private onClose;
    private flush;
    private writePending;
    private settle;
}
//# sourceMappingURL=peer-link.d.ts.map