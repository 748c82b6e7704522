import { randomBytes } from 'node:crypto';

/**
 * Test-only frame helpers: build what a client would send (masked, RFC 6455 §5.3) and read
 * back what our server sends (unmasked, §5.1). Written independently of src/ so tests do
 * not check the codec against itself.
 */

export interface ClientFrameOptions {
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  /** The masking key; random unless given; `false` sends the frame unmasked. */
  mask?: Buffer | false;
  /** 'auto' picks the minimal encoding; 2 or 8 force a 16- or 64-bit extended length. */
  lengthBytes?: 'auto' | 2 | 8;
}

/** A client frame (masked unless `mask: false`). */
export function clientFrame(opcode: number, payload: Buffer | string, opts: ClientFrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const { fin = true, rsv1 = false, rsv2 = false, rsv3 = false, lengthBytes = 'auto' } = opts;
  const mask = opts.mask === undefined ? randomBytes(4) : opts.mask;
  if (mask !== false && mask.length !== 4) throw new RangeError('a masking key is 4 bytes');

  const n = data.length;
  const extended = lengthBytes === 'auto' ? (n < 126 ? 0 : n < 0x10000 ? 2 : 8) : lengthBytes;
  if (extended === 2 && n > 0xffff) throw new RangeError(`${n} bytes do not fit a 16-bit length`);
  const maskLength = mask === false ? 0 : 4;
  const frame = Buffer.alloc(2 + extended + maskLength + n);

  frame[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0) | (opcode & 0x0f);
  frame[1] = (mask === false ? 0 : 0x80) | (extended === 0 ? n : extended === 2 ? 126 : 127);
  if (extended === 2) frame.writeUInt16BE(n, 2);
  if (extended === 8) frame.writeBigUInt64BE(BigInt(n), 2);
  let offset = 2 + extended;
  if (mask !== false) {
    mask.copy(frame, offset);
    offset += 4;
  }
  for (let i = 0; i < n; i++) frame[offset + i] = data[i]! ^ (mask === false ? 0 : mask[i & 3]!);
  return frame;
}

export interface ServerFrame {
  opcode: number;
  fin: boolean;
  rsv1: boolean;
  payload: Buffer;
}

/** Reads frames from bytes the server sent, across any chunking. Throws on a masked frame: a server must never mask. */
export class ServerFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns the frames completed by them. */
  push(bytes: Buffer): ServerFrame[] {
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    const frames: ServerFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === null) return frames;
      frames.push(frame);
    }
  }

  /** Bytes received that do not yet make a whole frame. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  static closeCode(frame: ServerFrame): number | undefined {
    return closeCode(frame);
  }

  static closeReason(frame: ServerFrame): string {
    return closeReason(frame);
  }

  private next(): ServerFrame | null {
    const buf = this.pending;
    if (buf.length < 2) return null;
    if ((buf[1]! & 0x80) !== 0) throw new Error('server frame is masked (RFC 6455 §5.1)');
    const length7 = buf[1]! & 0x7f;
    let offset = 2;
    let length = length7;
    if (length7 === 126) {
      if (buf.length < 4) return null;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length7 === 127) {
      if (buf.length < 10) return null;
      length = Number(buf.readBigUInt64BE(2));
      offset = 10;
    }
    if (buf.length < offset + length) return null;
    const frame: ServerFrame = {
      opcode: buf[0]! & 0x0f,
      fin: (buf[0]! & 0x80) !== 0,
      rsv1: (buf[0]! & 0x40) !== 0,
      payload: Buffer.from(buf.subarray(offset, offset + length)),
    };
    this.pending = buf.subarray(offset + length);
    return frame;
  }
}

/** The status code of a close frame; undefined when its payload is empty. */
export function closeCode(frame: ServerFrame): number | undefined {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;
}

/** The reason of a close frame ('' when none). */
export function closeReason(frame: ServerFrame): string {
  return frame.payload.length > 2 ? frame.payload.subarray(2).toString('utf8') : '';
}
