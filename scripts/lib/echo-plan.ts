/**
 * What every connection of an echo generator sends and expects back, built once per process:
 * the payload, one buffer of `inflight` identical masked frames and its prefixes (a reply of
 * n messages re-sends the first n frames: a view, no copy, no allocation), and the reply a
 * server should send for it.
 */
import { randomBytes } from 'node:crypto';
import { constants, inflateRawSync } from 'node:zlib';
import { clientFrame, DEFLATE_TAIL, deflateMessage, OPCODE, serverFrameLength } from './frames.ts';
import { acceptFor, newKey, upgradeRequest } from './upgrade.ts';

export interface EchoSettings {
  path: string;
  host: string;
  inflight: number;
  size: number;
  type: 'text' | 'binary';
  deflate: boolean;
}

/** LZ77 window of permessage-deflate at its largest (2^15, RFC 7692 §7.1.2). */
const WINDOW = 32_768;

export class EchoPlan {
  readonly opcode: number;
  /** What must come back, uncompressed. */
  readonly payload: Buffer;
  /** batches[n]: the first n of `inflight` frames, n = 0..inflight. */
  readonly batches: Buffer[];
  /** An uncompressed reply: its length on the wire and its first two bytes. */
  readonly replyLength: number;
  readonly replyHeadLength: number;
  readonly replyB0: number;
  readonly replyB1: number;
  /** Longest reply frame accepted (compressed ones may be a little longer than the payload). */
  readonly maxReplyPayload: number;
  /** The payload repeated past the deflate window: a server's compression history. */
  private readonly history: Buffer | null;

  constructor(readonly s: EchoSettings) {
    this.opcode = s.type === 'text' ? OPCODE.text : OPCODE.binary;
    this.payload = s.type === 'text' ? textPayload(s.size) : randomBytes(s.size);
    // Compressed once, flushed without finishing (no BFINAL block), so every copy is a whole
    // message that refers to nothing before it: valid with or without context takeover.
    const wire = s.deflate ? deflateMessage(this.payload) : this.payload;
    // One mask for every frame: masking exists against cache poisoning by hostile scripts
    // (RFC 6455 §10.3), not a concern of a loopback load test; it keeps the batch prebuilt.
    const frame = clientFrame(this.opcode, wire, { rsv1: s.deflate });
    const all = Buffer.concat(Array.from({ length: s.inflight }, () => frame));
    this.batches = Array.from({ length: s.inflight + 1 }, (_, n) => all.subarray(0, n * frame.length));
    this.replyLength = serverFrameLength(s.size);
    this.replyHeadLength = this.replyLength - s.size;
    this.replyB0 = 0x80 | this.opcode;
    this.replyB1 = s.size < 126 ? s.size : s.size < 65_536 ? 126 : 127;
    this.maxReplyPayload = s.size + (s.deflate ? 64 + (s.size >> 3) : 0);
    this.history = s.deflate ? Buffer.concat(Array.from({ length: Math.ceil(WINDOW / Math.max(1, s.size)) + 1 }, () => this.payload)) : null;
  }

  /** The upgrade request and the Sec-WebSocket-Accept value a server must answer it with. */
  upgrade(): { request: string; accept: string } {
    const key = newKey();
    const extensions: Record<string, string> = this.s.deflate ? { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_no_context_takeover' } : {};
    return { request: upgradeRequest(this.s.path, { Host: this.s.host, 'Sec-WebSocket-Key': key, ...extensions }), accept: acceptFor(key) };
  }

  /**
   * Whether a compressed reply inflates to the payload. `before` compressed replies preceded it
   * on the connection: with context takeover the server's history is exactly them (each one
   * the payload), which is the dictionary to inflate with.
   */
  inflatesToPayload(compressed: Buffer, before: number, contextTakeover: boolean): boolean {
    const copies = contextTakeover ? Math.min(before, Math.ceil(WINDOW / Math.max(1, this.s.size)) + 1) : 0;
    try {
      const dictionary = copies > 0 ? this.history!.subarray(this.history!.length - copies * this.s.size) : undefined;
      // A message has no final block: without Z_SYNC_FLUSH zlib calls its end unexpected.
      const options = { finishFlush: constants.Z_SYNC_FLUSH, ...(dictionary ? { dictionary } : {}) };
      return inflateRawSync(Buffer.concat([compressed, DEFLATE_TAIL]), options).equals(this.payload);
    } catch {
      return false;
    }
  }
}

/** Printable ASCII (valid UTF-8), somewhat compressible: words from a small alphabet. */
function textPayload(size: number): Buffer {
  const letters = 'etaoinshrdlu ';
  const b = Buffer.allocUnsafe(size);
  const r = randomBytes(size);
  for (let i = 0; i < size; i++) b[i] = letters.charCodeAt(r[i]! % letters.length);
  return b;
}
