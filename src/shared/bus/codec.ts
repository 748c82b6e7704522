/**
 * Framing shared by the bus transports: a msgpack envelope per message and, for byte streams,
 * a length prefix per envelope.
 *
 *   stream:   +-------------------+------------------------------+-------------------+----
 *             | length: u32 BE    | envelope (`length` bytes)    | length: u32 BE    | ...
 *             +-------------------+------------------------------+-------------------+----
 *   envelope: msgpack array [node, slot, msg]   (the sender's address, then the BusMessage)
 *
 * msgpack keeps Buffers as Buffers (bin) and strings as strings (str), which JSON would not.
 * Decoding is peer input: anything malformed gives null or an error value, never an exception.
 */
// msgpackr's pure-JavaScript codec, chosen on purpose: its main entry loads the native string
// extractor (msgpackr-extract) when installed, which is no faster on envelopes this small
// (npm run bench:codec, bench/codec.json) and, as a stub that exports {}, made every string throw
// and catch a TypeError. `msgpackr/pack` is the same codec without that loader.
import { Packr } from 'msgpackr/pack';
import type { BusMessage, WorkerAddress } from './types.ts';

// Plain msgpack: no record extension, since the two ends share no structure definitions.
// copyBuffers: a decoded Buffer is its own allocation, not a view of the read it came in, so a
// receiver that keeps a 64-byte push (queued for a slow client) does not pin a 64 KiB chunk.
const packr = new Packr({ useRecords: false, copyBuffers: true });

export interface Envelope {
  from: WorkerAddress;
  msg: BusMessage;
}

/**
 * Pushes, the hot path, skip msgpack: a fixed binary layout, one allocation, the payload copied
 * once. It starts with 0xC1, a byte msgpack never uses, so the two layouts cannot be confused.
 *
 *   0      1..2      3      4       5    6..13         [14..21]      rest
 *   0xC1 | node u16 | slot | flags | op | fd f64 BE | [rid f64 BE] | payload
 *   flags: 1 = payload is a UTF-8 string, 2 = rid present
 */
const PUSH_MARK = 0xc1;
const PUSH_HEAD = 14;
const FLAG_TEXT = 1;
const FLAG_RID = 2;

/** The envelope of one message. Throws only for values msgpack cannot encode (a bug). */
export function encodeEnvelope(from: WorkerAddress, msg: BusMessage): Buffer {
  if (binaryPush(from, msg)) return encodePush(from, msg, 0);
  return packr.pack([from.node, from.slot, msg]);
}

/** Whether the fixed layout can carry it (anything outside its field sizes goes as msgpack). */
function binaryPush(from: WorkerAddress, msg: BusMessage): msg is Extract<BusMessage, { t: 'push' }> {
  return msg.t === 'push' && msg.op >= 0 && msg.op <= 255 && Number.isInteger(msg.op) && from.node <= 0xffff && from.slot <= 255;
}

/** A push envelope with `prefix` bytes left free in front (for the stream's length prefix). */
function encodePush(from: WorkerAddress, msg: Extract<BusMessage, { t: 'push' }>, prefix: number): Buffer {
  const text = typeof msg.data === 'string';
  const size = text ? Buffer.byteLength(msg.data as string) : (msg.data as Buffer).length;
  const head = prefix + PUSH_HEAD + (msg.rid !== undefined ? 8 : 0);
  const buf = Buffer.allocUnsafe(head + size);
  let o = prefix;
  buf[o] = PUSH_MARK;
  buf.writeUInt16BE(from.node, o + 1);
  buf[o + 3] = from.slot;
  buf[o + 4] = (text ? FLAG_TEXT : 0) | (msg.rid !== undefined ? FLAG_RID : 0);
  buf[o + 5] = msg.op;
  buf.writeDoubleBE(msg.fd, o + 6);
  o += PUSH_HEAD;
  if (msg.rid !== undefined) {
    buf.writeDoubleBE(msg.rid, o);
    o += 8;
  }
  if (text) buf.write(msg.data as string, o, 'utf8');
  else (msg.data as Buffer).copy(buf, o);
  return buf;
}

/** A whole stream frame (length prefix included) for one message: pushes in one allocation. */
export function encodeStreamFrame(from: WorkerAddress, msg: BusMessage): Buffer {
  if (!binaryPush(from, msg)) return encodeFrame(encodeEnvelope(from, msg));
  const frame = encodePush(from, msg, FRAME_HEADER_BYTES);
  frame.writeUInt32BE(frame.length - FRAME_HEADER_BYTES, 0);
  return frame;
}

function decodePush(buf: Buffer): Envelope | null {
  if (buf.length < PUSH_HEAD) return null;
  const flags = buf[4]!;
  if ((flags & ~(FLAG_TEXT | FLAG_RID)) !== 0) return null;
  const fd = buf.readDoubleBE(6);
  let o = PUSH_HEAD;
  let rid: number | undefined;
  if (flags & FLAG_RID) {
    if (buf.length < o + 8) return null;
    rid = buf.readDoubleBE(o);
    o += 8;
  }
  if (!isInt(fd) || (rid !== undefined && !isInt(rid))) return null;
  const bytes = buf.subarray(o);
  // Text is decoded (a copy); bytes are copied too, for the same reason as copyBuffers above.
  const data = flags & FLAG_TEXT ? bytes.toString('utf8') : Buffer.from(bytes);
  const msg: BusMessage = { t: 'push', fd, op: buf[5]!, data };
  if (rid !== undefined) msg.rid = rid;
  return { from: { node: buf.readUInt16BE(1), slot: buf[3]! }, msg };
}

