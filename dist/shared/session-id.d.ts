/**
 * Session ids (`fd`): positive integers, unique for the cluster's life, never reused, that
 * name the connection's owner so a push is routed without a lookup (Swoole's session_id,
 * widened for several hosts):
 *
 *   fd = seq * 2^20 + node * 2^8 + slot
 *        seq  : 1 .. 2^33-1   per-node counter (8.6 billion connections per node)
 *        node : 0 .. 4095     node id (0 on a single host; the Redis bus allocates them)
 *        slot : 0 .. 255      worker slot (Swoole's worker_id)
 *
 * Everything stays below 2^53, so an fd is an exact JavaScript number and JSON-safe.
 */
export declare const MAX_SLOTS = 256;
export declare const MAX_NODES = 4096;
export declare const MAX_SEQ: number;
export interface SessionParts {
    seq: number;
    node: number;
    slot: number;
}
export declare function encodeFd(seq: number, node: number, slot: number): number;
/** Null for anything that is not a well-formed fd (peer or app input never throws here). */
export declare function decodeFd(fd: number): SessionParts | null;
export declare function slotOf(fd: number): number;
export declare function nodeOf(fd: number): number;
/**
 * Hands out fds for one node, in increasing order. With `modulus` (Swoole's fd-mod dispatch,
 * worker = fd % workers) it skips sequence numbers until the fd's high part is a multiple of
 * `modulus`, so that fd % modulus === slot for the slot chosen. At most modulus-1 numbers are
 * skipped, and skipped numbers are never used: ids stay unique.
 */
export declare class FdAllocator {
    private seq;
    /** Last seq this allocator may use; Infinity on a single host (the cluster's life is ours). */
    private ceiling;
    /** The next block, once `refill` has fetched it. */
    private nextBlock;
    private refilling;
    readonly node: number;
    /**
     * Multi-node: seq numbers come in blocks leased from Redis, so a node id reused by a later
     * node never hands out an fd an earlier holder of the id issued. Called when a block is
     * half used; resolves with the next block.
     */
    private readonly refill;
    private readonly onExhausted;
    constructor(node?: number, block?: SeqBlock, refill?: (() => Promise<SeqBlock>) | null, onExhausted?: () => void);
    /** The next id with its slot bits zero: the connection's fd is `base + slot`. */
    reserve(modulus?: number): number;
    next(slot: number, modulus?: number): number;
    private advance;
}
/** A range of sequence numbers an allocator may use, first..last inclusive. */
export interface SeqBlock {
    first: number;
    last: number;
}
/** Blocks leased from Redis: 2^20 connections each, 8192 blocks per node id over 2^33 seqs. */
export declare const SEQ_BLOCK: number;
/** The block that INCRBY key SEQ_BLOCK returning `end` has leased. */
export declare function blockEndingAt(end: number): SeqBlock;
//# sourceMappingURL=session-id.d.ts.map