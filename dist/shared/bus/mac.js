/**
 * The authenticated Redis bus (--bus-secret): every message carries a MAC over its bytes and
 * the channel it was published on, and a send time that bounds replay.
 *
 *   signed message:  envelope (codec.ts), kind byte | 0x80  | sent ms u48 BE | tag (16 bytes)
 *
 *   tag = HMAC-SHA256(secret, channelLen u16 BE | channel | envelope | sent)[0..16]
 *
 * - The channel is inside the MAC: it names the cluster and the recipient (P:w:node:slot or
 *   P:all), so a captured message republished on another channel (another worker, another
 *   cluster on the same Redis) fails. Its length prefix keeps channel and envelope apart.
 * - 16 bytes: RFC 2104 §5 recommends a truncated HMAC keep at least half the hash (128 bits);
 *   a forger's only way is online guessing, one publish per guess, 2^128 of them. It costs
 *   16 bytes a message instead of 32.
 * - The 0x80 bit on the kind byte marks a signed message: a node without the secret decodes
 *   none of them (codec.ts knows kinds 1-3 only: dropped as malformed, never delivered with a
 *   trailer glued to its body), so a half-configured cluster fails loudly, not garbled.
 * - Replay: a MAC alone does not stop a captured valid message from being published again
 *   on its own channel. The send time (inside the MAC) lets a receiver drop what is older than
 *   REPLAY_WINDOW_MS (or that far in the future), so a capture is worth REPLAY_WINDOW_MS at
 *   most. Within the window a replay still arrives: pushes are at-most-once messages, not
 *   transactions; nodes need clocks within the window of each other (NTP).
 */
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
export const TAG_BYTES = 16;
const TIME_BYTES = 6;
/** What a signed message carries after its envelope. */
export const TRAILER_BYTES = TIME_BYTES + TAG_BYTES;
export const SIGNED_FLAG = 0x80;
/** How old (or how far ahead of this clock) a signed message may be: well above the bus's
 * latency and ordinary NTP skew, short enough that a capture is soon worthless. */
export const REPLAY_WINDOW_MS = 30_000;
export function channelId(channel) {
    const bytes = typeof channel === 'string' ? Buffer.from(channel) : channel;
    const out = Buffer.allocUnsafe(2 + bytes.length);
    out.writeUInt16BE(bytes.length, 0);
    bytes.copy(out, 2);
    return out;
}
/** Channel ids made once per channel; past `max` channels the cache starts again (emitters come and go). */
export class ChannelIds {
    ids = new Map();
    max;
    constructor(max = 4096) {
        this.max = max;
    }
    of(channel) {
        let id = this.ids.get(channel);
        if (id === undefined) {
            if (this.ids.size >= this.max)
                this.ids.clear();
            id = channelId(channel);
            this.ids.set(channel, id);
        }
        return id;
    }
}
/** Refused messages are logged at most once per this many ms and reason, with the count since the last line:
 * a flood of forgeries must not become a flood of log lines. */
export const REJECT_LOG_INTERVAL_MS = 10_000;
/**
 * Messages the authenticated bus refused: counted in `counts`, logged at most once per
 * REJECT_LOG_INTERVAL_MS and reason (`dropped`: how many of that reason since the last line,
 * this one included). One per bus, for either Redis bus.
 */
export class RejectionLog {
    kinds = { unsigned: { since: 0, at: 0 }, 'bad-mac': { since: 0, at: 0 }, stale: { since: 0, at: 0 } };
    log;
    counts;
    constructor(log, counts) {
        this.log = log;
        this.counts = counts;
    }
    reject(channel, bytes, why) {
        this.counts.unauthenticated++;
        if (why === 'stale')
            this.counts.stale++;
        const entry = this.kinds[why];
        entry.since++;
        const now = Date.now();
        if (now - entry.at < REJECT_LOG_INTERVAL_MS)
            return;
        this.log.warn({ event: 'bus-message-rejected', channel, bytes, why, dropped: entry.since, total: this.counts.unauthenticated }, 'bus message without a valid MAC dropped (--bus-secret)');
        entry.since = 0;
        entry.at = now;
    }
}
export class BusMac {
    key;
    windowMs;
    constructor(secret, windowMs = REPLAY_WINDOW_MS) {
        if (secret.length === 0)
            throw new RangeError('bus secret must not be empty');
        this.key = createSecretKey(Buffer.from(secret, 'utf8'));
        this.windowMs = windowMs;
    }
    /**
     * Signs `buf` in place: its last TRAILER_BYTES are free (the envelope was encoded with room
     * for them). `channel` is the channel it will be published on.
     */
    sign(buf, channel, now = Date.now()) {
        const end = buf.length - TRAILER_BYTES;
        buf[0] = buf[0] | SIGNED_FLAG;
        buf.writeUIntBE(now, end, TIME_BYTES);
        this.tag(channel, buf.subarray(0, end + TIME_BYTES)).copy(buf, end + TIME_BYTES, 0, TAG_BYTES);
    }
    /**
     * The envelope of a signed message (a view of `buf`, its kind byte restored), or why it is
     * refused. Peer input: never throws.
     */
    open(buf, channel, now = Date.now()) {
        if (buf.length < TRAILER_BYTES + 1 || (buf[0] & SIGNED_FLAG) === 0)
            return 'unsigned';
        const signedEnd = buf.length - TAG_BYTES;
        const expected = this.tag(channel, buf.subarray(0, signedEnd));
        if (!timingSafeEqual(expected.subarray(0, TAG_BYTES), buf.subarray(signedEnd)))
            return 'bad-mac';
        const sent = buf.readUIntBE(signedEnd - TIME_BYTES, TIME_BYTES);
        if (Math.abs(now - sent) > this.windowMs)
            return 'stale';
        buf[0] = buf[0] & ~SIGNED_FLAG;
        return buf.subarray(0, signedEnd - TIME_BYTES);
    }
    tag(channel, signed) {
        return createHmac('sha256', this.key).update(channel).update(signed).digest();
    }
}
//# sourceMappingURL=mac.js.map