/**
 * The sender and the message, or null for anything that is not exactly one well-formed
 * envelope (bad msgpack, trailing bytes, unknown message type, fields of the wrong type).
 * Buffers in the result are copies: `buf` may be reused or dropped afterwards.
 */
export function decodeEnvelope(buf: Buffer): Envelope | null {
  if (buf[0] === PUSH_MARK) return decodePush(buf);
  let value: unknown;
  try {
    value = packr.unpack(buf);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [node, slot, msg] = value as [unknown, unknown, unknown];
  if (!isIndex(node) || !isIndex(slot) || !isBusMessage(msg)) return null;
  return { from: { node, slot }, msg };
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);
const isOptInt = (v: unknown): boolean => v === undefined || isInt(v);
const isData = (v: unknown): boolean => typeof v === 'string' || Buffer.isBuffer(v);
const isStr = (v: unknown): boolean => typeof v === 'string';

/** Checks the shape of every message type (types.ts), so handlers get what the type promises. */
export function isBusMessage(v: unknown): v is BusMessage {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  switch (m.t) {
    case 'push':
      return isInt(m.fd) && isInt(m.op) && isData(m.data) && isOptInt(m.rid);
    case 'disconnect':
      return isInt(m.fd) && isInt(m.code) && isStr(m.reason) && isOptInt(m.rid);
    case 'close':
      return isInt(m.fd) && isOptInt(m.rid);
    case 'info':
      return isInt(m.fd) && isInt(m.rid);
    case 'broadcast':
      return (
        isInt(m.op) &&
        isData(m.data) &&
        (m.except === undefined || (Array.isArray(m.except) && m.except.every(isInt))) &&
        (m.room === undefined || isStr(m.room))
      );
    case 'join':
    case 'leave':
      return isInt(m.fd) && isStr(m.room) && isOptInt(m.rid);
    case 'pipe':
      return isInt(m.src) && 'data' in m;
    case 'reply':
      return isInt(m.rid) && 'value' in m;
    case 'call':
      return isStr(m.method) && Array.isArray(m.args) && isInt(m.rid);
    default:
      return false;
  }
}

export const FRAME_HEADER_BYTES = 4;
/** Default bound on one frame: far above a WebSocket message (packageMaxLength is 2 MiB), and
 * low enough that a corrupt length prefix cannot make a reader buffer gigabytes. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** The most a u32 length prefix can say. */
export const MAX_FRAME_BYTES_LIMIT = 0xffff_ffff;

/** The 4-byte length prefix of a payload; written before it with no copy of the payload. */
export function frameHeader(length: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32BE(length, 0);
  return header;
}

/** Prefix and payload in one buffer (a copy; for tests and one-off writes). */
export function encodeFrame(payload: Buffer): Buffer {
  return Buffer.concat([frameHeader(payload.length), payload]);
}

export interface FrameError {
  code: 'ERR_BUS_FRAME_TOO_BIG';
  message: string;
}

/**
 * Cuts a byte stream into the payloads of length-prefixed frames: chunks in, complete payloads
 * out, the same payloads whatever the chunking. A payload that lies within one chunk is a
 * slice of it (no copy); one spread over several chunks is copied once. A length above
 * `maxFrameBytes` sets `error` and the decoder stops: the stream cannot be resynchronised.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  /** Set once the stream broke the framing; later pushes return nothing. */
  error: FrameError | null = null;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Payload length of the frame being read; -1 while reading its header. */
  private need = -1;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 0 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
      throw new RangeError(`maxFrameBytes out of range: ${maxFrameBytes}`);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes held for an incomplete frame. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Takes the next chunk; returns every payload it completes, in order (frames completed
   * before a framing error are still returned). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    if (this.error !== null) return out;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    let progressed = true;
    while (progressed) progressed = this.need < 0 ? this.readHeader() : this.readPayload(out);
    return out;
  }

  private readHeader(): boolean {
    if (this.buffered < FRAME_HEADER_BYTES) return false;
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

  private readPayload(out: Buffer[]): boolean {
    if (this.buffered < this.need) return false;
    out.push(this.consume(this.need));
    this.need = -1;
    return true;
  }

  /** The next n bytes (n <= buffered): a slice when they lie in the first chunk. */
  private consume(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first === undefined || n === 0) return Buffer.alloc(0);
    if (n === first.length) return this.chunks.shift()!;
    if (n < first.length) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    let used = 0; // chunks consumed whole: removed in one splice (shift per chunk is quadratic)
    while (offset < n) {
      const chunk = this.chunks[used]!;
      const take = Math.min(chunk.length, n - offset);
      chunk.copy(out, offset, 0, take);
      offset += take;
      if (take === chunk.length) used++;
      else this.chunks[used] = chunk.subarray(take);
    }
    this.chunks.splice(0, used);
    return out;
  }
}
