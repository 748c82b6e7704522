/**
 * Client-side WebSocket bytes for load generators: pre-built masked frames, the upgrade
 * request, and a reader of server frames (RFC 6455 §5.2). Built once, written many times.
 */
import { randomBytes } from 'node:crypto';

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One final masked frame; `rsv1` marks a permessage-deflate compressed payload. */
export function maskedFrame(opcode: number, payload: Buffer, rsv1 = false): Buffer {
  const n = payload.length;
  const ext = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const frame = Buffer.allocUnsafe(2 + ext + 4 + n);
  frame[0] = 0x80 | (rsv1 ? 0x40 : 0) | opcode;
  frame[1] = 0x80 | (ext === 0 ? n : ext === 2 ? 126 : 127);
  if (ext === 2) frame.writeUInt16BE(n, 2);
  if (ext === 8) frame.writeBigUInt64BE(BigInt(n), 2);
  const mask = randomBytes(4);
  mask.copy(frame, 2 + ext);
  for (let i = 0; i < n; i++) frame[6 + ext + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

export const maskedText = (text: string): Buffer => maskedFrame(OPCODE.text, Buffer.from(text));

/** Length on the wire of an unmasked server frame carrying `size` bytes. */
export const serverFrameLength = (size: number): number => 2 + (size < 126 ? 0 : size < 65536 ? 2 : 8) + size;

export interface UpgradeOptions {
  path?: string;
  host?: string;
  extensions?: string;
}

export function upgradeRequest(opts: UpgradeOptions = {}): string {
  const ext = opts.extensions ? `Sec-WebSocket-Extensions: ${opts.extensions}\r\n` : '';
  return (
    `GET ${opts.path ?? '/'} HTTP/1.1\r\nHost: ${opts.host ?? '127.0.0.1'}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${ext}\r\n`
  );
}

/**
 * Server frames out of a stream: calls `onFrame` for each whole frame and returns the bytes
 * of a split frame to pass back with the next chunk (null when none).
 */
export function readFrames(rest: Buffer | null, chunk: Buffer, onFrame: (opcode: number, payload: Buffer, rsv1: boolean) => void): Buffer | null {
  const buf = rest === null ? chunk : Buffer.concat([rest, chunk]);
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
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
    if (buf.length - off < head + len) break;
    const b0 = buf[off]!;
    const payload = buf.subarray(off + head, off + head + len);
    off += head + len;
    onFrame(b0 & 0x0f, payload, (b0 & 0x40) !== 0);
  }
  return off === buf.length ? null : buf.subarray(off);
}

/** The status line and headers of an HTTP response head, or null while it is incomplete. */
export function responseHead(buf: Buffer): { status: number; head: string; rest: Buffer } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const head = buf.subarray(0, end).toString('latin1');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, rest: buf.subarray(end + 4) };
}
