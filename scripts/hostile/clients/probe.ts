/**
 * Roles `probe` and `connector`: what a well-behaved client sees while others attack.
 *
 * probe      one connection doing echo round trips one after another (16-byte binary
 *            messages, `gapMs` apart) until stopped; every round trip's time is a sample. A
 *            round trip still unanswered at the stop counts as a sample of its age so far:
 *            a probe starved for the whole attack must not look fast for lack of samples.
 * connector  `count` new connections, one every `intervalMs`, each needing its 101 within
 *            `deadlineMs`; closed right after. Failures by reason (`timeout` also for a 101
 *            that came later than the deadline).
 */
import { clientFrame, OPCODE, ServerFrameReader } from '../../lib/frames.ts';
import type { RoleContext } from '../protocol.ts';
import { openWebSocket } from '../../lib/upgrade.ts';
import type { Endpoint } from './sockets.ts';

export interface ProbeParams extends Endpoint {
  path: string;
  gapMs: number;
  deadlineMs: number;
}

export interface ProbeResult {
  /** Null when the probe's own handshake failed (the reason in `failure`). */
  failure: string | null;
  samplesMs: number[];
  /** Age of the round trip in flight at the stop, if any (also in samplesMs). */
  unansweredMs: number | null;
  closedEarly: boolean;
}

const PROBE_BYTES = 16;

export async function probe(p: ProbeParams, ctx: RoleContext): Promise<ProbeResult> {
  const opened = await openWebSocket(p);
  if (!opened.ok) return { failure: opened.failure, samplesMs: [], unansweredMs: null, closedEarly: false };
  const s = opened.socket;
  const samplesMs: number[] = [];
  let sentAt = 0;
  let waiting = false;
  let closedEarly = false;
  const reader = new ServerFrameReader();
  const send = (): void => {
    if (ctx.isStopped() || s.destroyed) return;
    const payload = Buffer.alloc(PROBE_BYTES);
    payload.writeUInt32BE(samplesMs.length, 0);
    waiting = true;
    sentAt = performance.now();
    s.write(clientFrame(OPCODE.binary, payload));
  };
  const onData = (d: Buffer): void => {
    reader.read(d, (opcode, payload) => {
      if (opcode !== OPCODE.binary || payload.length !== PROBE_BYTES || !waiting) return;
      waiting = false;
      samplesMs.push(Math.round((performance.now() - sentAt) * 1000) / 1000);
      setTimeout(send, p.gapMs);
    });
  };
  if (opened.rest.length > 0) onData(opened.rest);
  s.on('data', onData);
  s.on('error', () => {});
  s.once('close', () => (closedEarly = !ctx.isStopped()));
  const ticker = setInterval(() => ctx.tick({ open: true, samples: samplesMs.length }), 500);
  ctx.tick({ open: true, samples: 0 });
  send();
  await ctx.stopped;
  clearInterval(ticker);
  let unansweredMs: number | null = null;
  if (waiting) {
    unansweredMs = Math.round(performance.now() - sentAt);
    samplesMs.push(unansweredMs);
  }
  s.destroy();
  return { failure: null, samplesMs, unansweredMs, closedEarly };
}

export interface ConnectorParams extends Endpoint {
  path: string;
  count: number;
  intervalMs: number;
  deadlineMs: number;
}

export interface ConnectorResult {
  attempted: number;
  ok: number;
  failed: Record<string, number>;
  latenciesMs: number[];
}

export async function connector(p: ConnectorParams, ctx: RoleContext): Promise<ConnectorResult> {
  const failed: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const attempts: Promise<void>[] = [];
  for (let i = 0; i < p.count && !ctx.isStopped(); i++) {
    attempts.push(
      openWebSocket(p).then((r) => {
        if (r.ok) r.socket.destroy();
        // A 101 read after the deadline (this process's timer was late) missed it all the same.
        const failure = r.ok ? (r.ms > p.deadlineMs ? 'timeout' : null) : r.failure;
        if (failure === null) latenciesMs.push(Math.round(r.ms * 100) / 100);
        else failed[failure] = (failed[failure] ?? 0) + 1;
        ctx.tick({ done: latenciesMs.length + Object.values(failed).reduce((a, b) => a + b, 0) });
      }),
    );
    await new Promise((r) => setTimeout(r, p.intervalMs));
  }
  await Promise.all(attempts);
  return { attempted: attempts.length, ok: latenciesMs.length, failed, latenciesMs };
}
