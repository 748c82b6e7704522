/**
 * One measured run of `npm run bench:push`: a driver connection asks its worker
 * (scripts/apps/bench-app.ts) to push N messages to its targets; the targets (raw sockets in
 * this process) check every message arrives once and in order, ack every window/8 of them, and
 * stamp arrivals for the latency; CPU time per process from /proc.
 */
import type { BenchClient } from './bench-client.ts';
import { cpuSampler } from './cpu.ts';
import { isAborting } from './processes.ts';
import { pcts, round, type Pcts } from './report.ts';
import { sleep } from './wait.ts';

export interface Placement {
  driver: BenchClient;
  targets: BenchClient[];
  /** Processes whose CPU time the run reports. */
  pids: { driver: number; target: number; redis: number | null };
}

export interface RunResult {
  count: number;
  delivered: number;
  /** Messages missing, duplicated or out of order, summed over targets (0 when all is well). */
  orderErrors: number;
  seconds: number;
  pushesPerSecond: number;
  /** How fast the driver got them out (pushes/s from first to last push()). */
  sendRate: number;
  refused: number;
  windowWaits: number;
  maxBehindMs: number;
  latencyMs: Pcts | null;
  /** % of one core per process; `machine`: % of all cores busy, whoever used them. */
  cpuPercent: { driver: number; target: number; bench: number; redis: number | null; machine: number | null };
  /** CPU time of the server's worker(s) per delivered push, in µs (driver and target worker;
   * one process when they are the same; Redis not included). */
  serverCpuUsPerPush: number | null;
  error: string | null;
}

/** Messages a target may have unacknowledged: ~1 MiB of them (the connection's high watermark). */
export const windowFor = (size: number): number => Math.max(64, Math.floor((1 << 20) / (size + 10)));

let nextRun = 1;

/** The driver's worker's report at the end of a run (scripts/apps/bench-app.ts). */
interface PushesDone {
  type: 'pushes-done';
  run: number;
  sent: number;
  refused: number;
  windowWaits: number;
  /** hrtime of the first push and after the last, in ns. */
  t0: number;
  t1: number;
  maxBehindMs: number;
  error: string | null;
}

interface Reception {
  next: number;
  received: number;
  errors: number;
  lastAt: number;
}

/** `count` pushes of `size` bytes, at `rate` per second (0: as fast as the window allows); latency sampled when `sample`. */
export async function measure(p: Placement, count: number, rate: number, size: number, sample: boolean): Promise<RunResult> {
  const run = nextRun++;
  const k = p.targets.length;
  const window = windowFor(size);
  const ackEvery = Math.max(1, Math.floor(window / 8));
  const perTarget = p.targets.map((_, j) => Math.floor(count / k) + (j < count % k ? 1 : 0));
  const receptions: Reception[] = p.targets.map(() => ({ next: 0, received: 0, errors: 0, lastAt: 0 }));
  const samples = sample ? new Float64Array(count) : null;
  let sampled = 0;
  let strays = 0;
  p.targets.forEach((target, j) => {
    const r = receptions[j]!;
    target.onBinary = (payload, at) => {
      if (payload.length < 16 || payload.readUInt32BE(12) !== run) return void strays++;
      const seq = payload.readUInt32BE(8);
      if (seq !== r.next) r.errors++;
      r.next = seq + 1;
      r.received++;
      r.lastAt = at;
      if (samples !== null && sampled < samples.length) samples[sampled++] = (at - (payload.readUInt32BE(0) * 1e9 + payload.readUInt32BE(4))) / 1e6;
      if (r.received % ackEvery === 0) target.send({ cmd: 'ack', run, driver: p.driver.hello.fd, target: target.hello.fd, got: r.received });
    };
  });
  const reply: { done: PushesDone | null } = { done: null };
  p.driver.onText = (text) => {
    const m = JSON.parse(text) as PushesDone;
    if (m.type === 'pushes-done' && m.run === run) reply.done = m;
  };
  const cpu = cpuSampler({ driver: [p.pids.driver], target: [p.pids.target], bench: [process.pid], ...(p.pids.redis === null ? {} : { redis: [p.pids.redis] }) });
  const samePid = p.pids.driver === p.pids.target;
  p.driver.send({ cmd: 'pushes', run, to: p.targets.map((t) => t.hello.fd), count, rate, size, window });
  const limitMs = (rate > 0 ? (count / rate) * 1000 : 60_000) + 15_000;
  const deadline = Date.now() + limitMs;
  const complete = () => receptions.every((r, j) => r.received >= perTarget[j]!);
  const finished = () => reply.done !== null && (reply.done.error !== null || complete());
  while (!finished() && Date.now() < deadline && !isAborting()) await sleep(5);
  const used = cpu();
  // A little longer: a duplicate or a stray message after the last one would show now.
  await sleep(50);
  for (const t of p.targets) t.onBinary = null;
  p.driver.onText = null;

  const d = reply.done;
  const cpuPercent = { driver: used.driver!, target: used.target!, bench: used.bench!, redis: used.redis ?? null, machine: used.machine! < 0 ? null : used.machine! };
  const delivered = receptions.reduce((a, r) => a + r.received, 0);
  const orderErrors = receptions.reduce((a, r) => a + r.errors, 0) + strays + Math.max(0, delivered - count);
  const lastAt = Math.max(...receptions.map((r) => r.lastAt));
  const seconds = d ? (lastAt - d.t0) / 1e9 : NaN;
  let error: string | null = null;
  if (isAborting()) error = 'aborted';
  else if (d === null) error = `no pushes-done from the driver within ${limitMs} ms`;
  else if (d.error !== null) error = `driver: ${d.error}`;
  else if (delivered < count) error = `${count - delivered} of ${count} messages never arrived`;
  else if (orderErrors > 0) error = `${orderErrors} messages out of order, duplicated or stray`;
  return {
    count,
    delivered,
    orderErrors,
    seconds: round(seconds, 4),
    pushesPerSecond: Math.round(delivered / seconds),
    sendRate: d ? Math.round(d.sent / ((d.t1 - d.t0) / 1e9)) : 0,
    refused: d?.refused ?? 0,
    windowWaits: d?.windowWaits ?? 0,
    maxBehindMs: d?.maxBehindMs ?? 0,
    latencyMs: samples ? pcts(samples.subarray(0, sampled)) : null,
    cpuPercent,
    serverCpuUsPerPush: delivered > 0 && seconds > 0 ? round((((cpuPercent.driver + (samePid ? 0 : cpuPercent.target)) / 100) * seconds * 1e6) / delivered, 3) : null,
    error,
  };
}
