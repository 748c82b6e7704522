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
export const MAX_SLOTS = 256;
export const MAX_NODES = 4096;
const NODE_SHIFT = MAX_SLOTS; // 2^8
const SEQ_SHIFT = MAX_SLOTS * MAX_NODES; // 2^20
export const MAX_SEQ = 2 ** 33 - 1;
export function encodeFd(seq, node, slot) {
    if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ)
        throw new RangeError(`session seq out of range: ${seq}`);
    if (!Number.isInteger(node) || node < 0 || node >= MAX_NODES)
        throw new RangeError(`node id out of range: ${node}`);
    if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS)
        throw new RangeError(`worker slot out of range: ${slot}`);
    return seq * SEQ_SHIFT + node * NODE_SHIFT + slot;
}
/** Null for anything that is not a well-formed fd (peer or app input never throws here). */
export function decodeFd(fd) {
    if (!Number.isSafeInteger(fd) || fd < SEQ_SHIFT)
        return null;
    return { seq: Math.floor(fd / SEQ_SHIFT), node: Math.floor(fd / NODE_SHIFT) % MAX_NODES, slot: fd % MAX_SLOTS };
}
export function slotOf(fd) {
    return fd % MAX_SLOTS;
}
export function nodeOf(fd) {
    return Math.floor(fd / NODE_SHIFT) % MAX_NODES;
}
/**
 * Hands out fds for one node, in increasing order. With `modulus` (Swoole's fd-mod dispatch,
 * worker = fd % workers) it skips sequence numbers until the fd's high part is a multiple of
 * `modulus`, so that fd % modulus === slot for the slot chosen. At most modulus-1 numbers are
 * skipped, and skipped numbers are never used: ids stay unique.
 */
export class FdAllocator {
    seq;
    /** Last seq this allocator may use; Infinity on a single host (the cluster's life is ours). */
    ceiling;
    /** The next block, once `refill` has fetched it. */
    nextBlock = null;
    refilling = false;
    node;
    /**
     * Multi-node: seq numbers come in blocks leased from Redis, so a node id reused by a later
     * node never hands out an fd an earlier holder of the id issued. Called when a block is
     * half used; resolves with the next block.
     */
    refill;
    onExhausted;
    constructor(node = 0, block = { first: 1, last: MAX_SEQ }, refill = null, onExhausted = () => { }) {
        if (!Number.isInteger(node) || node < 0 || node >= MAX_NODES)
            throw new RangeError(`node id out of range: ${node}`);
        this.node = node;
        this.seq = block.first - 1;
        this.ceiling = block.last;
        this.refill = refill;
        this.onExhausted = onExhausted;
    }
    /** The next id with its slot bits zero: the connection's fd is `base + slot`. */
    reserve(modulus = 1) {
        let seq = this.advance();
        while ((seq * SEQ_SHIFT + this.node * NODE_SHIFT) % modulus !== 0)
            seq = this.advance();
        return seq * SEQ_SHIFT + this.node * NODE_SHIFT;
    }
    next(slot, modulus = 1) {
        if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS)
            throw new RangeError(`worker slot out of range: ${slot}`);
        return this.reserve(modulus) + slot;
    }
    advance() {
        if (this.seq >= this.ceiling) {
            if (this.nextBlock) {
                this.seq = this.nextBlock.first - 1;
                this.ceiling = this.nextBlock.last;
                this.nextBlock = null;
            }
            else {
                // The next block did not arrive in time (Redis down): go on past the lease rather than
                // refuse connections, and say so; a collision needs this node id to be reused meanwhile.
                this.onExhausted();
                this.ceiling = Math.min(MAX_SEQ, this.ceiling + 1024);
            }
        }
        const seq = ++this.seq;
        if (seq > MAX_SEQ)
            throw new RangeError('session ids exhausted for this node');
        if (this.refill && !this.refilling && !this.nextBlock && this.ceiling - seq < BLOCK_LOW_WATER) {
            this.refilling = true;
            this.refill().then((b) => {
                this.nextBlock = b;
                this.refilling = false;
            }, () => {
                this.refilling = false;
            });
        }
        return seq;
    }
}
/** Blocks leased from Redis: 2^20 connections each, 8192 blocks per node id over 2^33 seqs. */
export const SEQ_BLOCK = 2 ** 20;
/** Fetch the next block when fewer than this many seqs are left in the current one. */
const BLOCK_LOW_WATER = SEQ_BLOCK / 2;
/** The block that INCRBY key SEQ_BLOCK returning `end` has leased. */
export function blockEndingAt(end) {
    return { first: end - SEQ_BLOCK + 1, last: end };
}
//# sourceMappingURL=session-id.js.map