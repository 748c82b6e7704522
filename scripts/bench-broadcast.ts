/**
 * Broadcast fan-out to many sessions spread over the workers of a node:
 *   npm run bench:broadcast -- [--sessions 10000] [--workers 2] [--broadcasts 20] [--size 64]
 *                              [--sustain-seconds 3] [--repeats 3] [--window 16] [--quick] [--out bench]
 *
 * The node runs scripts/apps/bench-app.ts with round-robin dispatch, so the sessions split
 * evenly over the workers. Generator processes (this file, forked; at most 2,500 sessions each,
 * far under the 20,000 open files a process may have, each on its own 127.0.0.x source
 * addresses) hold the sessions and check every delivery. A driver connection (on worker 0)
 * asks the app for broadcasts; every session but the driver gets each one.
 *   fan-out     --broadcasts broadcasts one at a time (after 3 unmeasured ones), each once the
 *               previous reached every session, 100 ms apart: the time from the broadcast()
 *               call to the LAST delivery, and p50/p99 over the deliveries; also split by the
 *               sessions on the broadcaster's worker and those on other workers (embedded bus).
 *   sustained   broadcasts in a loop for --sustain-seconds, at most --window not yet delivered
 *               everywhere: broadcasts/s and deliveries/s from the first broadcast() to the last
 *               delivery of the last one; --repeats times, medians.
 * Exactly once: each session must see broadcast seq 0, 1, 2, ... in order, none missing, none
 * twice; checked at every delivery and at the end against the number issued.
 *
 * Progress on stderr; the table, then one JSON object (the last line) on stdout; everything in
 * <out>/broadcast.json. Loopback only; bounded in count and time; every process started is
 * killed on the way out (also on error and SIGINT).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, release } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const APP = 'scripts/apps/bench-app.ts';
const GENERATOR_ENV = 'BENCH_BROADCAST_GENERATOR';
/** Sessions per generator: a quarter of the default 10,000, well under the open-file limit. */
const PER_GENERATOR = 2500;
const WARM_BROADCASTS = 3;
const GAP_MS = 100;
/** Completion counters per broadcast seq, in a ring: far more than the window ever has open. */
const RING = 4096;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nowNs = (): number => {
  const [sec, ns] = process.hrtime();
  return sec * 1e9 + ns;
};
const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);

/** Server frames (RFC 6455 §5.2, unmasked) out of a stream; `rest` carries a split frame. */
function readFrames(rest: Buffer | null, chunk: Buffer, onFrame: (opcode: number, payload: Buffer) => void): Buffer | null {
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
    const opcode = buf[off]! & 0x0f;
    const payload = buf.subarray(off + head, off + head + len);
    off += head + len;
    onFrame(opcode, payload);
  }
  return off === buf.length ? null : buf.subarray(off);
}

