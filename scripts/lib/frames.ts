/**
 * The client side of RFC 6455 frames, for the tests and the load scripts alike: the frames a
 * client sends (masked, §5.3) and a reader of the frames a server sends (§5.2, unmasked),
 * across any chunking. Written independently of src/ so that tests do not check the codec
 * against itself.
 */
import { randomBytes } from 'node:crypto';
import { constants, deflateRawSync } from 'node:zlib';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface ClientFrameOptions {
  fin?: boolean;
  /** Marks a permessage-deflate compressed payload (RFC 7692 §6). */
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  /** The masking key; random unless given; `false` sends the frame unmasked (a client's protocol error). */
  mask?: Buffer | false;
  /** 'auto' picks the minimal encoding; 2 or 8 force a 16- or 64-bit extended length. */
  lengthBytes?: 'auto' | 2 | 8;
}

/** One client frame, masked unless `mask: false`. Built once, written as often as wanted. */
export function clientFrame(opcode: number, payload: Buffer | string, opts: ClientFrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const { fin = true, rsv1 = false, rsv2 = false, rsv3 = false, lengthBytes = 'auto' } = opts;
  const mask = opts.mask === undefined ? randomBytes(4) : opts.mask;
  if (mask !== false && mask.length !== 4) throw new RangeError('a masking key is 4 bytes');

  const n = data.length;
  const extended = lengthBytes === 'auto' ? (n < 126 ? 0 : n < 0x10000 ? 2 : 8) : lengthBytes;
  if (extended === 2 && n > 0xffff) throw new RangeError(`${n} bytes do not fit a 16-bit length`);
  const offset = 2 + extended + (mask === false ? 0 : 4);
  const frame = Buffer.allocUnsafe(offset + n); // every byte is written below

  frame[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0) | (opcode & 0x0f);
  frame[1] = (mask === false ? 0 : 0x80) | (extended === 0 ? n : extended === 2 ? 126 : 127);
  if (extended === 2) frame.writeUInt16BE(n, 2);
  if (extended === 8) frame.writeBigUInt64BE(BigInt(n), 2);
  if (mask === false) {
    data.copy(frame, offset);
    return frame;
  }
  mask.copy(frame, 2 + extended);
  for (let i = 0; i < n; i++) frame[offset + i] = data[i]! ^ mask[i & 3]!;
  return frame;
}

export const maskedText = (text: string): Buffer => clientFrame(OPCODE.text, text);

/** A close frame's payload: empty without a code; the reason is raw bytes so that it can be invalid UTF-8. */
export function closePayload(code?: number, reason: Buffer | string = ''): Buffer {
  const why = typeof reason === 'string' ? Buffer.from(reason, 'utf8') : reason;
  if (code === undefined) return why;
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, why]);
}

export const DEFLATE_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * RFC 7692 §7.2.1: a message compressed on its own (raw deflate, sync flush, its 00 00 ff ff
 * tail removed). It refers to nothing before it: valid with or without context takeover.
 */
export function deflateMessage(payload: Buffer, level?: number): Buffer {
  const out = deflateRawSync(payload, { finishFlush: constants.Z_SYNC_FLUSH, ...(level === undefined ? {} : { level }) });
  if (!out.subarray(-4).equals(DEFLATE_TAIL)) throw new Error('raw deflate with Z_SYNC_FLUSH did not end with 00 00 ff ff');
  return out.subarray(0, -4);
}

/** Length on the wire of an unmasked server frame carrying `size` bytes. */
export const serverFrameLength = (size: number): number => 2 + (size < 126 ? 0 : size < 65536 ? 2 : 8) + size;

export interface ServerFrame {
  opcode: number;
  fin: boolean;
  rsv1: boolean;
  payload: Buffer;
}

/**
 * Called for each whole frame; `payload` is a view of the bytes read (unmasked when the frame
 * was masked), valid during the call only; `b0` is the first byte (FIN, RSV1-3, opcode).
 */
export type FrameHandler = (opcode: number, payload: Buffer, rsv1: boolean, b0: number, masked: boolean) => void;

export interface FrameReaderOptions {
  /** A masked frame: 'throw' (default: a server must never mask, §5.1), or 'accept' (unmasked, `masked` true in `read`). */
  masked?: 'throw' | 'accept';
}

/**
 * Reads the frames a server sends, across any chunking: `read` hands out views without
 * copying (load generators), `push` returns copied frames (tests).
 */
export class ServerFrameReader {
  private rest: Buffer | null = null;
  private readonly acceptMasked: boolean;

  constructor(opts: FrameReaderOptions = {}) {
    this.acceptMasked = opts.masked === 'accept';
  }

  /** Bytes received that do not yet make a whole frame. */
  get bufferedBytes(): number {
    return this.rest === null ? 0 : this.rest.length;
  }

  /** Calls `onFrame` for every frame `chunk` completes; keeps the bytes of a split frame for the next chunk. */
  read(chunk: Buffer, onFrame: FrameHandler): void {
    const buf = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    let off = 0;
    for (;;) {
      if (buf.length - off < 2) break;
      const masked = (buf[off + 1]! & 0x80) !== 0;
      if (masked && !this.acceptMasked) throw new Error('server frame is masked (RFC 6455 §5.1)');
      let len = buf[off + 1]! & 0x7f;
      let head = 2;
      if (len === 126) {
        if (buf.length - off < 4) break;
        len = buf.readUInt16BE(off + 2);
        head = 4;
      } else if (len === 127) {
        if (buf.length - off < 10) break;
        len = Number(buf.readBigUInt64BE(off + 2));
        head = 10;
      }
      const key = off + head;
      if (masked) head += 4;
      if (buf.length - off < head + len) break;
      const b0 = buf[off]!;
      const payload = buf.subarray(off + head, off + head + len);
      if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ buf[key + (i & 3)]!;
      off += head + len;
      onFrame(b0 & 0x0f, payload, (b0 & 0x40) !== 0, b0, masked);
    }
    this.rest = off === buf.length ? null : buf.subarray(off);
  }

  /** The frames `chunk` completes, their payloads copied. */
  push(chunk: Buffer): ServerFrame[] {
    const frames: ServerFrame[] = [];
    this.read(chunk, (opcode, payload, rsv1, b0) => frames.push({ opcode, fin: (b0 & 0x80) !== 0, rsv1, payload: Buffer.from(payload) }));
    return frames;
  }
}

/** The status code of a close frame; undefined when its payload is empty. */
export function closeCode(frame: { payload: Buffer }): number | undefined {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;
}

/** The reason of a close frame ('' when none). */
export function closeReason(frame: { payload: Buffer }): string {
  return frame.payload.length > 2 ? frame.payload.subarray(2).toString('utf8') : '';
}
