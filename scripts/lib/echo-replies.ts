/**
 * Counting and checking an echo connection's replies, read by read (RFC 6455 §5.2 frames from
 * the server: unmasked).
 *
 * When the server cannot compress, every reply has one length: counting is arithmetic plus a
 * check of the two header bytes where each reply starts, and the payload of one reply in 32
 * reads is compared with what was sent. Anything unexpected there (a ping, a close, a broken
 * server), permessage-deflate, or a connection chosen for full verification goes through the
 * frame reader: every header checked, payloads compared on a sample (every frame of a fully
 * verified connection, one in 64 otherwise; compressed ones inflated with the server's history).
 * Nothing is allocated per read on either path (a reply split across reads and sampled is
 * copied into a per-connection scratch buffer).
 */
import type { EchoPlan } from './echo-plan.ts';

export interface ReplyCounters {
  /** Replies whose payload was compared with what was sent. */
  verified: number;
  /** Replies that came compressed (RSV1). */
  compressed: number;
}

export class ReplyReader {
  /** Why the replies are wrong, once `read` returned -1. */
  problem: [kind: string, detail: string] | null = null;
  private deflate = false;
  private contextTakeover = true;
  /** Fixed-length counting (no compression, not chosen for full verification). */
  private fast: boolean;
  /** Fast path: bytes of the current reply still to come. */
  private left = 0;
  private reads = 0;
  /** Frame reader: replies found in the read being handled. */
  private done = 0;
  private readonly hdr = Buffer.allocUnsafe(14);
  private hdrHave = 0;
  private hdrNeed = 2;
  private inPayload = false;
  private payloadLeft = 0;
  private frameLen = 0;
  private collect = false;
  private scratch: Buffer | null = null;
  private scratchHave = 0;
  private frames = 0;
  private compressedBefore = 0;

  constructor(
    private readonly plan: EchoPlan,
    private readonly counters: ReplyCounters,
    private readonly verifyAll: boolean,
  ) {
    this.fast = !plan.s.deflate && !verifyAll;
  }

  /** What the handshake agreed: permessage-deflate, and whether the server keeps its context. */
  agreed(deflate: boolean, contextTakeover: boolean): void {
    this.deflate = deflate;
    this.contextTakeover = contextTakeover;
  }

  /** The replies completed by `buf[0, n)`, or -1 when they are wrong (see `problem`). */
  read(buf: Buffer, n: number): number {
    this.done = 0;
    return this.fast ? this.readFast(buf, n) : this.readFrames(buf, 0, n);
  }

  private fail(kind: string, detail: string): number {
    this.problem = [kind, detail];
    return -1;
  }

  /** Fixed-length replies: counts them, checks their first bytes, compares a sampled payload. */
  private readFast(buf: Buffer, n: number): number {
    const plan = this.plan;
    const len = plan.replyLength;
    let i = 0;
    let done = 0;
    if (this.left > 0) {
      if (this.left > n) {
        this.left -= n;
        return 0;
      }
      i = this.left;
      done = 1;
      this.left = 0;
    }
    const first = i;
    while (i < n) {
      if (buf[i] !== plan.replyB0 || (i + 1 < n && buf[i + 1] !== plan.replyB1)) {
        // Not the reply expected (a ping, a close, a broken server): the frame reader decides.
        this.done = done;
        this.fast = false;
        return this.readFrames(buf, i, n);
      }
      if (i + len > n) {
        this.left = i + len - n;
        break;
      }
      done++;
      i += len;
    }
    if ((++this.reads & 31) === 0 && first + len <= n) {
      const p = first + plan.replyHeadLength;
      if (buf.compare(plan.payload, 0, plan.s.size, p, p + plan.s.size) !== 0) return this.fail('content mismatch', 'reply payload differs from the message sent');
      this.counters.verified++;
    }
    return done;
  }