function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const ext = n < 126 ? 0 : 2;
  const frame = Buffer.allocUnsafe(2 + ext + 4 + n);
  frame[0] = 0x81;
  frame[1] = 0x80 | (ext === 0 ? n : 126);
  if (ext === 2) frame.writeUInt16BE(n, 2);
  const mask = randomBytes(4);
  mask.copy(frame, 2 + ext);
  for (let i = 0; i < n; i++) frame[6 + ext + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

const upgradeRequest = (): string =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

interface Hello {
  fd: number;
  worker: number;
  node: number;
  pid: number;
}

/**
 * Opens one WebSocket session on a raw socket and resolves with the app's hello; then every
 * server frame goes to `onFrame` (with the arrival time of its chunk).
 */
function openSession(port: number, localAddress: string | undefined, onFrame: (opcode: number, payload: Buffer, atNs: number) => void, timeoutMs = 15_000): Promise<{ socket: Socket; hello: Hello }> {
  return new Promise((resolveSession, reject) => {
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    socket.setNoDelay(true);
    const timer = setTimeout(() => fail(new Error('no hello in time')), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    let hello: Hello | null = null;
    let rest: Buffer | null = null;
    const frames = (chunk: Buffer) => {
      const at = nowNs();
      rest = readFrames(rest, chunk, (opcode, payload) => {
        if (hello === null && opcode === 1) {
          hello = JSON.parse(payload.toString('utf8')) as Hello;
          clearTimeout(timer);
          resolveSession({ socket, hello });
        } else onFrame(opcode, payload, at);
      });
    };
    let head = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      if (!head.subarray(0, 13).toString('latin1').startsWith('HTTP/1.1 101')) return fail(new Error(`refused: ${head.subarray(0, end).toString('latin1').split('\r\n')[0]}`));
      socket.off('data', onHead);
      socket.on('data', frames);
      if (head.length > end + 4) frames(head.subarray(end + 4));
    };
    socket.on('data', onHead);
    socket.on('error', fail);
    socket.write(upgradeRequest());
  });
}

// =============================================================================================
// Generator: holds its share of the sessions, checks order, reports each completed broadcast.

type ToGenerator = { t: 'open'; port: number; sessions: number; addresses: string[]; concurrency: number; spacedLimit: number } | { t: 'final'; total: number };
type FromGenerator =
  | { t: 'opened'; opened: number; failed: number; workers: Uint8Array; pids: number[]; firstError: string | null }
  | { t: 'complete'; seq: number; at: number; stamp: number; lat: Float64Array | null }
  | { t: 'final'; sessions: number; complete: number; errors: number; strays: number; closedEarly: number };

async function generatorMain(): Promise<void> {
  const tell = (m: FromGenerator) => void process.send!(m);
  const sockets: Socket[] = [];
  process.on('disconnect', () => {
    for (const s of sockets) s.destroy();
    process.exit(0);
  });
  const open = await new Promise<Extract<ToGenerator, { t: 'open' }>>((r) => process.once('message', (m: ToGenerator) => m.t === 'open' && r(m)));
  const n = open.sessions;
  const next = new Int32Array(n);
  const ringCount = new Int32Array(RING);
  const latencies = new Map<number, Float64Array>();
  const workers = new Uint8Array(n);
  const pids = new Set<number>();
  let errors = 0;
  let strays = 0;
  let closedEarly = 0;
  let finalSent = false;

  const deliver = (i: number, payload: Buffer, at: number): void => {
    if (payload.length < 16) return void strays++;
    const seq = payload.readUInt32BE(8);
    if (seq !== next[i]) {
      // A broadcast missing (seq ahead) or seen twice (seq behind): never counted as delivered.
      errors++;
      if (seq > next[i]!) next[i] = seq + 1;
      return;
    }
    next[i] = seq + 1;
    const stamp = payload.readUInt32BE(0) * 1e9 + payload.readUInt32BE(4);
    let lat: Float64Array | undefined;
    if (seq < open.spacedLimit) {
      lat = latencies.get(seq);
      if (!lat) latencies.set(seq, (lat = new Float64Array(n)));
      lat[i] = (at - stamp) / 1e6;
    }
    const slot = seq % RING;
    if (++ringCount[slot]! === n) {
      // Every session has it (and, each seeing them in order, every earlier one).
      ringCount[slot] = 0;
      latencies.delete(seq);
      tell({ t: 'complete', seq, at, stamp, lat: lat ?? null });
    }
  };

  let started = 0;
  let opened = 0;
  let failed = 0;
  let firstError: string | null = null;
  const lane = async (): Promise<void> => {
    while (started < n) {
      const i = started++;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const address = open.addresses[i % open.addresses.length];
          const { socket, hello } = await openSession(open.port, address, (opcode, payload, at) => {
            if (opcode === 2) deliver(i, payload, at);
          });
          socket.on('close', () => {
            if (!finalSent) closedEarly++;
          });
          socket.on('error', () => {});
          sockets.push(socket);
          workers[i] = hello.worker;
          pids.add(hello.pid);
          opened++;
          break;
        } catch (err) {
          firstError ??= (err as Error).message;
          if (attempt === 2) failed++;
          else await sleep(50 * (attempt + 1));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(open.concurrency, n) }, lane));
  tell({ t: 'opened', opened, failed, workers, pids: [...pids], firstError });

  process.on('message', (m: ToGenerator) => {
    if (m.t !== 'final') return;
    let complete = 0;
    for (let i = 0; i < n; i++) if (next[i] === m.total) complete++;
    finalSent = true;
    tell({ t: 'final', sessions: n, complete, errors, strays, closedEarly });
  });
}

