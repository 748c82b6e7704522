/**
 * Per-channel sequence numbers for the Redis Cluster bus, sans I/O.
 *
 * Every message a sender publishes on a channel carries the sender's epoch (random, drawn once
 * per bus: a restarted worker with the same address is a new stream) and that channel's next
 * sequence number. Stamped after the envelope (and before the MAC trailer, which covers it):
 *
 *   ... envelope | epoch u32 BE | seq u32 BE | [MAC trailer]
 *
 * The receiver keeps, per (sender, channel), the last epoch and sequence number it delivered and
 * judges each arrival:
 *   - first / restarted: a stream not seen yet, or a new epoch: delivered, tracking starts there;
 *   - next: seq = last + 1: delivered;
 *   - gap: seq > last + 1: delivered, the missing ones counted as lost (a failover, a kill, a
 *     subscriber replaced: pub/sub keeps nothing; room history will replay from these numbers);
 *   - duplicate: seq = last: NOT delivered;
 *   - reordered: seq < last: NOT delivered (it came after a later one: delivering it now would
 *     put it out of order at the client; late is lost).
 * Sequence numbers wrap at 2^32 (compared modulo 2^32: 2^31 ahead is "later").
 */
export declare const SEQ_BYTES = 8;
export type Verdict = 'first' | 'restarted' | 'next' | 'gap' | 'duplicate' | 'reordered';
/** What the receiver counted (RedisClusterBus.stats()). */
export interface StreamCounts {
    /** Arrivals that skipped numbers. */
    gaps: number;
    /** Messages those gaps skipped: lost (or still to come late, then dropped as reordered). */
    lost: number;
    duplicates: number;
    reordered: number;
}
/** Numbers one sender's messages, per channel. */
export declare class StreamStamper {
    readonly epoch: number;
    private readonly seqs;
    constructor(epoch?: number);
    /** Writes the epoch and `channel`'s next number at `buf[at]` (SEQ_BYTES). */
    stamp(buf: Buffer, at: number, channel: string): number;
}
/** Judges arrivals per stream (sender + channel). */
export declare class StreamJudge {
    private readonly streams;
    readonly counts: StreamCounts;
    /** The verdict on (epoch, seq) for `stream`; `missed` for a gap. Only first/restarted/next/gap are to be delivered. */
    judge(stream: string, epoch: number, seq: number): {
        verdict: Verdict;
        missed: number;
    };
    static deliverable(verdict: Verdict): boolean;
}
//# sourceMappingURL=stream-order.d.ts.map