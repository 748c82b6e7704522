/**
 * Push throughput and latency, same worker vs across workers (embedded bus) vs across nodes
 * (Redis bus), in one run:
 *   npm run bench:push -- [--repeats 3] [--size 64] [--rate 20000] [--targets 4] [--quick]
 *                         [--out bench] [--redis URL | --no-redis] [--only a,b] [--cpu-prof DIR]
 *
 * Scenarios (the server runs scripts/apps/bench-app.ts; round-robin dispatch places clients):
 *   same-worker   driver and targets on worker 0 of a 2-worker node
 *   cross-worker  driver on worker 0, targets on worker 1 of the same node: the embedded bus
 *   cross-node    driver on node A, targets on node B (two 1-worker nodes, one --cluster-name,
 *                 one Redis): the Redis bus. Skipped with a notice when Redis does not answer.
 * For each, per repeat (scenario order rotated every repeat, figures are medians over repeats):
 *   throughput    the driver's worker pushes N messages (N sized for ~2.5 s by a first,
 *                 calibrating run) as fast as it can, round-robin over --targets connections,
 *                 with a window of unacknowledged messages per target (targets ack every
 *                 window/8 messages) so nothing is dropped at a slow reader; pushes/s delivered
 *                 = N / (last arrival - first push).
 *   latency       --rate pushes/s to one target for --latency-seconds: one-way latency from the
 *                 push() call to arrival (both stamped with CLOCK_MONOTONIC, shared by all
 *                 processes), p50/p99/p99.9/max.
 * Receivers (raw sockets in this process) check every message arrives once and in order.
 * Targets of the issue: cross-worker throughput at least half the same-worker one (a
 * cross-worker push costs no more than 2x), cross-worker p99 under 5 ms at 20,000 pushes/s.
 *
 * Progress on stderr; the table, then one JSON object (the last line) on stdout; every run in
 * <out>/push.json. Loopback only; bounded in count and time; every process started is killed
 * on the way out (also on error and SIGINT), and the Redis keys of the run's cluster deleted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, release } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { machineBusy, machineTicks, processTicks } from './lib/cpu.ts';
import { maskedText, readFrames } from './lib/frames.ts';
import { buildCli, SWITCHYARD_CLI } from './lib/switchyard.ts';
import { deleteKeys, redisClient } from './lib/redis.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const APP = 'scripts/apps/bench-app.ts';
const SCENARIOS = [
  { id: 'same-worker', label: 'same worker' },
  { id: 'cross-worker', label: 'cross worker (embedded bus)' },
  { id: 'cross-node', label: 'cross node (Redis bus)' },
] as const;
type ScenarioId = (typeof SCENARIOS)[number]['id'];
/** The issue's targets. */
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 5;

// ---------------------------------------------------------------------------------------------
// Settings

interface Settings {
  repeats: number;
  size: number;
  rate: number;
  targets: number;
  latencySeconds: number;
  throughputSeconds: number;
  /** Messages of the calibrating run (null: no calibration, `fixedCount` messages). */
  calibrateCount: number | null;
  fixedCount: number;
  quick: boolean;
  out: string;
  redis: string | null;
  only: ScenarioId[];
  cpuProf: string | null;
}