// =============================================================================================
// Main: the node, the driver, the generators, the measurements.

interface Settings {
  sessions: number;
  workers: number;
  broadcasts: number;
  size: number;
  sustainSeconds: number;
  repeats: number;
  window: number;
  generators: number;
  quick: boolean;
  out: string;
}

function settingsFrom(argv: string[]): Settings {
  const problems: string[] = [];
  const options = {
    sessions: { type: 'string' },
    workers: { type: 'string' },
    broadcasts: { type: 'string' },
    size: { type: 'string' },
    'sustain-seconds': { type: 'string' },
    repeats: { type: 'string' },
    window: { type: 'string' },
    quick: { type: 'boolean' },
    out: { type: 'string' },
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
    const x = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(x) || x < min || x > max || (integer && !Number.isInteger(x))) problems.push(`--${key} ${String(raw)}: expected ${integer ? 'an integer' : 'a number'} ${min}..${max}`);
    return x;
  };
  const sessions = num('sessions', quick ? 200 : 10_000, 1, 60_000);
  const s: Settings = {
    sessions,
    workers: num('workers', 2, 1, 16),
    broadcasts: num('broadcasts', quick ? 5 : 20, 1, 1000),
    size: num('size', 64, 16, 65536),
    sustainSeconds: num('sustain-seconds', quick ? 1 : 3, 0.2, 60, false),
    repeats: num('repeats', quick ? 1 : 3, 1, 15),
    window: num('window', 16, 1, 1024),
    generators: Math.max(2, Math.ceil(sessions / PER_GENERATOR)),
    quick,
    out: resolve(typeof v.out === 'string' ? v.out : join(ROOT, 'bench')),
  };
  if (problems.length > 0) {
    process.stderr.write(`bench-broadcast: ${problems.join('; ')}\n`);
    process.exit(2);
  }
  return s;
}

// ---- processes: the node in its own group, generators as forked children ------------------

const groups = new Set<number>();
const children = new Set<ChildProcess>();
let aborting = false;

function killAll(signal: NodeJS.Signals): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      groups.delete(pgid);
    }
  }
}

process.once('exit', () => killAll('SIGKILL'));
function abort(why: string, code: number): void {
  if (aborting) return;
  aborting = true;
  process.exitCode = code;
  process.stderr.write(`\nbench-broadcast: ${why}; stopping every process started\n`);
  killAll('SIGTERM');
  setTimeout(() => killAll('SIGKILL'), 1500).unref();
  setTimeout(() => process.exit(code), 3000).unref();
}

async function startNode(s: Settings, timeoutMs = 30_000): Promise<{ port: number; child: ChildProcess }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_') && k !== 'REDIS_URL'));
  const args = ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--workers', String(s.workers), '--dispatch-mode', '1', '--app', APP, '--log-level', 'warn'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) groups.add(child.pid);
  const lines: string[] = [];
  const port = await new Promise<number>((resolvePort, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`node: ${why}\n${lines.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`no "bench-app-listening" line within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null) => fail(`exited (code ${code}) before listening`);
    child.once('exit', onExit);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        lines.push(line);
        if (lines.length > 30) lines.shift();
        if (!line.includes('"bench-app-listening"')) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolvePort((JSON.parse(line) as { port: number }).port);
      });
    }
  });
  return { port, child };
}

async function stopNode(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  await sleep(200);
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // none left
  }
  groups.delete(child.pid!);
}

class Generator {
  readonly child: ChildProcess;
  opened: Extract<FromGenerator, { t: 'opened' }> | null = null;
  final: Extract<FromGenerator, { t: 'final' }> | null = null;
  onComplete: ((m: Extract<FromGenerator, { t: 'complete' }>) => void) | null = null;

