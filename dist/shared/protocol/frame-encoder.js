import { Opcode, isWireCloseCode } from './constants.js';
/*
 * Server-to-client frames (RFC 6455 §5.2). A server MUST NOT mask (§5.1), so a header is
 * 2, 4 or 10 bytes and the payload goes out as given:
 *
 *   byte 0: FIN | RSV1 | 0 | 0 | opcode(4)     byte 1: MASK=0 | length(7)
 *   length 0-125: that's it; 126: + 16-bit length; 127: + 64-bit length (network order)
 *
 * Bad arguments are programmer errors and throw RangeError: nothing here handles peer input.
 */
const EMPTY = Buffer.alloc(0);
/** §5.5: control frames carry at most 125 bytes; a close payload is a 2-byte code and the reason. */
const MAX_CONTROL_PAYLOAD = 125;
const MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;
function headerLength(length) {
    return length < 126 ? 2 : length < 0x1_0000 ? 4 : 10;
}
/** Write a header at the start of `target` (which has room for it); returns its length. */
function writeHeader(target, opcode, length, fin, rsv1) {
    if ((opcode & ~0x0f) !== 0)
        throw new RangeError(`invalid opcode ${opcode}`);
    if (!Number.isSafeInteger(length) || length < 0)
        throw new RangeError(`invalid payload length ${length}`);
    // §5.5 and RFC 7692 §6.1: control frames are never fragmented, long or compressed.
    if (opcode >= Opcode.Close && (!fin || rsv1 || length > MAX_CONTROL_PAYLOAD)) {
        throw new RangeError(`invalid control frame (opcode ${opcode}, ${length} bytes, fin ${fin}, rsv1 ${rsv1})`);
    }
    target[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
    if (length < 126) {
        target[1] = length;
        return 2;
    }
    if (length < 0x1_0000) {
        target[1] = 126;
        target.writeUInt16BE(length, 2);
        return 4;
    }
    target[1] = 127;
    target.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    target.writeUInt32BE(length >>> 0, 6);
    return 10;
}
/** The header for a frame of `length` bytes (2, 4 or 10 bytes). */
export function frameHeader(opcode, length, fin = true, rsv1 = false) {
    const header = Buffer.allocUnsafe(headerLength(length));
    writeHeader(header, opcode, length, fin, rsv1);
    return header;
}
/** [header, payload] — the payload is returned untouched, never copied (write both with cork/writev). */
export function encodeFrame(opcode, payload, fin = true, rsv1 = false) {
    return [frameHeader(opcode, payload.length, fin, rsv1), payload];
}
/** A whole frame in one buffer: header and payload copied together (for small messages and control frames). */
export function encodeSmallFrame(opcode, payload, rsv1 = false) {
    const frame = Buffer.allocUnsafe(headerLength(payload.length) + payload.length);
    const offset = writeHeader(frame, opcode, payload.length, true, rsv1);
    payload.copy(frame, offset);
    return frame;
}
/**
 * Close payload (§5.5.1): 2-byte code + UTF-8 reason. Codes that may not go on the wire
 * (1005, 1006, 1015 and anything else !isWireCloseCode, §7.4) and reasons over 123 bytes
 * are programmer errors.
 */
export function encodeClosePayload(code, reason = '') {
    const reasonLength = checkCloseArguments(code, reason);
    const payload = Buffer.allocUnsafe(2 + reasonLength);
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2, 'utf8');
    return payload;
}
/**
 * Throws RangeError unless `code` may go on the wire (§7.4.1, §7.4.2: 1000-1003, 1007-1014,
 * 3000-4999) and `reason` fits a control frame with it (§5.5: at most 123 bytes of UTF-8);
 * returns the reason's byte length. For a close the app asks for: checked before anything changes.
 */
export function checkCloseArguments(code, reason) {
    if (!Number.isInteger(code) || !isWireCloseCode(code)) {
        throw new RangeError(`close code ${code} may not be sent (RFC 6455 §7.4: 1000-1003, 1007-1014 or 3000-4999)`);
    }
    if (typeof reason !== 'string')
        throw new RangeError('a close reason must be a string');
    const reasonLength = Buffer.byteLength(reason, 'utf8');
    if (reasonLength > MAX_CLOSE_REASON) {
        throw new RangeError(`close reason of ${reasonLength} bytes (at most ${MAX_CLOSE_REASON}: RFC 6455 §5.5)`);
    }
    return reasonLength;
}
/** A close frame; without a code the payload is empty (§5.5.1: the code is optional, a reason needs one). */
export function closeFrame(code, reason) {
    if (code === undefined) {
        if (reason)
            throw new RangeError('a close reason needs a close code');
        return encodeSmallFrame(Opcode.Close, EMPTY);
    }
    return encodeSmallFrame(Opcode.Close, encodeClosePayload(code, reason));
}
/** A ping frame; RangeError if the payload is over 125 bytes (§5.5). */
export function pingFrame(payload = EMPTY) {
    return encodeSmallFrame(Opcode.Ping, payload);
}
/** A pong frame (§5.5.3: a reply echoes the ping's payload); RangeError over 125 bytes. */
export function pongFrame(payload = EMPTY) {
    return encodeSmallFrame(Opcode.Pong, payload);
}
/** Payloads at or below this are copied next to their header (one buffer); larger ones are written as they are. */
export const INLINE_PAYLOAD = 1024;
/** A frame as queued for writing: small ones in one buffer with their header, large payloads by reference. */
export function encodeForQueue(opcode, payload, rsv1 = false) {
    if (payload.length <= INLINE_PAYLOAD)
        return [encodeSmallFrame(opcode, payload, rsv1)];
    return [frameHeader(opcode, payload.length, true, rsv1), payload];
}
/** Close reasons are at most 123 bytes (§5.5: 125 minus the code); cut on a code point boundary. */
export function truncateReason(reason) {
    if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON)
        return reason;
    let out = '';
    let bytes = 0;
    for (const ch of reason) {
        const n = Buffer.byteLength(ch);
        if (bytes + n > MAX_CLOSE_REASON)
            break;
        out += ch;
        bytes += n;
    }
    return out;
}
//# sourceMappingURL=frame-encoder.js.map