function settingsFrom(argv: string[]): Settings {
  const problems: string[] = [];
  const options = {
    repeats: { type: 'string' },
    size: { type: 'string' },
    rate: { type: 'string' },
    targets: { type: 'string' },
    'latency-seconds': { type: 'string' },
    quick: { type: 'boolean' },
    out: { type: 'string' },
    redis: { type: 'string' },
    'no-redis': { type: 'boolean' },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
  } as const;
  let v: Partial<Record<keyof typeof options, string | boolean>> = {};
  try {
    v = parseArgs({ args: argv, options }).values;
  } catch (err) {
    problems.push((err as Error).message);
  }
  const quick = v.quick === true;
  const num = (key: keyof typeof options, fallback: number, min: number, max: number, integer = true): number => {
    const raw = v[key];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) problems.push(`--${key} ${String(raw)}: expected ${integer ? 'an integer' : 'a number'} ${min}..${max}`);
    return n;
  };
  const only = typeof v.only === 'string' ? (v.only.split(',') as ScenarioId[]) : SCENARIOS.map((s) => s.id);
  for (const id of only) if (!SCENARIOS.some((s) => s.id === id)) problems.push(`--only ${id}: expected ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const s: Settings = {
    repeats: num('repeats', quick ? 1 : 3, 1, 15),
    size: num('size', 64, 16, 65536),
    rate: num('rate', 20_000, 100, 200_000),
    targets: num('targets', quick ? 2 : 4, 1, 16),
    latencySeconds: num('latency-seconds', quick ? 0.5 : 3, 0.2, 30, false),
    throughputSeconds: 2.5,
    calibrateCount: quick ? null : 100_000,
    fixedCount: 20_000,
    quick,
    out: resolve(typeof v.out === 'string' ? v.out : join(ROOT, 'bench')),
    redis: v['no-redis'] === true ? null : typeof v.redis === 'string' ? v.redis : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    only,
    cpuProf: typeof v['cpu-prof'] === 'string' ? resolve(v['cpu-prof']) : null,
  };
  if (problems.length > 0) {
    process.stderr.write(`bench-push: ${problems.join('; ')}\n`);
    process.exit(2);
  }
  return s;
}

/** Messages a target may have unacknowledged: ~1 MiB of them (the connection's high watermark). */
const windowFor = (size: number): number => Math.max(64, Math.floor((1 << 20) / (size + 10)));

// ---------------------------------------------------------------------------------------------
// Processes: each node in its own process group (its workers die with it); every group is
// killed on the way out, whatever the way.

const groups = new Set<number>();
let aborting = false;
let cleanupRedis: (() => Promise<void>) | null = null;

function killGroups(signal: NodeJS.Signals): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      groups.delete(pgid); // nobody left in it
    }
  }
}

process.once('exit', () => killGroups('SIGKILL'));
function abort(why: string, code: number): void {
  if (aborting) return;
  aborting = true;
  process.exitCode = code;
  process.stderr.write(`\nbench-push: ${why}; stopping every process started\n`);
  killGroups('SIGTERM');
  const leave = () => process.exit(code);
  setTimeout(leave, 3000).unref();
  setTimeout(() => killGroups('SIGKILL'), 1500).unref();
  void (cleanupRedis?.() ?? Promise.resolve()).catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => abort(`got ${signal}`, 130));
process.on('uncaughtException', (err) => abort(`internal error: ${err.stack ?? err.message}`, 1));
process.on('unhandledRejection', (err) => abort(`internal error: ${String(err)}`, 1));

interface RunningNode {
  port: number;
  child: ChildProcess;
  tail(): string;
}

async function startNode(label: string, args: string[], s: Settings, timeoutMs = 30_000): Promise<RunningNode> {
  if (aborting) throw new Error('aborting: no new process');
  const prof = s.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${s.cpuProf}`] : [];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_') && k !== 'REDIS_URL'));
  buildCli();
  const argv = [...prof, SWITCHYARD_CLI, '--port', '0', '--app', APP, '--log-level', 'warn', ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) groups.add(child.pid);
  const lines: string[] = [];
  const tail = () => lines.join('\n');
  const port = await new Promise<number>((resolvePort, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
      reject(new Error(`${label}: ${why}\n${tail()}`));
    };
    const timer = setTimeout(() => fail(`no "bench-app-listening" line within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal}) before listening`);
    child.once('exit', onExit);
    child.once('error', (err) => fail(`cannot start: ${err.message}`));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        lines.push(line);
        if (lines.length > 30) lines.shift();
        if (!line.includes('"bench-app-listening"')) return;
        const port = (JSON.parse(line) as { port: number }).port;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolvePort(port);
      });
    }
  });
  return { port, child, tail };
}

