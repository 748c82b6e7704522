import type { Socket } from 'node:net';
import { Flooder as KitFlooder } from '../../scripts/lib/flooder.ts';
import { clientFrame, deflateMessage } from '../../scripts/lib/frames.ts';
import { treeRssBytes } from '../../scripts/lib/memory.ts';
import { headersOf, openWebSocket } from '../../scripts/lib/upgrade.ts';

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
  const opened = await openWebSocket({ port, path, headers, deadlineMs: 5000 });
  if (!opened.ok) throw new Error(`expected 101, got ${opened.failure}`);
  const { socket } = opened;
  socket.on('error', () => {});
  let received = opened.rest.length;
  if (read === 'never') socket.pause();
  else socket.on('data', (chunk: Buffer) => void (received += chunk.length));
  return { socket, headers: headersOf(opened.head), received: () => received };
}

/** One masked binary frame carrying `payload` compressed (RSV1 set). */
export function compressedFrame(payload: Buffer): Buffer {
  return clientFrame(0x2, deflateMessage(payload), { rsv1: true });
}

/** `frame` repeated until the buffer holds at least `bytes`. */
export function repeatFrame(frame: Buffer, bytes: number): Buffer {
  return Buffer.concat(Array.from({ length: Math.max(1, Math.ceil(bytes / frame.length)) }, () => frame));
}

/** The kit's flooder, 16 writes per turn as these tests have always flooded. */
export class Flooder extends KitFlooder {
  constructor(socket: Socket, burst: Buffer) {
    super(socket, burst, 16);
  }
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
