const KIND_CODE = { send: 1, request: 2, reply: 3 };
const KIND_OF = [undefined, 'send', 'request', 'reply'];
/** kind, node, slot. */
const HEAD_BYTES = 4;
const RID_BYTES = 8;
/** Envelope bytes before the body. */
function headBytes(msg) {
    return msg.kind === 'send' ? HEAD_BYTES : HEAD_BYTES + RID_BYTES;
}
/** The envelope of one message, with `tail` bytes left free after it (the authenticated bus's
 * trailer, mac.ts: signed in place, no copy). Throws only for what no peer could send: an
 * address or rid out of range (a bug). */
export function encodeEnvelope(from, msg, tail = 0) {
    return encodeAt(from, msg, 0, tail);
}
/** A whole stream frame (length prefix included) for one message, in one allocation. */
export function encodeStreamFrame(from, msg) {
    const frame = encodeAt(from, msg, FRAME_HEADER_BYTES);
    frame.writeUInt32BE(frame.length - FRAME_HEADER_BYTES, 0);
    return frame;
}
/** The envelope with `prefix` bytes left free in front (for the stream's length prefix). */
function encodeAt(from, msg, prefix, tail = 0) {
    if (!(from.node >= 0 && from.node <= 0xffff && from.slot >= 0 && from.slot <= 0xff))
        throw new RangeError(`bus address out of range: ${from.node}/${from.slot}`);
    const head = headBytes(msg);
    const buf = Buffer.allocUnsafe(prefix + head + msg.bodyBytes + tail);
    buf[prefix] = KIND_CODE[msg.kind];
    buf.writeUInt16BE(from.node, prefix + 1);
    buf[prefix + 3] = from.slot;
    if (msg.kind !== 'send') {
        if (!isRid(msg.rid))
            throw new RangeError(`bus rid out of range: ${msg.rid}`);
        buf.writeDoubleBE(msg.rid, prefix + HEAD_BYTES);
    }
    msg.writeBody(buf, prefix + head);
    return buf;
}
/**
 * The sender and the message, or null for anything that is not a well-formed envelope (unknown
 * kind, truncated head, a rid that is not a positive safe integer). The body is a view of
 * `buf`: whoever keeps its bytes copies them.
 */
export function decodeEnvelope(buf) {
    if (buf.length < HEAD_BYTES)
        return null;
    const kind = KIND_OF[buf[0]];
    if (kind === undefined)
        return null;
    let rid = 0;
    let at = HEAD_BYTES;
    if (kind !== 'send') {
        if (buf.length < HEAD_BYTES + RID_BYTES)
            return null;
        rid = buf.readDoubleBE(HEAD_BYTES);
        if (!isRid(rid))
            return null;
        at += RID_BYTES;
    }
    return { from: { node: buf.readUInt16BE(1), slot: buf[3] }, msg: { kind, rid, body: buf.subarray(at) } };
}
const isRid = (v) => Number.isSafeInteger(v) && v > 0;
/** An Outgoing whose body is a Buffer already (replies, tests). */
export class BytesMessage {
    kind;
    rid;
    body;
    constructor(kind, rid, body) {
        this.kind = kind;
        this.rid = rid;
        this.body = body;
    }
    get bodyBytes() {
        return this.body.length;
    }
    writeBody(into, at) {
        this.body.copy(into, at);
    }
}
export const FRAME_HEADER_BYTES = 4;
/** Default bound on one frame: far above a WebSocket message (packageMaxLength is 2 MiB), and
 * low enough that a corrupt length prefix cannot make a reader buffer gigabytes. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** The most a u32 length prefix can say. */
export const MAX_FRAME_BYTES_LIMIT = 0xffff_ffff;
/** The 4-byte length prefix of a payload; written before it with no copy of the payload. */
export function frameHeader(length) {
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    header.writeUInt32BE(length, 0);
    return header;
}
/** Prefix and payload in one buffer (a copy; for tests and one-off writes). */
export function encodeFrame(payload) {
    return Buffer.concat([frameHeader(payload.length), payload]);
}
/**
 * Cuts a byte stream into the payloads of length-prefixed frames: chunks in, complete payloads
 * out, the same payloads whatever the chunking. A payload that lies within one chunk is a
 * slice of it (no copy); one spread over several chunks is copied once. A length above
 * `maxFrameBytes` sets `error` and the decoder stops: the stream cannot be resynchronised.
 */
export class FrameDecoder {
    maxFrameBytes;
    /** Set once the stream broke the framing; later pushes return nothing. */
    error = null;
    chunks = [];
    buffered = 0;
    /** Payload length of the frame being read; -1 while reading its header. */
    need = -1;
    constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
        if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
            throw new RangeError(`maxFrameBytes out of range: ${maxFrameBytes}`);
        }
        this.maxFrameBytes = maxFrameBytes;
    }
    /** Bytes held for an incomplete frame. */
    get bufferedBytes() {
        return this.buffered;
    }
    /** The bytes not decoded yet as the stream had them (the header of a frame half read
     * included): a fresh decoder given them goes on exactly from here (a bus connection moving
     * to another process). */
    remainder() {
        const parts = this.need < 0 ? this.chunks : [frameHeader(this.need), ...this.chunks];
        return Buffer.concat(parts);
    }
    /** Takes the next chunk; returns every payload it completes, in order (frames completed
     * before a framing error are still returned). */
    push(chunk) {
        const out = [];
        if (this.error !== null)
            return out;
        if (chunk.length > 0) {
            this.chunks.push(chunk);
            this.buffered += chunk.length;
        }
        let progressed = true;
        while (progressed)
            progressed = this.need < 0 ? this.readHeader() : this.readPayload(out);
        return out;
    }
    readHeader() {
        if (this.buffered < FRAME_HEADER_BYTES)
            return false;
        const length = this.consume(FRAME_HEADER_BYTES).readUInt32BE(0);
        if (length > this.maxFrameBytes) {
            this.error = { code: 'ERR_BUS_FRAME_TOO_BIG', message: `bus frame of ${length} bytes exceeds ${this.maxFrameBytes}` };
            this.chunks = [];
            this.buffered = 0;
            return false;
        }
        this.need = length;
        return true;
    }
    readPayload(out) {
        if (this.buffered < this.need)
            return false;
        out.push(this.consume(this.need));
        this.need = -1;
        return true;
    }
    /** The next n bytes (n <= buffered): a slice when they lie in the first chunk. */
    consume(n) {
        this.buffered -= n;
        const first = this.chunks[0];
        if (first === undefined || n === 0)
            return Buffer.alloc(0);
        if (n === first.length)
            return this.chunks.shift();
        if (n < first.length) {
            this.chunks[0] = first.subarray(n);
            return first.subarray(0, n);
        }
        const out = Buffer.allocUnsafe(n);
        let offset = 0;
        let used = 0; // chunks consumed whole: removed in one splice (shift per chunk is quadratic)
        while (offset < n) {
            const chunk = this.chunks[used];
            const take = Math.min(chunk.length, n - offset);
            chunk.copy(out, offset, 0, take);
            offset += take;
            if (take === chunk.length)
                used++;
            else
                this.chunks[used] = chunk.subarray(take);
        }
        this.chunks.splice(0, used);
        return out;
    }
}
//# sourceMappingURL=codec.js.map