/** SIGTERM to the node's group (a graceful stop: CPU profiles get written), SIGKILL after `graceMs`. */
async function stopNode(node: RunningNode, graceMs = 10_000): Promise<void> {
  const { child } = node;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  await sleep(200); // workers leave right after their master
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // none left
  }
  groups.delete(child.pid!);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nowNs = (): number => {
  const [sec, ns] = process.hrtime();
  return sec * 1e9 + ns;
};

// ---------------------------------------------------------------------------------------------
// A minimal WebSocket client on a raw socket: reading server frames costs little here, so the
// receivers are not what limits a figure. Commands and acks go out as masked text frames.

interface Hello {
  fd: number;
  worker: number;
  node: number;
  pid: number;
}

class BenchClient {
  hello!: Hello;
  onText: ((text: string) => void) | null = null;
  onBinary: ((payload: Buffer, atNs: number) => void) | null = null;
  private rest: Buffer | null = null;

  private constructor(readonly socket: Socket) {}

  static open(port: number, timeoutMs = 10_000): Promise<BenchClient> {
    return new Promise((resolveClient, reject) => {
      const socket = connect({ port, host: '127.0.0.1' });
      const client = new BenchClient(socket);
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(new Error('no hello within the time limit')), timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      let head = Buffer.alloc(0);
      const onHead = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        if (!head.subarray(0, 13).toString('latin1').startsWith('HTTP/1.1 101')) return fail(new Error(`handshake refused: ${head.subarray(0, end).toString('latin1')}`));
        socket.off('data', onHead);
        client.onText = (text) => {
          clearTimeout(timer);
          client.hello = JSON.parse(text) as Hello;
          client.onText = null;
          resolveClient(client);
        };
        socket.on('data', (d: Buffer) => client.read(d));
        if (head.length > end + 4) client.read(head.subarray(end + 4));
      };
      socket.on('data', onHead);
      socket.on('error', fail);
      socket.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  send(value: unknown): void {
    this.socket.write(maskedText(JSON.stringify(value)));
  }

  close(): void {
    this.socket.destroy();
  }

  /** Server frames (RFC 6455 §5.2, unmasked); every frame of one chunk arrived at one time. */
  private read(chunk: Buffer): void {
    const at = nowNs();
    this.rest = readFrames(this.rest, chunk, (opcode, payload) => {
      if (opcode === 2) this.onBinary?.(payload, at);
      else if (opcode === 1) this.onText?.(payload.toString('utf8'));
    });
  }
}

/** Opens connections until `count` are on `worker` (round-robin dispatch alternates workers);
 * the others are kept in `spare` for later placements. */
async function clientsOn(port: number, worker: number, count: number, spare: BenchClient[]): Promise<BenchClient[]> {
  const got: BenchClient[] = [];
  for (let i = spare.length - 1; i >= 0 && got.length < count; i--) {
    if (spare[i]!.hello.worker === worker) got.push(...spare.splice(i, 1));
  }
  for (let attempts = 0; got.length < count; attempts++) {
    if (attempts > 4 * count + 8) throw new Error(`could not place ${count} client(s) on worker ${worker} (round-robin dispatch expected)`);
    const c = await BenchClient.open(port);
    (c.hello.worker === worker ? got : spare).push(c);
  }
  return got;
}

// ---------------------------------------------------------------------------------------------
// One measured run: a driver, its targets, the pushes command, the receivers' checks.

interface Placement {
  driver: BenchClient;
  targets: BenchClient[];
  /** Processes whose CPU time the run reports. */
  pids: { driver: number; target: number; redis: number | null };
}

interface RunResult {
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
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number } | null;
  /** % of one core per process; `machine`: % of all cores busy, whoever used them. */
  cpuPercent: { driver: number; target: number; bench: number; redis: number | null; machine: number | null };
  /** CPU time of the server's worker(s) per delivered push, in µs (driver and target worker;
   * one process when they are the same; Redis not included). */
  serverCpuUsPerPush: number | null;
  error: string | null;
}

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

async function measure(p: Placement, count: number, rate: number, size: number, sample: boolean): Promise<RunResult> {
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
  const cpu0 = cpuTicks(p.pids);
  const samePid = p.pids.driver === p.pids.target;
  p.driver.send({ cmd: 'pushes', run, to: p.targets.map((t) => t.hello.fd), count, rate, size, window });
  const limitMs = (rate > 0 ? (count / rate) * 1000 : 60_000) + 15_000;
  const deadline = Date.now() + limitMs;
  const complete = () => receptions.every((r, j) => r.received >= perTarget[j]!);
  const finished = () => reply.done !== null && (reply.done.error !== null || complete());
  while (!finished() && Date.now() < deadline && !aborting) await sleep(5);
  const cpu1 = cpuTicks(p.pids);
  // A little longer: a duplicate or a stray message after the last one would show now.
  await sleep(50);
  for (const t of p.targets) t.onBinary = null;
  p.driver.onText = null;

  const d = reply.done;
  const cpu = cpuPercent(cpu0, cpu1);
  const delivered = receptions.reduce((a, r) => a + r.received, 0);
  const orderErrors = receptions.reduce((a, r) => a + r.errors, 0) + strays + Math.max(0, delivered - count);
  const lastAt = Math.max(...receptions.map((r) => r.lastAt));
  const seconds = d ? (lastAt - d.t0) / 1e9 : NaN;
  let error: string | null = null;
  if (aborting) error = 'aborted';
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
    latencyMs: samples ? percentiles(samples.subarray(0, sampled)) : null,
    cpuPercent: cpu,
    serverCpuUsPerPush: delivered > 0 && seconds > 0 ? round((((cpu.driver + (samePid ? 0 : cpu.target)) / 100) * seconds * 1e6) / delivered, 3) : null,
    error,
  };
}

