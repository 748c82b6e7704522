/**
 * Role `flood`: K WebSocket connections, each writing one prebuilt batch of masked frames as
 * fast as its socket takes it (the next write once the last one is handed to the kernel,
 * a few per event-loop turn), until stopped. Used by deflate-flood (compressed frames),
 * ping-flood (pings, never reading) and flood-fairness (1-byte frames).
 *
 * `read` says what the client does with what the server sends:
 *   'parse'  read everything, find the server's close frame (its code is a figure)
 *   'count'  read everything, count bytes only (cheap at millions of tiny echoes)
 *   'paused' never read while flooding (the socket is paused); at the end, read for
 *            `drainMs` to find a close frame behind the queued replies, if it got that far
 *
 * "Accepted" bytes are those whose write completed: the kernel took them. A server that
 * stops reading shows as accepted bytes that stop growing while the connection is open
 * (`stalledMs`); one that closes shows as a close code, or the way the socket ended.
 */
import type { Socket } from 'node:net';
import type { RoleContext } from '../protocol.ts';
import { Flooder } from '../../lib/flooder.ts';
import { openWebSocket } from '../../lib/upgrade.ts';
import { CloseWatcher, endedBy, type Endpoint } from './sockets.ts';

export interface FloodParams extends Endpoint {
  path: string;
  connections: number;
  /** One batch: frames, back to back (base64 over IPC). */
  batch: string;
  extensions?: string;
  /** The response must agree to this extension (else the connection counts as not negotiated). */
  requireExtension?: string;
  read: 'parse' | 'count' | 'paused';
  drainMs: number;
  deadlineMs: number;
}

export interface FloodTick {
  open: number;
  accepted: number;
}

export interface ConnectionEnd {
  /** Seconds from the first connection's open. */
  at: number;
  how: string;
  closeCode: number | null;
}

export interface FloodResult {
  opened: number;
  failed: Record<string, number>;
  notNegotiated: number;
  /** Bytes the kernel took, all connections; and per connection. */
  accepted: number;
  acceptedPerConnection: number[];
  /** Bytes received from the server. */
  received: number;
  /** Connections still open when stopped. */
  openAtStop: number;
  /** Longest time, among connections open at the stop, since a write last completed. */
  stalledMs: number;
  /** Connections the server ended before the stop: when, how, with which close code. */
  ended: ConnectionEnd[];
  /** Close codes seen by the drain after the stop (paused readers). */
  closeCodesAtDrain: number[];
  seconds: number;
}

/** Batches written per connection per event-loop turn before yielding (ticks, stop, reads). */
const WRITES_PER_TURN = 4;

class FloodConnection {
  ended: ConnectionEnd | null = null;
  readonly watcher = new CloseWatcher();
  private readonly flooder: Flooder;
  private stopped = false;

  constructor(
    readonly socket: Socket,
    batch: Buffer,
    private readonly read: FloodParams['read'],
    t0: number,
    rest: Buffer,
  ) {
    if (read === 'paused') socket.pause();
    else {
      if (rest.length > 0) this.onData(rest);
      socket.on('data', (d: Buffer) => this.onData(d));
    }
    let error: NodeJS.ErrnoException | null = null;
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err));
    socket.once('close', () => {
      if (!this.stopped) this.ended = { at: Math.round((performance.now() - t0) / 10) / 100, how: endedBy(error), closeCode: this.watcher.closeCode };
    });
    this.flooder = new Flooder(socket, batch, WRITES_PER_TURN).start();
  }

  /** Bytes the kernel took. */
  get accepted(): number {
    return this.flooder.accepted;
  }

  get lastProgress(): number {
    return this.flooder.lastProgress;
  }

  private onData(d: Buffer): void {
    if (this.read === 'parse') this.watcher.feed(d);
    else this.watcher.bytes += d.length;
  }

  stop(): void {
    this.stopped = true;
    this.flooder.stop();
  }

  /** Reads what the server queued for `ms` (paused readers), looking for its close frame. */
  async drain(ms: number): Promise<number | null> {
    if (this.socket.destroyed) return this.watcher.closeCode;
    this.socket.on('data', (d: Buffer) => this.watcher.feed(d));
    this.socket.resume();
    await new Promise<void>((r) => {
      const timer = setTimeout(r, ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        r();
      });
    });
    return this.watcher.closeCode;
  }
}

export async function flood(p: FloodParams, ctx: RoleContext): Promise<FloodResult> {
  const batch = Buffer.from(p.batch, 'base64');
  const failed: Record<string, number> = {};
  let notNegotiated = 0;
  const t0 = performance.now();
  const conns: FloodConnection[] = [];
  const attempts = await Promise.all(Array.from({ length: p.connections }, () => openWebSocket({ ...p, deadlineMs: p.deadlineMs })));
  for (const a of attempts) {
    if (!a.ok) {
      failed[a.failure] = (failed[a.failure] ?? 0) + 1;
      continue;
    }
    if (p.requireExtension && !new RegExp(`^sec-websocket-extensions:.*${p.requireExtension}`, 'im').test(a.head)) notNegotiated++;
    conns.push(new FloodConnection(a.socket, batch, p.read, t0, a.rest));
  }
  const sum = (f: (c: FloodConnection) => number) => conns.reduce((a, c) => a + f(c), 0);
  const ticker = setInterval(() => ctx.tick({ open: conns.filter((c) => c.ended === null).length, accepted: sum((c) => c.accepted) } satisfies FloodTick), 250);
  await ctx.stopped;
  clearInterval(ticker);
  const stopAt = performance.now();
  for (const c of conns) c.stop();
  const live = conns.filter((c) => c.ended === null);
  const stalledMs = live.reduce((a, c) => Math.max(a, stopAt - c.lastProgress), 0);
  const closeCodesAtDrain = p.read === 'paused' ? (await Promise.all(live.map((c) => c.drain(p.drainMs)))).filter((x): x is number => x !== null) : [];
  for (const c of conns) c.socket.destroy();
  return {
    opened: conns.length,
    failed,
    notNegotiated,
    accepted: sum((c) => c.accepted),
    acceptedPerConnection: conns.map((c) => c.accepted),
    received: sum((c) => c.watcher.bytes),
    openAtStop: live.length,
    stalledMs: Math.round(stalledMs),
    ended: conns.flatMap((c) => (c.ended ? [c.ended] : [])),
    closeCodesAtDrain,
    seconds: Math.round((stopAt - t0) / 10) / 100,
  };
}
