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

export interface SessionParts {
  seq: number;
  node: number;
  slot: number;
}

export function encodeFd(seq: number, node: number, slot: number): number {
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`session seq out of range: ${seq}`);
  if (!Number.isInteger(node) || node < 0 || node >= MAX_NODES) throw new RangeError(`node id out of range: ${node}`);
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) throw new RangeError(`worker slot out of range: ${slot}`);
  return seq * SEQ_SHIFT + node * NODE_SHIFT + slot;
}

/** Null for anything that is not a well-formed fd (peer or app input never throws here). */
export function decodeFd(fd: number): SessionParts | null {
  if (!Number.isSafeInteger(fd) || fd < SEQ_SHIFT) return null;
  return { seq: Math.floor(fd / SEQ_SHIFT), node: Math.floor(fd / NODE_SHIFT) % MAX_NODES, slot: fd % MAX_SLOTS };
}

export function slotOf(fd: number): number {
  return fd % MAX_SLOTS;
}

export function nodeOf(fd: number): number {
  return Math.floor(fd / NODE_SHIFT) % MAX_NODES;
}

/**
 * Hands out fds for one node, in increasing order. With `modulus` (Swoole's fd-mod dispatch,
 * worker = fd % workers) it skips sequence numbers until the fd's high part is a multiple of
 * `modulus`, so that fd % modulus === slot for the slot chosen. At most modulus-1 numbers are
 * skipped, and skipped numbers are never used: ids stay unique.
 */
export class FdAllocator {
  private seq: number;
  readonly node: number;

  constructor(node = 0, startSeq = 0) {
    if (!Number.isInteger(node) || node < 0 || node >= MAX_NODES) throw new RangeError(`node id out of range: ${node}`);
    this.node = node;
    this.seq = startSeq;
  }

  /** The next id with its slot bits zero: the connection's fd is `base + slot`. */
  reserve(modulus = 1): number {
    let seq = ++this.seq;
    while ((seq * SEQ_SHIFT + this.node * NODE_SHIFT) % modulus !== 0) seq = ++this.seq;
    if (seq > MAX_SEQ) throw new RangeError('session ids exhausted for this node');
    return seq * SEQ_SHIFT + this.node * NODE_SHIFT;
  }

  next(slot: number, modulus = 1): number {
    if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) throw new RangeError(`worker slot out of range: ${slot}`);
    return this.reserve(modulus) + slot;
  }
}
