import type { ConnectionIo } from './connection-io.ts';
import type { Deflater } from './extension.ts';
/** A send waiting behind an in-flight compression. */
export interface Waiting {
    /** -1: `payload` is an already encoded control frame. */
    opcode: number;
    payload: Buffer;
    compress: boolean;
}
/** What the queue hands back to its connection core. */
export interface CompressionQueueOwner {
    /** A data frame ready to go out (`rsv1`: its payload is compressed, RFC 7692 §6). */
    writeDataFrame(opcode: number, payload: Buffer, rsv1: boolean): void;
    compressionFailed(err: Error | null): void;
    /** Nothing waits any more. */
    queueDrained(): void;
}
/**
 * With permessage-deflate, sends wait here while a compression is in flight, so that frames
 * leave in the order they were sent (a ping or a close queued behind a compressed message
 * goes after it). Idle, it costs nothing: sends go straight to the shell.
 */
export declare class CompressionQueue {
    /** Payload bytes waiting (they count against the output cap). */
    bytes: number;
    private items;
    /** A compression is in flight (its result goes out before anything waiting). */
    private compressing;
    /** A move is coming (hold()): no further compression starts, what waits is carried as data. */
    private holding;
    private readonly owner;
    private readonly io;
    private readonly deflater;
    constructor(owner: CompressionQueueOwner, io: ConnectionIo, deflater: Deflater);
    /** Whether nothing waits: a send that needs no compression may go straight out. */
    get idle(): boolean;
    push(opcode: number, payload: Buffer, compress: boolean): void;
    /** Whether a compression is in flight (its deflater's state is zlib's, not data). */
    get busy(): boolean;
    /**
     * Start no further compression: the one in flight finishes and goes out, the rest waits, to
     * be carried to another worker (waitingItems) and compressed there by a fresh deflater — a
     * stream with no back-references is valid for the peer's inflater (RFC 7692 §7.2.1).
     */
    hold(): void;
    /** The move is off: compress on. */
    release(): void;
    /** What waits, in order (for a snapshot: only once not busy). */
    waitingItems(): readonly Waiting[];
    /** The connection is gone: nothing waiting goes out, a compression finishing later is ignored. */
    drop(): void;
    /** Works through the queue in order; suspends while a compression is in flight. */
    private drain;
}
//# sourceMappingURL=compression-queue.d.ts.map