import { isUtf8 } from 'node:buffer';
/**
 * Incremental UTF-8 validation for text messages that arrive in fragments.
 *
 * RFC 6455 §8.1: a text message whose payload is not valid UTF-8 fails the connection
 * (close 1007), and §5.6 notes a single fragment may end in the middle of a code point.
 * We let `buffer.isUtf8` (simdutf) check every complete prefix and keep only the bytes of
 * a code point split across chunks (at most 3). Those carried bytes are checked as a
 * *prefix* of a valid sequence (RFC 3629 §4 table) so a bad sequence fails in the chunk
 * where it starts, not when the message ends.
 */
/** Length of the sequence `lead` starts; 0 for ASCII and for bytes that never lead (80-C1, F5-FF). */
function sequenceLength(lead) {
    if (lead < 0xc2)
        return 0;
    if (lead < 0xe0)
        return 2;
    if (lead < 0xf0)
        return 3;
    if (lead < 0xf5)
        return 4;
    return 0;
}
/**
 * Whether `byte` may be the second byte after `lead` (RFC 3629 §4): E0 and F0 narrow the
 * range to rule out overlong forms, ED rules out UTF-16 surrogates (U+D800-DFFF) and F4
 * rules out code points above U+10FFFF.
 */
function isSecondByte(lead, byte) {
    switch (lead) {
        case 0xe0:
            return byte >= 0xa0 && byte <= 0xbf;
        case 0xed:
            return byte >= 0x80 && byte <= 0x9f;
        case 0xf0:
            return byte >= 0x90 && byte <= 0xbf;
        case 0xf4:
            return byte >= 0x80 && byte <= 0x8f;
        default:
            return (byte & 0xc0) === 0x80;
    }
}
/** Up to this many bytes, an ASCII check in JavaScript beats calling isUtf8 (about 30 ns a call). */
const SHORT_CHUNK = 16;
export class Utf8Validator {
    /**
     * A code point split at the end of the last chunk. Its continuation bytes are checked as
     * they arrive, so only the lead byte (which constrains the second byte) and the counts
     * need keeping: nothing is copied.
     */
    lead = 0;
    carried = 0;
    /** Total length of the carried code point's sequence (2-4), meaningful while carried > 0. */
    needed = 0;
    /** Sticky until reset(): once the bytes can't be UTF-8, nothing appended can fix them. */
    failed = false;
    /** The carry as plain data (a connection moving to another process mid-message). */
    state() {
        return [this.lead, this.carried, this.needed, this.failed];
    }
    /** Takes over state(): the validator goes on as if it had seen the same bytes. */
    setState(s) {
        [this.lead, this.carried, this.needed, this.failed] = s;
    }
    /** Feed the next bytes; returns false as soon as the bytes seen so far can't be a prefix of valid UTF-8. */
    push(chunk) {
        if (this.failed)
            return false;
        const end = chunk.length;
        let start = 0;
        // Finish the code point carried over from the previous chunk, byte by byte.
        while (this.carried > 0 && start < end) {
            if (!this.append(chunk[start++]))
                return this.fail();
            if (this.carried === this.needed)
                this.carried = 0;
        }
        if (start === end)
            return true;
        // A few bytes (a frame trickling in, read by read): while they are ASCII a loop is
        // cheaper than the call into isUtf8.
        if (end - start <= SHORT_CHUNK) {
            let i = start;
            while (i < end && chunk[i] < 0x80)
                i++;
            if (i === end)
                return true;
        }
        // Find a code point cut off at the end: a lead byte within the last 3 bytes whose
        // sequence runs past the end. Anything else (stray continuation bytes, bad leads) is
        // left in the prefix for isUtf8 to reject.
        let cut = end;
        for (let i = end - 1; i >= start && i >= end - 3; i--) {
            const byte = chunk[i];
            if ((byte & 0xc0) !== 0x80) {
                if (sequenceLength(byte) > end - i)
                    cut = i;
                break;
            }
        }
        // Common case (whole chunk, boundaries aligned): no subarray, no allocation.
        if (cut > start) {
            const prefix = start === 0 && cut === end ? chunk : chunk.subarray(start, cut);
            if (!isUtf8(prefix))
                return this.fail();
        }
        if (cut < end) {
            this.needed = sequenceLength(chunk[cut]);
            this.lead = chunk[cut];
            this.carried = 1;
            for (let i = cut + 1; i < end; i++) {
                if (!this.append(chunk[i]))
                    return this.fail();
            }
        }
        return true;
    }
    /** End of message: false if a code point is left incomplete. Resets for the next message. */
    end() {
        const ok = !this.failed && this.carried === 0;
        this.reset();
        return ok;
    }
    reset() {
        this.lead = 0;
        this.carried = 0;
        this.needed = 0;
        this.failed = false;
    }
    /** Add a continuation byte to the carried code point if it keeps it a valid prefix. */
    append(byte) {
        this.carried++;
        return this.carried === 2 ? isSecondByte(this.lead, byte) : (byte & 0xc0) === 0x80;
    }
    fail() {
        this.failed = true;
        this.carried = 0;
        return false;
    }
}
//# sourceMappingURL=utf8.js.map