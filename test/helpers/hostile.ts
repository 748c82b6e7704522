import { connect, type Socket } from 'node:net';
import zlib from 'node:zlib';
import { treeRssBytes } from '../../scripts/lib/memory.ts';
import { clientFrame } from './client-frames.ts';
import { upgradeRequest } from './server.ts';

/**
 * Hostile clients for the memory-bound and fairness tests: raw sockets that flood the server
 * with prebuilt frames as fast as the socket takes them, reading everything (and discarding it)
 * or nothing at all. Also the server processes' resident memory, from /proc.
 */

export interface OpenedClient {
  socket: Socket;
  /** The 101's headers, lower-cased names. */
  headers: Record<string, string>;
  /** Bytes received after the 101 (counted, not kept, when `read` is 'discard'). */
  received(): number;
}

/**
 * Connects and upgrades. `read: 'discard'` keeps reading and counts what arrives;
 * `read: 'never'` stops reading once the 101 is in, so the server's output backs up.
 */
export async function openClient(port: number, path = '/echo', headers: Record<string, string> = {}, read: 'discard' | 'never' = 'discard'): Promise<OpenedClient> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let head = Buffer.alloc(0);
  let received = 0;
  const parsed = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no 101 within 5 s')), 5000);
    const onData = (d: Buffer): void => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      clearTimeout(timer);
      socket.off('data', onData);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      if (!/^HTTP\/1\.1 101 /.test(lines[0]!)) return reject(new Error(`expected 101, got ${lines[0]}`));
      const h: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      received += head.length - end - 4;
      if (read === 'never') socket.pause();
      else socket.on('data', (chunk: Buffer) => void (received += chunk.length));
      resolve(h);
    };
    socket.on('data', onData);
    socket.once('connect', () => socket.write(upgradeRequest(path, headers)));
    socket.once('close', () => reject(new Error('closed before the 101')));
  });
  return { socket, headers: parsed, received: () => received };
}

/** RFC 7692 §7.2.1: a message compressed on its own (sync flush, the 00 00 ff ff tail removed). */
export function deflateMessage(payload: Buffer): Buffer {
  const out = zlib.deflateRawSync(payload, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
}

/** One masked binary frame carrying `payload` compressed (RSV1 set). */
export function compressedFrame(payload: Buffer): Buffer {
  return clientFrame(0x2, deflateMessage(payload), { rsv1: true });
}

/** `frame` repeated until the buffer holds at least `bytes`. */
export function repeatFrame(frame: Buffer, bytes: number): Buffer {
  return Buffer.concat(Array.from({ length: Math.max(1, Math.ceil(bytes / frame.length)) }, () => frame));
}

/**
 * Writes `burst` again and again as fast as the socket takes it (waiting for 'drain' when it
 * does not), a few writes per event-loop turn so the test's own timers still run.
 */
export class Flooder {
  /** Bytes handed to the socket so far. */
  written = 0;
  private stopped = false;
  private readonly socket: Socket;
  private readonly burst: Buffer;

  constructor(socket: Socket, burst: Buffer) {
    this.socket = socket;
    this.burst = burst;
  }

  start(): this {
    this.socket.on('drain', this.pump);
    this.pump();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.socket.off('drain', this.pump);
  }

  /** Bytes written but still waiting in this client's socket (the server is not taking them). */
  get pending(): number {
    return this.socket.writableLength;
  }

  private readonly pump = (): void => {
    for (let i = 0; i < 16; i++) {
      if (this.stopped || this.socket.destroyed) return;
      this.written += this.burst.length;
      if (!this.socket.write(this.burst)) return; // 'drain' calls again
    }
    setImmediate(this.pump);
  };
}

/** Summed VmRSS of a server's processes (master and workers), from /proc. */
export const treeRss = treeRssBytes;

export interface RssWatch {
  baseline: number;
  peak: number;
  /** Peak minus baseline. */
  growth: number;
  /** True when the watch stopped early because growth passed the limit. */
  exceeded: boolean;
  /** How long it watched. */
  elapsedMs: number;
}

/**
 * Samples a server's summed RSS every 50 ms for `ms`, stopping early once the growth over the
 * baseline passes `limit` (old code grows by GBs: the test must not wait for that).
 */
export async function watchRss(pid: number, baseline: number, ms: number, limit: number): Promise<RssWatch> {
  const started = Date.now();
  let peak = baseline;
  while (Date.now() - started < ms) {
    await new Promise((r) => setTimeout(r, 50));
    peak = Math.max(peak, treeRss(pid));
    if (peak - baseline > limit) return { baseline, peak, growth: peak - baseline, exceeded: true, elapsedMs: Date.now() - started };
  }
  return { baseline, peak, growth: peak - baseline, exceeded: false, elapsedMs: Date.now() - started };
}

export const KiB = 1024;
export const MiB = 1024 * KiB;
