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