function percentiles(ms: Float64Array): RunResult['latencyMs'] {
  if (ms.length === 0) return null;
  const sorted = Float64Array.from(ms).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 3);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) };
}

const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);

// ---------------------------------------------------------------------------------------------
// CPU time per process from /proc (Linux; elsewhere zeros): which process was the limit.

interface CpuTicks {
  t: number;
  driver: number;
  target: number;
  bench: number;
  redis: number | null;
  /** [busy, total] ticks of all cores: the whole machine, others' processes included. */
  machine: [number, number];
}

function cpuTicks(pids: Placement['pids']): CpuTicks {
  return { t: performance.now(), driver: processTicks(pids.driver), target: processTicks(pids.target), bench: processTicks(process.pid), redis: pids.redis === null ? null : processTicks(pids.redis), machine: machineTicks() };
}

/** % of one core over the window (USER_HZ = 100 ticks per second). */
function cpuPercent(a: CpuTicks, b: CpuTicks): RunResult['cpuPercent'] {
  const s = Math.max(1e-3, (b.t - a.t) / 1000);
  const pct = (x: number) => Math.round(x / s);
  const [busy, total] = [b.machine[0] - a.machine[0], b.machine[1] - a.machine[1]];
  return {
    driver: pct(b.driver - a.driver),
    target: pct(b.target - a.target),
    bench: pct(b.bench - a.bench),
    redis: a.redis === null || b.redis === null ? null : pct(b.redis - a.redis),
    machine: total > 0 ? Math.round((busy / total) * 100) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Redis: probe, its pid (for CPU figures), and the run's keys deleted afterwards.

// ---------------------------------------------------------------------------------------------
// Summary and output

interface ScenarioRun {
  scenario: ScenarioId;
  repeat: number;
  throughput: RunResult;
  latency: RunResult;
}

function median(xs: number[]): number | null {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

interface Medians {
  pushesPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  maxMs: number | null;
  serverCpuUsPerPush: number | null;
  cpuPercent: { driver: number | null; target: number | null; bench: number | null; redis: number | null; machine: number | null };
}

function mediansOf(runs: ScenarioRun[]): Medians {
  const t = runs.map((r) => r.throughput).filter((r) => r.error === null);
  const l = runs.map((r) => r.latency).filter((r) => r.error === null && r.latencyMs !== null);
  const r2 = (x: number | null) => (x === null ? null : round(x, 3));
  const cpu = (key: keyof RunResult['cpuPercent']) => median(t.map((r) => r.cpuPercent[key]).filter((x): x is number => x !== null));
  return {
    pushesPerSecond: median(t.map((r) => r.pushesPerSecond)),
    p50Ms: r2(median(l.map((r) => r.latencyMs!.p50))),
    p99Ms: r2(median(l.map((r) => r.latencyMs!.p99))),
    p999Ms: r2(median(l.map((r) => r.latencyMs!.p999))),
    maxMs: r2(median(l.map((r) => r.latencyMs!.max))),
    serverCpuUsPerPush: r2(median(t.flatMap((r) => (r.serverCpuUsPerPush === null ? [] : [r.serverCpuUsPerPush])))),
    cpuPercent: { driver: cpu('driver'), target: cpu('target'), bench: cpu('bench'), redis: cpu('redis'), machine: cpu('machine') },
  };
}

/** Median over repeats of the per-repeat ratio a/b of delivered pushes/s (same run, same drift). */
function ratio(runs: ScenarioRun[], a: ScenarioId, b: ScenarioId): number | null {
  const per: number[] = [];
  for (const r of runs.filter((x) => x.scenario === a && x.throughput.error === null)) {
    const base = runs.find((x) => x.scenario === b && x.repeat === r.repeat && x.throughput.error === null);
    if (base) per.push(r.throughput.pushesPerSecond / base.throughput.pushesPerSecond);
  }
  const m = median(per);
  return m === null ? null : round(m, 3);
}

function cpuRatio(a: Medians | undefined, b: Medians | undefined): number | null {
  const x = a?.serverCpuUsPerPush ?? null;
  const y = b?.serverCpuUsPerPush ?? null;
  return x === null || y === null || y === 0 ? null : round(x / y, 2);
}

const fmtRate = (n: number | null) => (n === null ? 'n/a' : n >= 10_000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)} k` : String(Math.round(n)));
const fmtMs = (n: number | null) => (n === null ? 'n/a' : n.toFixed(n < 10 ? 3 : 1));
const fmtRatio = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)}×`);

function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const startedAt = performance.now();
  const s = settingsFrom(process.argv.slice(2));
  const progress = (msg: string) => process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
  // A hard ceiling far above the expected length: the run stops by itself.
  const ceilingMs = (90 + s.repeats * 3 * (30 + 2 * s.latencySeconds)) * 1000;
  setTimeout(() => abort(`still running after ${ceilingMs / 1000} s`, 1), ceilingMs).unref();
  if (s.cpuProf) mkdirSync(s.cpuProf, { recursive: true });
  const backgroundBusy = await machineBusy(1000);
  if (backgroundBusy !== null && backgroundBusy > 15) progress(`WARNING: the machine is ${backgroundBusy}% busy before we start: figures will be low and noisy`);

  const skipped: string[] = [];
  const scenarios = SCENARIOS.filter((x) => s.only.includes(x.id));
  let redis: Redis | null = null;
  const clusterName = `sy-bench-push-${randomBytes(4).toString('hex')}`;
  if (scenarios.some((x) => x.id === 'cross-node')) {
    redis = s.redis === null ? null : await redisClient(s.redis);
    if (redis === null) {
      const why = s.redis === null ? 'cross-node skipped: --no-redis' : `cross-node skipped: no Redis answering PING at ${s.redis}`;
      skipped.push(why);
      progress(`NOTICE: ${why}`);
    } else {
      const client = redis;
      cleanupRedis = async () => void (await deleteKeys(client, clusterName));
    }
  }
  const active = scenarios.filter((x) => x.id !== 'cross-node' || redis !== null);

  const nodes: RunningNode[] = [];
  const clients: BenchClient[] = [];
  const placements = new Map<ScenarioId, { throughput: Placement; latency: Placement }>();
  const runs: ScenarioRun[] = [];
  const counts = new Map<ScenarioId, number>();
  try {
    if (active.some((x) => x.id !== 'cross-node')) {
      progress('starting a node with 2 workers (round-robin dispatch)');
      const node = await startNode('node (2 workers)', ['--workers', '2', '--dispatch-mode', '1'], s);
      nodes.push(node);
      const spare: BenchClient[] = [];
      const [driver] = await clientsOn(node.port, 0, 1, spare);
      const onW0 = await clientsOn(node.port, 0, s.targets, spare);
      const onW1 = await clientsOn(node.port, 1, s.targets, spare);
      clients.push(driver!, ...onW0, ...onW1, ...spare);
      const place = (targets: BenchClient[]): Placement => ({ driver: driver!, targets, pids: { driver: driver!.hello.pid, target: targets[0]!.hello.pid, redis: null } });
      placements.set('same-worker', { throughput: place(onW0), latency: place(onW0.slice(0, 1)) });
      placements.set('cross-worker', { throughput: place(onW1), latency: place(onW1.slice(0, 1)) });
    }
    if (redis !== null) {
      progress(`starting two 1-worker nodes over Redis ${s.redis} (cluster ${clusterName})`);
      const args = ['--workers', '1', '--redis', s.redis!, '--cluster-name', clusterName];
      const a = await startNode('node A (Redis)', args, s);
      nodes.push(a);
      const b = await startNode('node B (Redis)', args, s);
      nodes.push(b);
      const driver = await BenchClient.open(a.port);
      const targets: BenchClient[] = [];
      for (let i = 0; i < s.targets; i++) targets.push(await BenchClient.open(b.port));
      clients.push(driver, ...targets);
      if (driver.hello.node === targets[0]!.hello.node) throw new Error(`nodes A and B got the same node id ${driver.hello.node}`);
      const info = await redis.info('server');
      const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1] ?? NaN);
      const place = (t: BenchClient[]): Placement => ({ driver, targets: t, pids: { driver: driver.hello.pid, target: t[0]!.hello.pid, redis: Number.isFinite(redisPid) ? redisPid : null } });
      placements.set('cross-node', { throughput: place(targets), latency: place(targets.slice(0, 1)) });
    }

    // Warm-up (the JIT: a cold run is several times slower), then a calibrating run of
    // ~0.5 s sizes N for ~throughputSeconds. Neither is measured.
    for (const sc of active) {
      const p = placements.get(sc.id)!;
      const warm = await measure(p.throughput, s.calibrateCount ?? 5000, 0, s.size, false);
      if (warm.error) throw new Error(`${sc.id} warm-up: ${warm.error}`);
      if (s.calibrateCount === null) {
        counts.set(sc.id, s.fixedCount);
        continue;
      }
      const cal = await measure(p.throughput, Math.max(20_000, Math.round(warm.pushesPerSecond / 2)), 0, s.size, false);
      if (cal.error) throw new Error(`${sc.id} calibration: ${cal.error}`);
      const n = Math.max(20_000, Math.min(8_000_000, Math.round((cal.pushesPerSecond * s.throughputSeconds) / 1000) * 1000));
      counts.set(sc.id, n);
      progress(`${sc.id}: calibration ${fmtRate(cal.pushesPerSecond)} pushes/s -> ${n} messages per throughput run`);
    }

    for (let repeat = 0; repeat < s.repeats; repeat++) {
      const order = active.map((_, i) => active[(i + repeat) % active.length]!);
      progress(`repeat ${repeat + 1}/${s.repeats}: ${order.map((o) => o.id).join(', ')}`);
      for (const sc of order) {
        if (aborting) return 130;
        const p = placements.get(sc.id)!;
        const throughput = await measure(p.throughput, counts.get(sc.id)!, 0, s.size, false);
        const latencyCount = Math.round(s.rate * s.latencySeconds);
        const latency = await measure(p.latency, latencyCount, s.rate, s.size, true);
        runs.push({ scenario: sc.id, repeat, throughput, latency });
        const l = latency.latencyMs;
        progress(
          `  ${sc.id.padEnd(12)} ${fmtRate(throughput.pushesPerSecond)} pushes/s (cpu driver ${throughput.cpuPercent.driver}% target ${throughput.cpuPercent.target}% bench ${throughput.cpuPercent.bench}%` +
            `${throughput.cpuPercent.redis === null ? '' : ` redis ${throughput.cpuPercent.redis}%`}, machine ${throughput.cpuPercent.machine}% busy)` +
            ` | at ${s.rate}/s p50 ${fmtMs(l?.p50 ?? null)} p99 ${fmtMs(l?.p99 ?? null)} p99.9 ${fmtMs(l?.p999 ?? null)} ms` +
            (throughput.error || latency.error ? ` | ERROR ${throughput.error ?? ''} ${latency.error ?? ''}` : ''),
        );
      }
    }
  } finally {
    for (const c of clients) c.close();
    progress('stopping the nodes');
    await Promise.all(nodes.map((n) => stopNode(n)));
    if (redis !== null) {
      const deleted = await deleteKeys(redis, clusterName).catch(() => -1);
      progress(`deleted ${deleted} Redis key(s) of ${clusterName}`);
      cleanupRedis = null;
      redis.disconnect();
    }
  }

  // ---- summary
  const medians: Partial<Record<ScenarioId, Medians>> = {};
  for (const sc of active) medians[sc.id] = mediansOf(runs.filter((r) => r.scenario === sc.id));
  const ratios = {
    crossWorkerVsSameWorker: ratio(runs, 'cross-worker', 'same-worker'),
    crossNodeVsSameWorker: ratio(runs, 'cross-node', 'same-worker'),
    /** What a push costs the workers in CPU, cross-worker over same-worker (medians). */
    serverCpuPerPushCrossWorkerVsSameWorker: cpuRatio(medians['cross-worker'], medians['same-worker']),
    serverCpuPerPushCrossNodeVsSameWorker: cpuRatio(medians['cross-node'], medians['same-worker']),
  };
  const p99 = medians['cross-worker']?.p99Ms ?? null;
  const targets = {
    throughputRatio: { want: `cross-worker / same-worker >= ${TARGET_RATIO}`, value: ratios.crossWorkerVsSameWorker, met: ratios.crossWorkerVsSameWorker === null ? null : ratios.crossWorkerVsSameWorker >= TARGET_RATIO },
    crossWorkerP99: { want: `p99 < ${TARGET_P99_MS} ms at ${s.rate} pushes/s`, valueMs: p99, met: p99 === null ? null : p99 < TARGET_P99_MS },
  };
  const errors = runs.flatMap((r) =>
    (['throughput', 'latency'] as const).filter((k) => r[k].error !== null).map((k) => `${r.scenario}#${r.repeat + 1} ${k}: ${r[k].error}`),
  );
  const durationSeconds = round((performance.now() - startedAt) / 1000, 1);
  const settings = { repeats: s.repeats, size: s.size, rate: s.rate, targets: s.targets, window: windowFor(s.size), latencySeconds: s.latencySeconds, throughputCounts: Object.fromEntries(counts), quick: s.quick, redis: s.redis, only: s.only };

  const rows = [['scenario', 'pushes/s (max)', 'vs same worker', `p50 ms @${s.rate}/s`, 'p99 ms', 'p99.9 ms', 'max ms', 'server CPU µs/push', 'CPU % driver/target/bench/redis', 'machine busy %']];
  for (const sc of active) {
    const m = medians[sc.id]!;
    const vs = sc.id === 'same-worker' ? 1 : sc.id === 'cross-worker' ? ratios.crossWorkerVsSameWorker : ratios.crossNodeVsSameWorker;
    const c = m.cpuPercent;
    // Same worker: driver and target are one process (its CPU shows once).
    const cpu = [c.driver, sc.id === 'same-worker' ? null : c.target, c.bench, c.redis].map((x) => (x === null ? '-' : String(x))).join('/');
    rows.push([sc.label, fmtRate(m.pushesPerSecond), fmtRatio(vs), fmtMs(m.p50Ms), fmtMs(m.p99Ms), fmtMs(m.p999Ms), fmtMs(m.maxMs), m.serverCpuUsPerPush === null ? 'n/a' : m.serverCpuUsPerPush.toFixed(2), cpu, c.machine === null ? '-' : String(c.machine)]);
  }
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'MET' : 'MISSED');
  const targetLines = [
    `server CPU per push, cross-worker / same-worker: ${fmtRatio(ratios.serverCpuPerPushCrossWorkerVsSameWorker)}; cross-node / same-worker: ${fmtRatio(ratios.serverCpuPerPushCrossNodeVsSameWorker)}`,
    `target: cross-worker throughput >= ${TARGET_RATIO} × same-worker: ${fmtRatio(ratios.crossWorkerVsSameWorker)} -> ${verdict(targets.throughputRatio.met)}` +
      (targets.throughputRatio.met === false ? ` (short by ${round((1 - ratios.crossWorkerVsSameWorker! / TARGET_RATIO) * 100, 1)}%)` : ''),
    `target: cross-worker p99 < ${TARGET_P99_MS} ms at ${s.rate} pushes/s: ${fmtMs(p99)} ms -> ${verdict(targets.crossWorkerP99.met)}` +
      (targets.crossWorkerP99.met === false ? ` (over by ${round(p99! - TARGET_P99_MS, 3)} ms)` : ''),
  ];
  const how =
    `${s.size}-byte binary pushes. Throughput: as fast as the driver's worker can push, round-robin over ${s.targets} target connections, ` +
    `window ${windowFor(s.size)} unacknowledged messages per target; pushes/s delivered = N / (last arrival - first push). ` +
    `Latency: ${s.rate} pushes/s to one target for ${s.latencySeconds} s, push() call to arrival. Medians of ${s.repeats} repeat(s); ` +
    `"vs same worker" is the median of per-repeat ratios; CPU % (of one core) per process during the throughput runs, ` +
    `server CPU µs/push = the worker processes' CPU time (driver + target worker, Redis excluded) per delivered push; ` +
    `machine busy % = all ${cpus().length} cores, whoever used them (well above our processes' share: others were running).`;

  mkdirSync(s.out, { recursive: true });
  const jsonPath = join(s.out, 'push.json');
  const machine = { cpuModel: cpus()[0]?.model.trim() ?? 'unknown', cpus: cpus().length, node: process.version, os: `${process.platform} ${release()}`, date: new Date().toISOString(), backgroundBusyPercentBeforeRun: backgroundBusy };
  writeFileSync(jsonPath, `${JSON.stringify({ machine, settings, how, medians, ratios, targets, skipped, errors, durationSeconds, runs }, null, 2)}\n`);

  const out = process.stdout;
  out.write(`\n${how}\n\n${textTable(rows)}\n\n${targetLines.join('\n')}\n`);
  for (const line of skipped) out.write(`NOTICE: ${line}\n`);
  if (backgroundBusy !== null && backgroundBusy > 15) out.write(`WARNING: the machine was ${backgroundBusy}% busy before the run (other processes): figures are low and noisy\n`);
  if (errors.length) out.write(`${errors.length} run(s) failed:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
  out.write(`wrote ${relative(process.cwd(), jsonPath) || jsonPath} in ${durationSeconds} s\n`);
  const last = { event: 'bench-push', ok: errors.length === 0, backgroundBusyPercentBeforeRun: backgroundBusy, settings, medians, ratios, targets, skipped, errors, durationSeconds, files: { json: jsonPath } };
  out.write(`${JSON.stringify(last)}\n`);
  return errors.length === 0 ? 0 : 1;
}

const code = await main().catch((err: Error) => {
  process.stderr.write(`bench-push: failed: ${err.stack ?? err.message}\n`);
  return 1;
});
if (!aborting) process.stdout.write('', () => process.exit(code));