  constructor(readonly index: number) {
    this.child = fork(fileURLToPath(import.meta.url), [], {
      cwd: ROOT,
      env: { ...process.env, [GENERATOR_ENV]: '1' },
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(this.child);
    this.child.once('exit', () => children.delete(this.child));
    this.child.on('message', (m: FromGenerator) => {
      if (m.t === 'opened') this.opened = m;
      else if (m.t === 'final') this.final = m;
      else this.onComplete?.(m);
    });
  }

  send(m: ToGenerator): void {
    this.child.send(m);
  }
}

/** Polls `ready` every 5 ms until it holds, or throws after `ms`. */
async function until(ready: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (aborting) throw new Error('aborting');
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

// ---- CPU time per process (Linux /proc; USER_HZ = 100) ---------------------------------------

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Busy and total ticks of all cores together (/proc/stat's first line; zeros elsewhere). */
function machineTicks(): [number, number] {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return [total - (f[3] ?? 0) - (f[4] ?? 0), total];
  } catch {
    return [0, 0];
  }
}

/** Busy % of the whole machine over `ms`: load from others skews every figure. */
async function machineBusy(ms: number): Promise<number | null> {
  const a = machineTicks();
  await sleep(ms);
  const b = machineTicks();
  return b[1] > a[1] ? Math.round(((b[0] - a[0]) / (b[1] - a[1])) * 100) : null;
}

/** % of one core used by each group of processes from now until the returned function is
 * called; `machine`: % of all cores busy, whoever used them. */
function cpuSampler(groupsOfPids: Record<string, number[]>): () => Record<string, number> {
  const t0 = performance.now();
  const m0 = machineTicks();
  const start = Object.fromEntries(Object.entries(groupsOfPids).map(([k, pids]) => [k, pids.reduce((a, p) => a + processTicks(p), 0)]));
  return () => {
    const s = Math.max(1e-3, (performance.now() - t0) / 1000);
    const m1 = machineTicks();
    const used = Object.fromEntries(Object.entries(groupsOfPids).map(([k, pids]) => [k, Math.round((pids.reduce((a, p) => a + processTicks(p), 0) - start[k]!) / s)]));
    return { ...used, machine: m1[1] > m0[1] ? Math.round(((m1[0] - m0[0]) / (m1[1] - m0[1])) * 100) : -1 };
  };
}

// ---- measurements ---------------------------------------------------------------------------

interface FanOut {
  seq: number;
  firstMs: number;
  lastMs: number;
  p50Ms: number;
  p99Ms: number;
  /** By where the session lives: on the broadcaster's worker, or on another (over the bus). */
  local: { firstMs: number; lastMs: number; p50Ms: number };
  remote: { firstMs: number; lastMs: number; p50Ms: number } | null;
}

interface Sustained {
  repeat: number;
  broadcasts: number;
  seconds: number;
  broadcastsPerSecond: number;
  deliveriesPerSecond: number;
  cpuPercent: Record<string, number>;
}

function pct(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(xs: number[]): number | null {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

interface Rig {
  driver: { socket: Socket; hello: Hello };
  gens: Generator[];
  /** Worker of each session, generator by generator (session index order). */
  workersOf: Uint8Array[];
  size: number;
  nextSeq: number;
  failedBroadcasts: number;
}

function broadcast(rig: Rig, count: number): number {
  const seq = rig.nextSeq;
  rig.driver.socket.write(maskedText(JSON.stringify({ cmd: 'broadcast', seq, count, size: rig.size })));
  rig.nextSeq += count;
  return seq;
}

/** One broadcast, measured: waits until every generator reports it complete. */
async function fanOut(rig: Rig): Promise<FanOut> {
  const seq = rig.nextSeq;
  const reports: Array<Extract<FromGenerator, { t: 'complete' }> | undefined> = rig.gens.map(() => undefined);
  rig.gens.forEach((g, gi) => {
    g.onComplete = (m) => {
      if (m.seq === seq) reports[gi] = m;
    };
  });
  broadcast(rig, 1);
  await until(() => reports.every((r) => r !== undefined), 20_000, `broadcast ${seq} to reach every session`);
  for (const g of rig.gens) g.onComplete = null;
  const here = rig.driver.hello.worker;
  const stamp = reports[0]!.stamp;
  const all: number[] = [];
  const local: number[] = [];
  const remote: number[] = [];
  reports.forEach((r, gi) => {
    const workers = rig.workersOf[gi]!;
    const lat = r!.lat!;
    for (let i = 0; i < lat.length; i++) {
      all.push(lat[i]!);
      (workers[i] === here ? local : remote).push(lat[i]!);
    }
  });
  const summary = (xs: number[]) => {
    const sorted = Float64Array.from(xs).sort();
    return { firstMs: round(sorted[0] ?? NaN), lastMs: round(sorted[sorted.length - 1] ?? NaN), p50Ms: round(pct(sorted, 0.5)), p99Ms: round(pct(sorted, 0.99)) };
  };
  const a = summary(all);
  const l = summary(local);
  const rm = remote.length > 0 ? summary(remote) : null;
  // The last delivery as the generators saw it (same clock as the stamp).
  const lastAt = Math.max(...reports.map((r) => r!.at));
  return {
    seq,
    firstMs: a.firstMs,
    lastMs: round((lastAt - stamp) / 1e6),
    p50Ms: a.p50Ms,
    p99Ms: a.p99Ms,
    local: { firstMs: l.firstMs, lastMs: l.lastMs, p50Ms: l.p50Ms },
    remote: rm === null ? null : { firstMs: rm.firstMs, lastMs: rm.lastMs, p50Ms: rm.p50Ms },
  };
}

/**
 * Broadcasts for `seconds`, keeping at most `window` not yet delivered everywhere; then waits
 * for the last one. The rate is from the first broadcast() call to the last delivery.
 */
async function sustain(rig: Rig, seconds: number, window: number, repeat: number, cpu: Record<string, number[]>): Promise<Sustained> {
  const first = rig.nextSeq;
  let firstStamp = NaN;
  let lastAt = 0;
  const seen = rig.gens.map(() => first);
  rig.gens.forEach((g, gi) => {
    g.onComplete = (m) => {
      if (m.seq === first && gi === 0) firstStamp = m.stamp;
      seen[gi] = m.seq + 1;
      lastAt = Math.max(lastAt, m.at);
    };
  });
  const completed = () => Math.min(...seen);
  const sample = cpuSampler(cpu);
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end && !aborting) {
    const open = rig.nextSeq - completed();
    if (open < window) broadcast(rig, window - open);
    await sleep(1);
  }
  const issued = rig.nextSeq;
  await until(() => completed() >= issued, 30_000, `the last sustained broadcast (${issued - 1}) to reach every session`);
  const cpuPercent = sample();
  for (const g of rig.gens) g.onComplete = null;
  const n = issued - first;
  const secs = (lastAt - firstStamp) / 1e9;
  const sessions = rig.workersOf.reduce((a, w) => a + w.length, 0);
  return { repeat, broadcasts: n, seconds: round(secs, 4), broadcastsPerSecond: Math.round(n / secs), deliveriesPerSecond: Math.round((n * sessions) / secs), cpuPercent };
}

// ---- output ---------------------------------------------------------------------------------

function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const fmtMs = (n: number | null) => (n === null || !Number.isFinite(n) ? 'n/a' : n.toFixed(n < 10 ? 2 : 1));
const fmtRate = (n: number | null) => (n === null ? 'n/a' : n >= 10_000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)} k` : String(Math.round(n)));

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<number> {
  const startedAt = performance.now();
  const s = settingsFrom(process.argv.slice(2));
  const progress = (msg: string) => process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
  const ceilingMs = (120 + s.sessions / 200 + s.broadcasts * 2 + s.repeats * (s.sustainSeconds + 40)) * 1000;
  setTimeout(() => abort(`still running after ${ceilingMs / 1000} s`, 1), ceilingMs).unref();
  const backgroundBusy = await machineBusy(1000);
  if (backgroundBusy !== null && backgroundBusy > 15) progress(`WARNING: the machine is ${backgroundBusy}% busy before we start: figures will be low and noisy`);

  progress(`starting a node with ${s.workers} workers (round-robin dispatch)`);
  const node = await startNode(s);
  const rig: Rig = { driver: { socket: null as unknown as Socket, hello: null as unknown as Hello }, gens: [], workersOf: [], size: s.size, nextSeq: 0, failedBroadcasts: 0 };
  const fanOuts: FanOut[] = [];
  const sustained: Sustained[] = [];
  const errors: string[] = [];
  let check: { sessions: number; complete: number; errors: number; strays: number; closedEarly: number; issued: number } | null = null;
  let spread: number[] = [];
  try {
    let driver: { socket: Socket; hello: Hello } | null = null;
    for (let i = 0; i < 2 * s.workers && driver?.hello.worker !== 0; i++) {
      driver?.socket.destroy();
      driver = await openSession(node.port, undefined, (opcode, payload) => {
        if (opcode !== 1) return;
        const m = JSON.parse(payload.toString('utf8')) as { type?: string; failed?: number };
        if (m.type === 'broadcast-done' && m.failed) rig.failedBroadcasts += m.failed;
      });
    }
    if (driver?.hello.worker !== 0) throw new Error('could not place the driver on worker 0');
    rig.driver = driver;

    // Generators: their share of the sessions, each on its own two source addresses.
    const base = Math.floor(s.sessions / s.generators);
    progress(`opening ${s.sessions} sessions from ${s.generators} generator processes`);
    for (let g = 0; g < s.generators; g++) rig.gens.push(new Generator(g));
    rig.gens.forEach((g, gi) =>
      g.send({ t: 'open', port: node.port, sessions: base + (gi < s.sessions % s.generators ? 1 : 0), addresses: [`127.0.0.${2 + 2 * gi}`, `127.0.0.${3 + 2 * gi}`], concurrency: 50, spacedLimit: WARM_BROADCASTS + s.broadcasts }),
    );
    await until(() => rig.gens.every((g) => g.opened !== null), 60_000 + s.sessions * 10, 'the generators to open their sessions');
    const failed = rig.gens.reduce((a, g) => a + g.opened!.failed, 0);
    if (failed > 0) throw new Error(`${failed} session(s) could not be opened: ${rig.gens.find((g) => g.opened!.firstError)?.opened!.firstError}`);
    rig.workersOf = rig.gens.map((g) => g.opened!.workers);
    spread = Array.from({ length: s.workers }, (_, w) => rig.workersOf.reduce((a, ws) => a + ws.filter((x) => x === w).length, 0));
    const workerPids = [...new Set(rig.gens.flatMap((g) => g.opened!.pids))];
    progress(`sessions per worker: ${spread.join(' / ')}`);

    progress(`${WARM_BROADCASTS} warm-up broadcasts, then ${s.broadcasts} measured, ${GAP_MS} ms apart`);
    for (let k = 0; k < WARM_BROADCASTS + s.broadcasts; k++) {
      const f = await fanOut(rig);
      if (k >= WARM_BROADCASTS) fanOuts.push(f);
      await sleep(GAP_MS);
    }
    const lastMedian = median(fanOuts.map((f) => f.lastMs));
    progress(`fan-out: last delivery after ${fmtMs(lastMedian)} ms (median of ${fanOuts.length}), p50 ${fmtMs(median(fanOuts.map((f) => f.p50Ms)))} ms`);

    const cpu = { master: [node.child.pid!], workers: workerPids, generators: rig.gens.map((g) => g.child.pid!) };
    for (let r = 0; r < s.repeats; r++) {
      const x = await sustain(rig, s.sustainSeconds, s.window, r, cpu);
      sustained.push(x);
      progress(`sustained #${r + 1}: ${x.broadcasts} broadcasts in ${x.seconds} s: ${x.broadcastsPerSecond} broadcasts/s, ${fmtRate(x.deliveriesPerSecond)} deliveries/s (cpu % workers ${x.cpuPercent.workers}, generators ${x.cpuPercent.generators}, machine ${x.cpuPercent.machine}% busy)`);
      await sleep(200);
    }

    // Exactly once, at the end: every session saw seq 0 .. issued-1, in order, nothing else.
    const issued = rig.nextSeq;
    for (const g of rig.gens) g.send({ t: 'final', total: issued });
    await until(() => rig.gens.every((g) => g.final !== null), 10_000, 'the generators\' final check');
    const finals = rig.gens.map((g) => g.final!);
    check = {
      sessions: finals.reduce((a, f) => a + f.sessions, 0),
      complete: finals.reduce((a, f) => a + f.complete, 0),
      errors: finals.reduce((a, f) => a + f.errors, 0),
      strays: finals.reduce((a, f) => a + f.strays, 0),
      closedEarly: finals.reduce((a, f) => a + f.closedEarly, 0),
      issued,
    };
    if (check.complete !== check.sessions || check.errors > 0 || check.strays > 0) {
      errors.push(`exactly-once check failed: ${check.complete}/${check.sessions} sessions got all ${issued} broadcasts; ${check.errors} out of order/duplicate, ${check.strays} stray`);
    }
    if (check.closedEarly > 0) errors.push(`${check.closedEarly} session(s) closed during the run`);
    if (rig.failedBroadcasts > 0) errors.push(`${rig.failedBroadcasts} broadcast() call(s) returned false`);
  } catch (err) {
    errors.push((err as Error).message);
  } finally {
    progress('stopping the generators and the node');
    rig.driver.socket?.destroy();
    await Promise.all(
      rig.gens.map((g) => {
        if (g.child.exitCode !== null || g.child.signalCode !== null) return undefined;
        const exited = new Promise<void>((r) => g.child.once('exit', () => r()));
        g.child.disconnect();
        const timer = setTimeout(() => g.child.kill('SIGKILL'), 5000);
        return exited.then(() => clearTimeout(timer));
      }),
    );
    await stopNode(node.child);
  }

