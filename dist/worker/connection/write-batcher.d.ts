import type { Socket } from 'node:net';
/**
 * Coalesces every frame written to one connection within one turn of the event loop into a
 * single socket write, as uWebSockets corks: one syscall per connection per turn instead of
 * one (or two) per message. Connections with something queued are flushed together from one
 * process.nextTick, so replies to all the frames of a read chunk leave in one write.
 */
export interface Flushable {
    flush(): void;
}
export declare function scheduleFlush(item: Flushable): void;
/**
 * A number that stays the same until the flushes of this turn have run (one process.nextTick
 * per turn, not per connection): a connection written directly once in a turn queues the rest
 * of that turn, so a burst still leaves in one write.
 */
export declare function currentTurn(): number;
/** Below this total, copying the queued frames into one buffer is cheaper than a writev. */
export declare const CONCAT_LIMIT: number;
/** One buffer out of many small ones (the common case: a few small frames). */
export declare function concatSmall(chunks: Buffer[], total: number): Buffer;
/** A worker's running byte counts, which every connection adds to as it reads and writes. */
export interface Traffic {
    bytesIn: number;
    bytesOut: number;
}
/**
 * One connection's output: frames queued during a turn leave in one write (one buffer below
 * CONCAT_LIMIT, corked writes above), a broadcast's shared frame may go straight to the
 * socket, and while the output is over the high watermark ("full") every write reports its
 * completion so the connection learns when it drains. The connection shell extends it.
 */
export declare abstract class BatchedOutput implements Flushable {
    readonly socket: Socket;
    bytesOut: number;
    /** The worker's totals (one property increment beside this connection's own). */
    protected readonly traffic: Traffic;
    lastSendTime: number;
    private out;
    private outBytes;
    private flushQueued;
    /** The turn of this connection's last direct (broadcast) write. */
    private directTurn;
    private endAfterFlushing;
    private full;
    private readonly highWatermark;
    /** Made once the output first gets full: writes then report when they are done. */
    private onWritten;
    /**
     * What was handed to the socket since it last held nothing, kept only while the socket holds
     * something (a write the kernel did not take at once): the bytes not sent yet are the end of
     * these (unsentOutput), which a connection moving to another process must carry. Null for
     * every connection that keeps up: nothing is retained then.
     */
    private unacked;
    private unackedArmed;
    constructor(socket: Socket, highWatermark: number, traffic: Traffic);
    /** Bytes accepted but held elsewhere before they reach this queue (compression). */
    protected abstract waitingBytes(): number;
    /** The output went above the high watermark (once, until it is empty again). */
    protected abstract outputFull(): void;
    /** While full: the output is back at the high watermark. */
    protected abstract outputBelowWatermark(): void;
    /** The output that was full is empty: nothing queued, waiting or in the socket. */
    protected abstract outputEmpty(): void;
    /** The connection is closed: progress is no longer reported. */
    protected abstract outputClosed(): boolean;
    /** Bytes accepted for this connection and not yet handed to the kernel. */
    get bufferedAmount(): number;
    /** Bytes this queue and the socket hold. */
    heldBytes(): number;
    /** Queues bytes for this turn's write. */
    write(buf: Buffer): void;
    /**
     * A broadcast's frame to a connection with nothing queued goes to the socket at once: the
     * fan-out is one loop of writes, the first recipients served while the rest are written.
     * Once per turn: later frames of the same turn queue and leave together.
     */
    writeShared(frame: readonly Buffer[]): void;
    /** Half-closes TCP once everything queued is written (now, if nothing is). */
    endAfterFlush(): void;
    /** Called once per event-loop turn by the write batcher: one write for everything queued. */
    flush(): void;
    /** Keeps `buf` (just written) while the socket holds anything (see `unacked`). */
    private track;
    private unackedWritten;
    /**
     * The output not yet sent to the peer, in order: the bytes the socket still holds (libuv's
     * queue and the stream's buffer: the end of what was handed to it) then this turn's queue.
     * Null when the socket holds bytes this queue did not write (the 101 still queued): then
     * the unsent bytes cannot be told. Called with reading stopped, just before the descriptor
     * is closed here (the move), so nothing is written in between.
     */
    unsentOutput(): Buffer[] | null;
    /** Drops what is queued (the connection closed). */
    protected discardOutput(): void;
    /** After an accepted send: above the high watermark the output is full and the send `queued`. */
    protected noteQueued(): 'written' | 'queued';
    protected markFull(): void;
    private writtenCallback;
    /** A write completed or the socket drained (only watched while full). */
    outputProgress(): void;
}
//# sourceMappingURL=write-batcher.d.ts.map