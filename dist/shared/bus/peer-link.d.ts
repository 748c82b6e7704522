import type { Logger } from '../logger.ts';
/** First retry after 25 ms (a peer that is just starting is listening a moment later),
 * doubling up to 1 s (a dead peer costs one failed connect per second), ±20 % jitter so the
 * workers of a node do not retry in lockstep. An incoming connection retries at once (retryNow). */
export declare const RETRY_MIN_MS = 25;
export declare const RETRY_MAX_MS = 1000;
/** Heap one queued Buffer costs besides its bytes (the object and its slot; measured ~110 B). */
export declare const CHUNK_OVERHEAD_BYTES = 128;
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
    /** Chunks to write: large ones as given, small ones copied together into runs. */
    private pending;
    /** Small chunks not copied into a run yet (at most RUN_CHUNKS). */
    private run;
    private runBytes;
    /** Bytes of everything queued (pending and run). */
    private pendingBytes;
    private flushScheduled;
    private attempts;
    private timer;
    private settleFirst;
    /** What opens every connection, ahead of any frame (the sender's markers, sender-order.ts). */
    private readonly greeting;
    constructor(slot: number, path: string, log: Logger, retry?: RetryOptions, greeting?: (() => Buffer) | null);
    /** Starts connecting; resolves once the first attempt has succeeded or failed. */
    start(): Promise<void>;
    /**
     * What the frames accepted and not yet taken by the kernel cost this process: their bytes
     * (queued this turn, then the socket's buffer) plus the bookkeeping of each Buffer still held
     * as an object of its own. Chunks written to the socket are runs of >= RUN_CHUNKS small
     * frames or large frames, so their own bookkeeping (~2 % of their bytes at most) is left out.
     */
    get queuedBytes(): number;
    /** Queues one frame (header and payload) for this turn's write. Caller checks state. */
    write(header: Buffer, payload: Buffer): void;
    /** A frame already carrying its length prefix (one buffer). */
    writeFrame(frame: Buffer): void;
    /** A marker frame: queued in order with the frames, not counted as one (framesOut counts messages). */
    writeMarker(frame: Buffer): void;
    /** Large chunks are queued by reference (a broadcast payload is shared by every peer); small
     * ones join the current run, copied into one buffer when it is full. */
    private add;
    /** The current run becomes one pending chunk (a lone chunk is not copied). */
    private seal;
    /** Writes what is queued now instead of at the end of the turn (a broadcast: the peer starts
     * its share while this worker writes its own). Order is kept: everything queued goes first. */
    flushNow(): void;
    private counted;
    private schedule;
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