  // ---- summary
  const medians = {
    fanOut: {
      lastDeliveryMs: median(fanOuts.map((f) => f.lastMs)),
      firstDeliveryMs: median(fanOuts.map((f) => f.firstMs)),
      p50Ms: median(fanOuts.map((f) => f.p50Ms)),
      p99Ms: median(fanOuts.map((f) => f.p99Ms)),
      localFirstMs: median(fanOuts.map((f) => f.local.firstMs)),
      localLastMs: median(fanOuts.map((f) => f.local.lastMs)),
      localP50Ms: median(fanOuts.map((f) => f.local.p50Ms)),
      remoteFirstMs: median(fanOuts.flatMap((f) => (f.remote ? [f.remote.firstMs] : []))),
      remoteLastMs: median(fanOuts.flatMap((f) => (f.remote ? [f.remote.lastMs] : []))),
      remoteP50Ms: median(fanOuts.flatMap((f) => (f.remote ? [f.remote.p50Ms] : []))),
      minLastMs: fanOuts.length ? Math.min(...fanOuts.map((f) => f.lastMs)) : null,
      maxLastMs: fanOuts.length ? Math.max(...fanOuts.map((f) => f.lastMs)) : null,
    },
    sustained: {
      broadcastsPerSecond: median(sustained.map((x) => x.broadcastsPerSecond)),
      deliveriesPerSecond: median(sustained.map((x) => x.deliveriesPerSecond)),
    },
  };
  const exactlyOnce = check !== null && errors.length === 0;
  const durationSeconds = round((performance.now() - startedAt) / 1000, 1);
  const settings = { sessions: s.sessions, workers: s.workers, generators: s.generators, broadcasts: s.broadcasts, warmBroadcasts: WARM_BROADCASTS, gapMs: GAP_MS, size: s.size, sustainSeconds: s.sustainSeconds, repeats: s.repeats, window: s.window, quick: s.quick };
  const how =
    `${s.sessions} sessions over ${s.workers} workers (${spread.join(' / ')}), held by ${s.generators} generator processes; ${s.size}-byte binary broadcasts from worker 0. ` +
    `Fan-out: ${fanOuts.length} broadcasts one at a time, broadcast() call to each delivery; medians over the broadcasts. ` +
    `Sustained: broadcasts in a loop for ${s.sustainSeconds} s with at most ${s.window} not yet everywhere, first call to last delivery; medians of ${sustained.length}.`;
  const f = medians.fanOut;
  const rows = [
    ['fan-out of one broadcast', 'last delivery ms', 'p50 ms', 'p99 ms', 'first delivery ms'],
    [`all ${s.sessions} sessions`, fmtMs(f.lastDeliveryMs), fmtMs(f.p50Ms), fmtMs(f.p99Ms), fmtMs(f.firstDeliveryMs)],
    [`  on the broadcaster's worker (${spread[0] ?? 0})`, fmtMs(f.localLastMs), fmtMs(f.localP50Ms), '', fmtMs(f.localFirstMs)],
    [`  on the other worker(s), embedded bus (${s.sessions - (spread[0] ?? 0)})`, fmtMs(f.remoteLastMs), fmtMs(f.remoteP50Ms), '', fmtMs(f.remoteFirstMs)],
  ];
  const srows = [
    ['sustained', 'broadcasts/s', 'deliveries/s', 'CPU % workers/generators/master', 'machine busy %'],
    ...sustained.map((x) => [`run ${x.repeat + 1} (${x.broadcasts} broadcasts)`, String(x.broadcastsPerSecond), fmtRate(x.deliveriesPerSecond), `${x.cpuPercent.workers}/${x.cpuPercent.generators}/${x.cpuPercent.master}`, String(x.cpuPercent.machine)]),
    ['median', fmtRate(medians.sustained.broadcastsPerSecond), fmtRate(medians.sustained.deliveriesPerSecond), '', ''],
  ];

