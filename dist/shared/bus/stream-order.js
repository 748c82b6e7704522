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
export const SEQ_BYTES = 8;
/** Numbers one sender's messages, per channel. */
export class StreamStamper {
    epoch;
    seqs = new Map();
    constructor(epoch = (Math.random() * 0x1_0000_0000) >>> 0) {
        this.epoch = epoch;
    }
    /** Writes the epoch and `channel`'s next number at `buf[at]` (SEQ_BYTES). */
    stamp(buf, at, channel) {
        const seq = ((this.seqs.get(channel) ?? 0) + 1) >>> 0;
        this.seqs.set(channel, seq);
        buf.writeUInt32BE(this.epoch, at);
        buf.writeUInt32BE(seq, at + 4);
        return seq;
    }
}
/** How many streams a receiver tracks before it forgets the oldest (emitters come and go). */
const MAX_STREAMS = 16_384;
/** Judges arrivals per stream (sender + channel). */
export class StreamJudge {
    streams = new Map();
    counts = { gaps: 0, lost: 0, duplicates: 0, reordered: 0 };
    /** The verdict on (epoch, seq) for `stream`; `missed` for a gap. Only first/restarted/next/gap are to be delivered. */
    judge(stream, epoch, seq) {
        const last = this.streams.get(stream);
        if (!last || last.epoch !== epoch) {
            if (!last && this.streams.size >= MAX_STREAMS)
                this.streams.delete(this.streams.keys().next().value);
            this.streams.set(stream, { epoch, seq });
            return { verdict: last ? 'restarted' : 'first', missed: 0 };
        }
        const ahead = (seq - last.seq) >>> 0; // modulo 2^32
        if (ahead === 0) {
            this.counts.duplicates++;
            return { verdict: 'duplicate', missed: 0 };
        }
        if (ahead >= 0x8000_0000) {
            this.counts.reordered++;
            return { verdict: 'reordered', missed: 0 };
        }
        last.seq = seq;
        if (ahead === 1)
            return { verdict: 'next', missed: 0 };
        this.counts.gaps++;
        this.counts.lost += ahead - 1;
        return { verdict: 'gap', missed: ahead - 1 };
    }
    static deliverable(verdict) {
        return verdict !== 'duplicate' && verdict !== 'reordered';
    }
}
//# sourceMappingURL=stream-order.js.map