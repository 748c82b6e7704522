/**
 * One echo connection of a generator: a raw TCP socket, the upgrade, then `inflight` messages
 * kept in flight: every read that completes replies re-sends as many prebuilt frames.
 *
 * Hot path (per read, not per message): the socket reads into one buffer shared by the
 * process (`onread`: no Buffer per read, no stream machinery), the replies are counted and
 * checked (echo-replies.ts), one clock read gives their latencies from a FIFO of
 * (messages, send time) per write (echo keeps order per connection: no per-message state),
 * and one write re-sends. A broken server shows as errors, not as a rate: a connection that
 * gets a wrong reply is counted as an error and dropped.
 */
import { connect, type Socket } from 'node:net';
import { responseHead } from './upgrade.ts';
import type { EchoPlan } from './echo-plan.ts';
import { ReplyReader, type ReplyCounters } from './echo-replies.ts';
import type { LatencyHistogram } from './latency-histogram.ts';

/** Errors by kind: a count and the first one's details. */
export class ErrorLog {
  readonly kinds = new Map<string, { count: number; first: string }>();
  total = 0;

  add(kind: string, detail: string): void {
    this.total++;
    const k = this.kinds.get(kind);
    if (k) k.count++;
    else this.kinds.set(kind, { count: 1, first: detail });
  }
}

/** What the connections of one process share. */
export interface Shared extends ReplyCounters {
  plan: EchoPlan;
  histogram: LatencyHistogram;
  errors: ErrorLog;
  /** Re-send on replies (false once stopping). */
  running: boolean;
  /** Stopping: closes are ours, not errors. */
  stopping: boolean;
  messages: number;
  /** Reads that brought replies, and writes: how much each batched. */
  reads: number;
  writes: number;
  open: number;
}