  mkdirSync(s.out, { recursive: true });
  const jsonPath = join(s.out, 'broadcast.json');
  const machine = { cpuModel: cpus()[0]?.model.trim() ?? 'unknown', cpus: cpus().length, node: process.version, os: `${process.platform} ${release()}`, date: new Date().toISOString(), backgroundBusyPercentBeforeRun: backgroundBusy };
  writeFileSync(jsonPath, `${JSON.stringify({ machine, settings, how, sessionsPerWorker: spread, medians, exactlyOnce, check, errors, durationSeconds, fanOuts, sustained }, null, 2)}\n`);
  const out = process.stdout;
  out.write(`\n${how}\n\n${textTable(rows)}\n\n${textTable(srows)}\n\n`);
  if (backgroundBusy !== null && backgroundBusy > 15) out.write(`WARNING: the machine was ${backgroundBusy}% busy before the run (other processes): figures are low and noisy\n`);
  out.write(`exactly once: ${exactlyOnce ? `yes (${check!.sessions} sessions × ${check!.issued} broadcasts)` : 'NO'}\n`);
  if (errors.length) out.write(`errors:\n${errors.map((e) => `  ${e.split('\n')[0]}`).join('\n')}\n`);
  out.write(`wrote ${relative(process.cwd(), jsonPath) || jsonPath} in ${durationSeconds} s\n`);
  const last = { event: 'bench-broadcast', ok: errors.length === 0, backgroundBusyPercentBeforeRun: backgroundBusy, settings, sessionsPerWorker: spread, medians, exactlyOnce, errors: errors.map((e) => e.split('\n')[0]), durationSeconds, files: { json: jsonPath } };
  out.write(`${JSON.stringify(last)}\n`);
  return errors.length === 0 ? 0 : 1;
}

if (process.env[GENERATOR_ENV] === '1') {
  await generatorMain();
} else {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => abort(`got ${signal}`, 130));
  process.on('uncaughtException', (err) => abort(`internal error: ${err.stack ?? err.message}`, 1));
  process.on('unhandledRejection', (err) => abort(`internal error: ${String(err)}`, 1));
  const code = await main().catch((err: Error) => {
    process.stderr.write(`bench-broadcast: failed: ${err.stack ?? err.message}\n`);
    return 1;
  });
  if (!aborting) process.stdout.write('', () => process.exit(code));
}