  /** The general frame reader (RFC 6455 §5.2), from `i` to `n` of `buf`. */
  private readFrames(buf: Buffer, i: number, n: number): number {
    while (i < n && this.problem === null) {
      if (!this.inPayload) {
        this.hdr[this.hdrHave++] = buf[i++]!;
        if (this.hdrHave === 2) {
          const b1 = this.hdr[1]!;
          if (b1 & 0x80) return this.fail('protocol error', 'masked frame from the server');
          const l = b1 & 0x7f;
          this.hdrNeed = l === 126 ? 4 : l === 127 ? 10 : 2;
        }
        if (this.hdrHave === this.hdrNeed) this.beginFrame();
        continue;
      }
      const take = Math.min(this.payloadLeft, n - i);
      if (this.collect) {
        if (this.scratchHave === 0 && take === this.payloadLeft) {
          this.payloadLeft = 0;
          this.endFrame(buf, i, i + take);
          i += take;
          continue;
        }
        buf.copy(this.scratch!, this.scratchHave, i, i + take);
        this.scratchHave += take;
      }
      i += take;
      this.payloadLeft -= take;
      if (this.payloadLeft === 0) this.endFrame(this.collect ? this.scratch : null, 0, this.scratchHave);
    }
    return this.problem === null ? this.done : -1;
  }

  private beginFrame(): void {
    const h = this.hdr;
    const l = h[1]! & 0x7f;
    const len = l === 126 ? h.readUInt16BE(2) : l === 127 ? Number(h.readBigUInt64BE(2)) : l;
    this.hdrHave = 0;
    this.hdrNeed = 2;
    this.frameLen = len;
    if (len > this.plan.maxReplyPayload && (h[0]! & 0x0f) !== 0x8) return void this.fail('content mismatch', `reply frame of ${len} bytes (sent ${this.plan.s.size})`);
    // Control frames are always read (a close frame's code goes into the error).
    this.collect = this.verifyAll || (h[0]! & 0x08) !== 0 || (++this.frames & 63) === 0;
    if (this.collect && (this.scratch === null || this.scratch.length < len)) this.scratch = Buffer.allocUnsafe(Math.max(len, 256));
    this.scratchHave = 0;
    this.payloadLeft = len;
    this.inPayload = len > 0;
    if (len === 0) this.endFrame(this.collect ? this.scratch : null, 0, 0);
  }

  /** A whole frame; its payload is `src[start, end)` when sampled for verification (valid during this call only). */
  private endFrame(src: Buffer | null, start: number, end: number): void {
    this.inPayload = false;
    const plan = this.plan;
    const b0 = this.hdr[0]!;
    const opcode = b0 & 0x0f;
    const rsv = b0 & 0x70;
    if (opcode === plan.opcode && b0 & 0x80 && (rsv === 0 || (rsv === 0x40 && this.deflate))) {
      const compressed = rsv !== 0;
      if (!compressed && this.frameLen !== plan.s.size) return void this.fail('content mismatch', `reply of ${this.frameLen} bytes (sent ${plan.s.size})`);
      if (src !== null) {
        const same = compressed
          ? plan.inflatesToPayload(src.subarray(start, end), this.compressedBefore, this.contextTakeover)
          : src.compare(plan.payload, 0, plan.s.size, start, end) === 0;
        if (!same) return void this.fail('content mismatch', `reply payload differs from the message sent${compressed ? ' (once inflated)' : ''}`);
        this.counters.verified++;
      }
      if (compressed) {
        this.compressedBefore++;
        this.counters.compressed++;
      }
      this.done++;
      return;
    }
    if (opcode === 0x9 || opcode === 0xa) return; // ping, pong: not replies (runs are too short for a heartbeat timeout)
    if (opcode === 0x8) {
      const code = src !== null && end - start >= 2 ? src.readUInt16BE(start) : 'unknown';
      return void this.fail('closed by the server', `close frame, code ${code}`);
    }
    const sent = `sent ${plan.s.type}${plan.s.deflate ? ', compressed' : ''}`;
    if (opcode === 0 || (opcode === plan.opcode && !(b0 & 0x80))) return void this.fail('unexpected frame', `fragmented reply (${sent}; this generator reads whole-frame replies only)`);
    if (opcode !== plan.opcode) return void this.fail('content mismatch', `reply opcode ${opcode}${opcode === 1 ? ' (text)' : opcode === 2 ? ' (binary)' : ''}, ${sent}`);
    void this.fail('unexpected frame', `RSV bits ${rsv >> 4} (${sent}${this.deflate ? '' : ', no extension agreed'})`);
  }
}