const HANDSHAKE = 0;
const OPEN = 1;
const CLOSED = 2;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export class EchoConnection {
  readonly socket: Socket;
  private phase = HANDSHAKE;
  private head: Buffer | null = null;
  private readonly accept: string;
  private settle: ((open: boolean) => void) | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly replies: ReplyReader;
  // In flight: a ring of (messages, send time) per write.
  private readonly fifoCount: Int32Array;
  private readonly fifoTime: Float64Array;
  private fifoHead = 0;
  private fifoTail = 0;
  private outstanding = 0;

  constructor(
    /** Names it in errors. */
    readonly id: string,
    private readonly shared: Shared,
    host: string,
    port: number,
    readBuffer: Buffer,
    verifyAll: boolean,
  ) {
    const plan = shared.plan;
    this.replies = new ReplyReader(plan, shared, verifyAll);
    this.fifoCount = new Int32Array(plan.s.inflight + 1);
    this.fifoTime = new Float64Array(plan.s.inflight + 1);
    const { request, accept } = plan.upgrade();
    this.accept = accept;
    const callback = (n: number): boolean => {
      this.onRead(n, readBuffer);
      return true;
    };
    this.socket = connect({ host, port, noDelay: true, onread: { buffer: readBuffer, callback } });
    this.socket.once('connect', () => this.socket.write(request));
    this.socket.on('error', (err) => this.fail(this.phase === HANDSHAKE ? 'connection refused or failed' : 'socket error', err.message));
    this.socket.on('close', () => this.fail(this.phase === HANDSHAKE ? 'handshake failed' : 'connection closed', 'closed by the server without a close frame'));
    this.timer = setTimeout(() => this.fail('handshake timeout', `no 101 within ${HANDSHAKE_TIMEOUT_MS} ms`), HANDSHAKE_TIMEOUT_MS);
  }

  /** Resolves true once upgraded, false if it failed (the error is logged). */
  opened(): Promise<boolean> {
    if (this.phase !== HANDSHAKE) return Promise.resolve(this.phase === OPEN);
    return new Promise((resolve) => (this.settle = resolve));
  }

  /** Puts the first `inflight` messages in flight. */
  start(now: number): void {
    if (this.phase === OPEN) this.send(this.shared.plan.s.inflight, now);
  }

  /** Closes without counting it as an error. */
  stop(): void {
    if (this.phase === OPEN) this.shared.open--;
    this.phase = CLOSED;
    clearTimeout(this.timer);
    this.socket.destroy();
  }

  private fail(kind: string, detail: string): void {
    if (this.phase === CLOSED) return;
    if (this.phase === OPEN) this.shared.open--;
    const wasHandshake = this.phase === HANDSHAKE;
    this.phase = CLOSED;
    clearTimeout(this.timer);
    if (!this.shared.stopping) this.shared.errors.add(kind, `${this.id}: ${detail}`);
    this.socket.destroy();
    if (wasHandshake) this.resolveOpened(false);
  }

  private resolveOpened(open: boolean): void {
    const settle = this.settle;
    this.settle = null;
    settle?.(open);
  }

  private onRead(n: number, buf: Buffer): void {
    if (this.phase === OPEN) {
      const r = this.replies.read(buf, n);
      if (r > 0) this.replied(r);
      else if (r < 0) this.fail(...this.replies.problem!);
    } else if (this.phase === HANDSHAKE) {
      this.readHandshake(Buffer.from(buf.subarray(0, n))); // copied: `buf` is reused by the next read
    }
  }

  private readHandshake(chunk: Buffer): void {
    this.head = this.head === null ? chunk : Buffer.concat([this.head, chunk]);
    const res = responseHead(this.head);
    if (res === null) {
      if (this.head.length > 16_384) this.fail('handshake refused', 'response head over 16 KiB');
      return;
    }
    this.head = null;
    if (res.status !== 101) return this.fail('handshake refused', `HTTP ${res.status}: ${res.head.split('\r\n', 1)[0]}`);
    const header = (name: string) => new RegExp(`\r\n${name}:[ \t]*([^\r]*?)[ \t]*(?=\r\n|$)`, 'i').exec(res.head)?.[1];
    if (header('Sec-WebSocket-Accept') !== this.accept) return this.fail('handshake refused', 'wrong or missing Sec-WebSocket-Accept');
    const extensions = header('Sec-WebSocket-Extensions') ?? '';
    const deflate = /permessage-deflate/i.test(extensions);
    this.replies.agreed(deflate, !/server_no_context_takeover/i.test(extensions));
    if (this.shared.plan.s.deflate && !deflate) return this.fail('handshake refused', 'permessage-deflate offered but not agreed (frames are sent compressed)');
    if (!this.shared.plan.s.deflate && extensions !== '') return this.fail('handshake refused', `extension agreed that was not offered: ${extensions}`);
    clearTimeout(this.timer);
    this.phase = OPEN;
    this.shared.open++;
    this.resolveOpened(true);
    if (res.rest.length > 0) this.onRead(res.rest.length, res.rest);
  }

  /** `r` replies arrived: their latencies, then as many messages sent again. */
  private replied(r: number): void {
    const now = performance.now();
    if (r > this.outstanding) return this.fail('unexpected reply', `${r} replies with ${this.outstanding} messages in flight`);
    const shared = this.shared;
    shared.reads++;
    this.outstanding -= r;
    shared.messages += r;
    const cap = this.fifoCount.length;
    let left = r;
    while (left > 0) {
      const c = this.fifoCount[this.fifoHead]!;
      const ms = now - this.fifoTime[this.fifoHead]!;
      if (c <= left) {
        shared.histogram.record(ms, c);
        left -= c;
        this.fifoHead = this.fifoHead + 1 === cap ? 0 : this.fifoHead + 1;
      } else {
        shared.histogram.record(ms, left);
        this.fifoCount[this.fifoHead] = c - left;
        left = 0;
      }
    }
    if (shared.running) this.send(r, now);
  }

  private send(n: number, now: number): void {
    this.socket.write(this.shared.plan.batches[n]!);
    this.shared.writes++;
    this.fifoCount[this.fifoTail] = n;
    this.fifoTime[this.fifoTail] = now;
    this.fifoTail = this.fifoTail + 1 === this.fifoCount.length ? 0 : this.fifoTail + 1;
    this.outstanding += n;
  }
}
