/**
 * Broadcast fan-out: N sessions spread over every worker; the time from one `broadcast()` to
 * its last delivery, and sustained broadcasts/s.
 *   npm run load:broadcast -- [--sessions 10000] [--workers 2] [--duration 3] [--repeats 3]
 *                             [--broadcasts 20] [--size 64] [--window 16] [--pin] [--quick]
 *                             [--out bench] [--cpu-prof DIR] [--port P [--host 127.0.0.1]]
 *
 * The cluster runs scripts/apps/bench-app.ts with round-robin dispatch, so the sessions split
 * evenly over the workers. With --port, the cluster there must run bench-app too (the script
 * checks its hello and says so): `npm start -- --app scripts/apps/bench-app.ts --dispatch-mode 1`.
 * Generator processes (scripts/generators/broadcast-sessions.ts, at most 2,500 sessions each,
 * each on its own two 127.0.0.x source addresses) hold the sessions and check every delivery.
 * A driver connection asks the app for broadcasts; every session but the driver gets each one.
 *   fan-out     --broadcasts broadcasts one at a time (after 3 unmeasured ones), each once the
 *               previous reached every session, 100 ms apart: from a server-side stamp taken
 *               just before broadcast() (CLOCK_MONOTONIC, shared by every process) to the LAST
 *               delivery, p50/p99 over the deliveries; split by the sessions on the
 *               broadcaster's worker and those on other workers (embedded bus); and the time
 *               the broadcaster's worker took to write its own share.
 *   sustained   broadcasts in a loop for --duration seconds, at most --window not yet delivered
 *               everywhere: broadcasts/s and deliveries/s from the first broadcast() to the last
 *               delivery of the last one; --repeats times, medians.
 * Exactly once: each session must see broadcast seq 0, 1, 2, ... in order, none missing, none
 * twice; checked at every delivery and at the end against the number issued.
 * --pin: the server on core 0, the generators and this process on core 1 (taskset).
 * --cpu-prof DIR: the server's processes write V8 CPU profiles there (at their exit).
 *
 * Progress on stderr; the table, then one JSON object (the last line) on stdout; everything in
 * <out>/broadcast.json (only when the run succeeded: a failed one leaves the last results).
 * Loopback only; bounded in count and time; every process started is ended on the way out
 * (also on error and SIGINT). Exit 0, 1 when the run failed (errors), 2 for bad flags.
 *
 * The JSON line: event "load-broadcast", ok, machine {cpus, node, commit, pinning}, settings,
 * sessionsPerWorker [n per worker], medians.fanOut {lastDeliveryMs, firstDeliveryMs, p50Ms,
 * p99Ms, localFirstMs, localLastMs, localP50Ms, remoteFirstMs, remoteLastMs, remoteP50Ms,
 * serverWriteMs, minLastMs, maxLastMs}, medians.sustained {broadcastsPerSecond,
 * deliveriesPerSecond}, target {sessions, lastDeliveryMs, applicable, met}, exactlyOnce,
 * check {sessions, complete, errors, strays, closedEarly, issued}, warnings, errors,
 * durationSeconds, files {json}. The file adds how, every fan-out and every sustained run.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Socket } from 'node:net';
import { join, relative, resolve } from 'node:path';
import type { FromGenerator, ToGenerator } from './generators/broadcast-sessions.ts';
import { cpuSampler, machineBusy, onCore, pinningProblem, pinSelf } from './lib/cpu.ts';
import { maskedText, ServerFrameReader } from './lib/frames.ts';
import { raiseOpenFiles } from './lib/limits.ts';
import { ArgReader } from './lib/options.ts';
import { isAborting, launch, ROOT, sleep, superviseScript, until } from './lib/processes.ts';
import { finish, fmtMs, fmtRate, machineInfo, median, progressLog, quantile, round, textTable } from './lib/report.ts';
import { targetFor, type Target } from './lib/switchyard.ts';
import { openWebSocket } from './lib/upgrade.ts';

const NAME = 'load-broadcast';
const APP = 'scripts/apps/bench-app.ts';
const GENERATOR = 'scripts/generators/broadcast-sessions.ts';
/** Sessions per generator: a quarter of the default 10,000, far under the open-file limit. */
const PER_GENERATOR = 2500;
const WARM_BROADCASTS = 3;
const GAP_MS = 100;
/** The issue's target: a broadcast to 10,000 sessions across workers, delivered in under 50 ms. */
const TARGET = { sessions: 10_000, lastDeliveryMs: 50 };

const USAGE = `usage: npm run load:broadcast -- [options]
  --sessions N      sessions held by the generators (default 10000; --quick 200)
  --workers N       workers of the cluster started here (default 2)
  --duration S      seconds of each sustained run (default 3; --quick 1)
  --repeats N       sustained runs, figures are medians (default 3; --quick 1)
  --broadcasts N    fan-out broadcasts measured one at a time (default 20; --quick 5)
  --size BYTES      broadcast payload, at least bench-app's 16-byte header (default 64)
  --window N        sustained: broadcasts not yet delivered everywhere, at most (default 16)
  --pin             server on core 0, generators and this script on core 1
  --quick           a short smoke run (the test suite's)
  --out DIR         where broadcast.json goes (default bench/; --quick: a temporary directory)
  --cpu-prof DIR    V8 CPU profiles of the server's processes, written when they exit
  --port P          a running cluster (it must run ${APP}); --host its loopback address`;

// ---- settings -------------------------------------------------------------------------------

const argv = new ArgReader(NAME, USAGE, {
  sessions: { type: 'string' },
  repeats: { type: 'string' },
  broadcasts: { type: 'string' },
  size: { type: 'string' },
  window: { type: 'string' },
  out: { type: 'string' },
  'cpu-prof': { type: 'string' },
  'reader-nap-ms': { type: 'string' },
});
const common = argv.common({ duration: 3, quickDuration: 1, maxDuration: 60 });
const quick = common.quick;
const sessions = argv.number('sessions', quick ? 200 : 10_000, 1, 60_000);
const settings = {
  sessions,
  workers: common.workers,
  generators: Math.max(2, Math.ceil(sessions / PER_GENERATOR)),
  broadcasts: argv.number('broadcasts', quick ? 5 : 20, 1, 1000),
  warmBroadcasts: WARM_BROADCASTS,
  gapMs: GAP_MS,
  size: argv.number('size', 64, 16, 65536),
  durationSeconds: common.duration,
  repeats: argv.number('repeats', quick ? 1 : 3, 1, 15),
  window: argv.number('window', 16, 1, 1024),
  readerNapMs: argv.number('reader-nap-ms', 0.5, 0, 5, true),
  quick,
  pin: common.pin,
  attached: common.port !== null,
};
// A --quick smoke run never overwrites the committed figures: it writes to a temporary directory unless --out says where.
const outDir = resolve(argv.string('out', quick ? mkdtempSync(join(tmpdir(), 'sy-broadcast-')) : join(ROOT, 'bench')));
const cpuProf = argv.values['cpu-prof'] === undefined ? null : resolve(argv.string('cpu-prof', ''));
if (cpuProf !== null && common.port !== null) argv.problems.push('--cpu-prof profiles a cluster started here: not with --port');
argv.done();

const ceilingSeconds = Math.ceil(120 + sessions / 200 + settings.broadcasts * 2 + settings.repeats * (settings.durationSeconds + 40));
superviseScript(NAME, ceilingSeconds);
const progress = progressLog();

// ---- the driver: asks bench-app for broadcasts ----------------------------------------------

interface Hello {
  fd: number;
  worker: number;
  node: number;
  pid: number;
}

interface Driver {
  socket: Socket;
  hello: Hello;
  /** broadcast() calls that returned false, as bench-app reports them. */
  failed: number;
  /** writeMs of each broadcast-done, by its first seq. */
  writeMs: Map<number, number>;
}

const notBenchApp = (port: number, why: string): Error =>
  new Error(`${why}: the cluster on port ${port} does not run ${APP} (start it with \`npm start -- --app ${APP} --dispatch-mode 1\`), or drop --port`);

/** Opens the driver's session and checks bench-app's hello. */
async function openDriver(target: Target, timeoutMs = 10_000): Promise<Driver> {
  const opened = await openWebSocket({ host: target.host, port: target.port, deadlineMs: timeoutMs });
  if (!opened.ok) {
    if (opened.failure.startsWith('HTTP ')) throw notBenchApp(target.port, `upgrade refused (${opened.failure})`);
    throw opened.failure === 'timeout' ? notBenchApp(target.port, `no hello within ${timeoutMs} ms`) : new Error(`driver: ${opened.failure}`);
  }
  const { socket } = opened;
  return new Promise((resolveDriver, reject) => {
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(notBenchApp(target.port, `no hello within ${timeoutMs} ms`)), timeoutMs);
    let driver: Driver | null = null;
    const reader = new ServerFrameReader();
    const onFrame = (opcode: number, payload: Buffer) => {
      if (opcode !== 1) return;
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
      } catch {
        return void (driver === null && fail(notBenchApp(target.port, `unexpected first message ${JSON.stringify(payload.toString('utf8').slice(0, 60))}`)));
      }
      if (driver === null) {
        if (typeof m.fd !== 'number' || typeof m.worker !== 'number' || typeof m.pid !== 'number') {
          return fail(notBenchApp(target.port, `unexpected hello ${JSON.stringify(m).slice(0, 80)}`));
        }
        clearTimeout(timer);
        driver = { socket, hello: { fd: m.fd, worker: m.worker, node: Number(m.node ?? 0), pid: m.pid }, failed: 0, writeMs: new Map() };
        return resolveDriver(driver);
      }
      if (m.type === 'broadcast-done') {
        if (typeof m.failed === 'number') driver.failed += m.failed;
        if (typeof m.seq === 'number' && typeof m.writeMs === 'number') driver.writeMs.set(m.seq, m.writeMs);
      }
    };
    socket.on('data', (chunk: Buffer) => reader.read(chunk, onFrame));
    socket.on('error', (err) => fail(new Error(`driver: ${err.message}`)));
    if (opened.rest.length > 0) reader.read(opened.rest, onFrame);
  });
}

// ---- generators -----------------------------------------------------------------------------

class Generator {
  readonly child: ChildProcess;
  opened: Extract<FromGenerator, { t: 'opened' }> | null = null;
  latencies: Extract<FromGenerator, { t: 'latencies' }> | null = null;
  final: Extract<FromGenerator, { t: 'final' }> | null = null;
  openedSoFar = 0;
  onComplete: ((m: Extract<FromGenerator, { t: 'complete' }>) => void) | null = null;

  constructor(core: number | null) {
    const [command, args] = onCore(core, ['--import', 'tsx', GENERATOR]);
    this.child = launch(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: FromGenerator) => {
      if (m.t === 'complete') this.onComplete?.(m);
      else if (m.t === 'progress') this.openedSoFar = m.opened;
      else if (m.t === 'opened') this.opened = m;
      else if (m.t === 'latencies') this.latencies = m;
      else this.final = m;
    });
  }

  send(m: ToGenerator): void {
    if (this.child.connected) this.child.send(m);
  }

  /** Disconnects (the generator closes its sessions and exits); SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    if (this.child.connected) this.child.disconnect();
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

// ---- measurements ---------------------------------------------------------------------------

interface Spread {
  firstMs: number;
  lastMs: number;
  p50Ms: number;
  p99Ms: number;
}

interface FanOut extends Spread {
  seq: number;
  /** Sessions on the broadcaster's worker, and on the others (over the embedded bus). */
  local: Spread;
  remote: Spread | null;
  /** The broadcaster's worker: stamp to its own share written (bench-app's writeMs). */
  serverWriteMs: number | null;
}

interface Sustained {
  repeat: number;
  broadcasts: number;
  seconds: number;
  broadcastsPerSecond: number;
  deliveriesPerSecond: number;
  cpuPercent: Record<string, number>;
}

interface Rig {
  target: Target;
  driver: Driver;
  gens: Generator[];
  /** Worker of each session, generator by generator (session index order). */
  workersOf: number[][];
  nextSeq: number;
}

function requestBroadcasts(rig: Rig, count: number): number {
  const seq = rig.nextSeq;
  rig.driver.socket.write(maskedText(JSON.stringify({ cmd: 'broadcast', seq, count, size: settings.size })));
  rig.nextSeq += count;
  return seq;
}

/** One broadcast, issued once the previous one reached everyone; waits until it reaches everyone too. */
async function oneBroadcast(rig: Rig): Promise<number> {
  const seq = rig.nextSeq;
  let pending = rig.gens.length;
  for (const g of rig.gens) g.onComplete = (m) => void (m.seq === seq && pending--);
  requestBroadcasts(rig, 1);
  await until(() => pending === 0, 20_000, `broadcast ${seq} to reach every session`);
  for (const g of rig.gens) g.onComplete = null;
  return seq;
}

function spreadOf(xs: number[]): Spread {
  const sorted = Float64Array.from(xs).sort();
  return { firstMs: round(sorted[0] ?? NaN), lastMs: round(sorted[sorted.length - 1] ?? NaN), p50Ms: round(quantile(sorted, 0.5)), p99Ms: round(quantile(sorted, 0.99)) };
}

/** Per-broadcast figures from every session's one-way latency (collected after the fan-out phase). */
function fanOutsFrom(rig: Rig, seqs: number[]): FanOut[] {
  const here = rig.driver.hello.worker;
  return seqs.map((seq) => {
    const all: number[] = [];
    const local: number[] = [];
    const remote: number[] = [];
    rig.gens.forEach((g, gi) => {
      const ms = g.latencies!.ms[seq]!;
      const workers = rig.workersOf[gi]!;
      for (let i = 0; i < ms.length; i++) {
        all.push(ms[i]!);
        (workers[i] === here ? local : remote).push(ms[i]!);
      }
    });
    return { seq, ...spreadOf(all), local: spreadOf(local), remote: remote.length > 0 ? spreadOf(remote) : null, serverWriteMs: rig.driver.writeMs.get(seq) ?? null };
  });
}

/**
 * Broadcasts for `seconds`, keeping at most `window` not yet delivered everywhere; then waits
 * for the last one. The rate is from the first broadcast()'s stamp to the last delivery.
 */
async function sustain(rig: Rig, repeat: number, cpu: Record<string, number[]>): Promise<Sustained> {
  const first = rig.nextSeq;
  let firstStamp = NaN;
  let lastAt = 0;
  const seen = rig.gens.map(() => first);
  rig.gens.forEach((g, gi) => {
    g.onComplete = (m) => {
      if (m.seq === first) firstStamp = m.stamp;
      seen[gi] = m.seq + 1;
      lastAt = Math.max(lastAt, m.at);
    };
  });
  const completed = () => Math.min(...seen);
  const sample = cpuSampler(cpu);
  const end = Date.now() + settings.durationSeconds * 1000;
  while (Date.now() < end && !isAborting()) {
    const open = rig.nextSeq - completed();
    if (open < settings.window) requestBroadcasts(rig, settings.window - open);
    await sleep(1);
  }
  const issued = rig.nextSeq;
  await until(() => completed() >= issued, 30_000, `the last sustained broadcast (${issued - 1}) to reach every session`);
  const cpuPercent = sample();
  for (const g of rig.gens) g.onComplete = null;
  const n = issued - first;
  const secs = (lastAt - firstStamp) / 1e9;
  return { repeat, broadcasts: n, seconds: round(secs, 4), broadcastsPerSecond: round(n / secs, 1), deliveriesPerSecond: Math.round((n * settings.sessions) / secs), cpuPercent };
}

// ---- the run --------------------------------------------------------------------------------

interface Check {
  sessions: number;
  complete: number;
  errors: number;
  strays: number;
  closedEarly: number;
  issued: number;
}

async function main(): Promise<number> {
  const t0 = performance.now();
  const errors: string[] = [];
  const warnings: string[] = [];

  let pinning = 'none';
  if (settings.pin) {
    const problem = pinningProblem();
    if (problem === null) {
      pinning = common.port === null ? 'server on core 0; generators and this script on core 1' : 'generators and this script on core 1 (the server at --port is not ours to pin)';
      pinSelf(1);
    } else {
      warnings.push(`--pin ignored: ${problem}`);
      settings.pin = false;
    }
  }
  const clientCore = settings.pin ? 1 : null;

  // Each generator holds its share; each worker holds sessions / workers (+ the bus, logs, ...).
  const needed = Math.max(Math.ceil(sessions / settings.generators), common.port === null ? Math.ceil(sessions / settings.workers) : 0) + 256;
  const files = raiseOpenFiles(needed);
  if (files.problem !== null) throw new Error(`open files: ${files.problem}; use fewer --sessions or more --workers`);

  const busy = await machineBusy(1000);
  if (busy !== null && busy > 15) warnings.push(`the machine was ${busy}% busy before the run (other processes): figures are low and noisy`);
  for (const w of warnings) progress(`WARNING: ${w}`);

  if (common.port === null) progress(`starting a cluster of ${settings.workers} workers (${APP}, round-robin dispatch)${settings.pin ? ' on core 0' : ''}`);
  if (cpuProf !== null) mkdirSync(cpuProf, { recursive: true });
  const target = await targetFor(common, {
    app: APP,
    dispatchMode: 1,
    core: settings.pin ? 0 : null,
    ...(cpuProf !== null ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] } : {}),
  });
  const rig: Rig = { target, driver: null as unknown as Driver, gens: [], workersOf: [], nextSeq: 0 };
  const fanOuts: FanOut[] = [];
  const sustained: Sustained[] = [];
  let check: Check | null = null;
  let spread: number[] = [];
  try {
    rig.driver = await openDriver(target);
    progress(`driver on worker ${rig.driver.hello.worker}; opening ${sessions} sessions from ${settings.generators} generator processes`);
    const base = Math.floor(sessions / settings.generators);
    for (let g = 0; g < settings.generators; g++) rig.gens.push(new Generator(clientCore));
    rig.gens.forEach((g, gi) =>
      g.send({
        t: 'open',
        host: target.host,
        port: target.port,
        sessions: base + (gi < sessions % settings.generators ? 1 : 0),
        addresses: [`127.0.0.${2 + 2 * gi}`, `127.0.0.${3 + 2 * gi}`],
        concurrency: 50,
        record: WARM_BROADCASTS + settings.broadcasts,
        napMs: settings.readerNapMs,
      }),
    );
    let lastReport = Date.now();
    await until(
      () => {
        if (Date.now() - lastReport > 2000) {
          lastReport = Date.now();
          progress(`  ${rig.gens.reduce((a, g) => a + (g.opened?.opened ?? g.openedSoFar), 0)} / ${sessions} open`);
        }
        return rig.gens.every((g) => g.opened !== null || g.child.exitCode !== null);
      },
      60_000 + sessions * 10,
      'the generators to open their sessions',
    );
    if (rig.gens.some((g) => g.opened === null)) throw new Error('a generator exited before opening its sessions');
    const failed = rig.gens.reduce((a, g) => a + g.opened!.failed, 0);
    if (failed > 0) {
      const why = rig.gens.find((g) => g.opened!.firstError)?.opened!.firstError ?? '';
      throw /hello/.test(why) ? notBenchApp(target.port, `${failed} session(s) failed: ${why}`) : new Error(`${failed} session(s) could not be opened: ${why}`);
    }
    rig.workersOf = rig.gens.map((g) => g.opened!.workers);
    const workerCount = Math.max(settings.workers, rig.driver.hello.worker + 1, ...rig.workersOf.flat().map((w) => w + 1));
    spread = Array.from({ length: workerCount }, (_, w) => rig.workersOf.reduce((a, ws) => a + ws.filter((x) => x === w).length, 0));
    progress(`sessions per worker: ${spread.join(' / ')}`);
    if (spread.filter((n) => n > 0).length < 2) warnings.push('every session is on one worker: nothing crossed the bus');

    progress(`${WARM_BROADCASTS} warm-up broadcasts, then ${settings.broadcasts} measured one at a time, ${GAP_MS} ms apart`);
    const measured: number[] = [];
    for (let k = 0; k < WARM_BROADCASTS + settings.broadcasts; k++) {
      const seq = await oneBroadcast(rig);
      if (k >= WARM_BROADCASTS) measured.push(seq);
      await sleep(GAP_MS);
    }
    for (const g of rig.gens) g.send({ t: 'latencies' });
    await until(() => rig.gens.every((g) => g.latencies !== null), 20_000, 'the latencies from the generators');
    fanOuts.push(...fanOutsFrom(rig, measured));
    progress(`fan-out: last delivery ${fmtMs(median(fanOuts.map((f) => f.lastMs)))} ms, p50 ${fmtMs(median(fanOuts.map((f) => f.p50Ms)))} ms (medians of ${fanOuts.length})`);

    const workerPids = [...new Set(rig.gens.flatMap((g) => g.opened!.pids))];
    const serverPids = target.pids();
    const cpu = {
      workers: workerPids,
      master: serverPids.filter((p) => !workerPids.includes(p)),
      generators: rig.gens.map((g) => g.child.pid!).filter((p) => p !== undefined),
      script: [process.pid],
    };
    for (let r = 0; r < settings.repeats; r++) {
      progress(`sustained run ${r + 1}/${settings.repeats}: ${settings.durationSeconds} s, window ${settings.window}`);
      const x = await sustain(rig, r, cpu);
      sustained.push(x);
      progress(`  ${x.broadcasts} broadcasts in ${x.seconds} s: ${x.broadcastsPerSecond}/s, ${fmtRate(x.deliveriesPerSecond)} deliveries/s (CPU % workers ${x.cpuPercent.workers}, generators ${x.cpuPercent.generators}; machine ${x.cpuPercent.machine}% busy)`);
      await sleep(200);
    }

    // Exactly once, at the end: every session saw seq 0 .. issued-1, in order, nothing else.
    const issued = rig.nextSeq;
    for (const g of rig.gens) g.send({ t: 'final', total: issued });
    await until(() => rig.gens.every((g) => g.final !== null), 10_000, "the generators' final check");
    const finals = rig.gens.map((g) => g.final!);
    const sum = (k: 'sessions' | 'complete' | 'errors' | 'strays' | 'closedEarly') => finals.reduce((a, f) => a + f[k], 0);
    check = { sessions: sum('sessions'), complete: sum('complete'), errors: sum('errors'), strays: sum('strays'), closedEarly: sum('closedEarly'), issued };
    if (check.complete !== check.sessions || check.errors > 0 || check.strays > 0) {
      errors.push(`exactly-once check failed: ${check.complete}/${check.sessions} sessions got all ${issued} broadcasts; ${check.errors} missing/duplicate/out of order, ${check.strays} stray`);
    }
    if (check.closedEarly > 0) errors.push(`${check.closedEarly} session(s) closed during the run`);
    if (rig.driver.failed > 0) errors.push(`${rig.driver.failed} broadcast() call(s) returned false`);
  } catch (err) {
    errors.push((err as Error).message);
  } finally {
    progress('stopping the generators and the cluster');
    rig.driver?.socket.destroy();
    await Promise.all(rig.gens.map((g) => g.stop()));
    await target.stop();
  }
  return report({ t0, errors, warnings, pinning, fanOuts, sustained, check, spread });
}

// ---- output ---------------------------------------------------------------------------------

function report(r: { t0: number; errors: string[]; warnings: string[]; pinning: string; fanOuts: FanOut[]; sustained: Sustained[]; check: Check | null; spread: number[] }): number {
  const { fanOuts, sustained, spread } = r;
  const med = (f: (x: FanOut) => number | null | undefined) => median(fanOuts.flatMap((x) => { const v = f(x); return v === null || v === undefined ? [] : [v]; }));
  const medians = {
    fanOut: {
      lastDeliveryMs: med((f) => f.lastMs),
      firstDeliveryMs: med((f) => f.firstMs),
      p50Ms: med((f) => f.p50Ms),
      p99Ms: med((f) => f.p99Ms),
      localFirstMs: med((f) => f.local.firstMs),
      localLastMs: med((f) => f.local.lastMs),
      localP50Ms: med((f) => f.local.p50Ms),
      remoteFirstMs: med((f) => f.remote?.firstMs),
      remoteLastMs: med((f) => f.remote?.lastMs),
      remoteP50Ms: med((f) => f.remote?.p50Ms),
      serverWriteMs: med((f) => f.serverWriteMs),
      minLastMs: fanOuts.length ? Math.min(...fanOuts.map((f) => f.lastMs)) : null,
      maxLastMs: fanOuts.length ? Math.max(...fanOuts.map((f) => f.lastMs)) : null,
    },
    sustained: {
      broadcastsPerSecond: median(sustained.map((x) => x.broadcastsPerSecond)),
      deliveriesPerSecond: median(sustained.map((x) => x.deliveriesPerSecond)),
    },
  };
  const applicable = settings.sessions >= TARGET.sessions && spread.filter((n) => n > 0).length >= 2;
  const last = medians.fanOut.lastDeliveryMs;
  const target = { sessions: TARGET.sessions, lastDeliveryMs: TARGET.lastDeliveryMs, applicable, met: applicable && last !== null ? last < TARGET.lastDeliveryMs : null };
  const exactlyOnce = r.check !== null && r.check.complete === r.check.sessions && r.check.errors === 0 && r.check.strays === 0;
  const durationSeconds = round((performance.now() - r.t0) / 1000, 1);
  const machine = machineInfo(r.pinning);
  const how =
    `${settings.sessions} sessions over ${spread.length} workers (${spread.join(' / ')}), held by ${settings.generators} generator processes; ${settings.size}-byte binary broadcasts from the driver's worker. Fan-out: ${fanOuts.length} broadcasts one at a time, server stamp before broadcast() to each delivery; medians over the broadcasts. ` +
    `Sustained: broadcasts in a loop for ${settings.durationSeconds} s with at most ${settings.window} not yet everywhere, first stamp to last delivery; medians of ${sustained.length}. Pinning: ${r.pinning}.`;
  const f = medians.fanOut;
  const rows = [
    ['fan-out of one broadcast', 'last delivery ms', 'p50 ms', 'p99 ms', 'first delivery ms'],
    [`all ${settings.sessions} sessions`, fmtMs(f.lastDeliveryMs), fmtMs(f.p50Ms), fmtMs(f.p99Ms), fmtMs(f.firstDeliveryMs)],
    ["  on the broadcaster's worker", fmtMs(f.localLastMs), fmtMs(f.localP50Ms), '', fmtMs(f.localFirstMs)],
    ['  on the other worker(s), embedded bus', fmtMs(f.remoteLastMs), fmtMs(f.remoteP50Ms), '', fmtMs(f.remoteFirstMs)],
    ["broadcaster's worker: its own share written", fmtMs(f.serverWriteMs), '', '', ''],
  ];
  const srows = [
    ['sustained', 'broadcasts/s', 'deliveries/s', 'CPU % workers/generators/master', 'machine busy %'],
    ...sustained.map((x) => [`run ${x.repeat + 1} (${x.broadcasts} broadcasts)`, String(x.broadcastsPerSecond), fmtRate(x.deliveriesPerSecond), `${x.cpuPercent.workers}/${x.cpuPercent.generators}/${x.cpuPercent.master}`, String(x.cpuPercent.machine)]),
    ['median', String(medians.sustained.broadcastsPerSecond ?? 'n/a'), fmtRate(medians.sustained.deliveriesPerSecond), '', ''],
  ];
  const targetLine = target.met === null ? `target (${TARGET.sessions} sessions across workers, last delivery < ${TARGET.lastDeliveryMs} ms): not applicable to this run` : `target (${TARGET.sessions} sessions across workers, last delivery < ${TARGET.lastDeliveryMs} ms): ${target.met ? 'met' : 'NOT met'} (${fmtMs(last)} ms)`;
  const settingsOut = { ...settings, workers: spread.length || settings.workers };

  const common = { settings: settingsOut, sessionsPerWorker: spread, medians, target, exactlyOnce, check: r.check, warnings: r.warnings, errors: r.errors.map((e) => e.split('\n')[0]!), durationSeconds };
  // A failed or interrupted run leaves the last good results where they are.
  const code = r.errors.length === 0 && !isAborting() ? 0 : 1;
  const jsonPath = code === 0 ? join(outDir, 'broadcast.json') : null;
  if (jsonPath !== null) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify({ machine, how, ...common, fanOuts, sustained }, null, 2)}\n`);
  }

  const lines = [how, '', textTable(rows), '', textTable(srows), '', targetLine, `exactly once: ${exactlyOnce ? `yes (${r.check!.sessions} sessions × ${r.check!.issued} broadcasts)` : 'NO'}`];
  for (const w of r.warnings) lines.push(`WARNING: ${w}`);
  if (r.errors.length) lines.push('errors:', ...r.errors.map((e) => `  ${e}`));
  lines.push(jsonPath === null ? `failed after ${durationSeconds} s: ${join(outDir, 'broadcast.json')} left as it was` : `wrote ${relative(process.cwd(), jsonPath) || jsonPath} in ${durationSeconds} s`);
  // Interrupted (SIGINT, the ceiling): keep the code abort() set.
  const exitCode = isAborting() && typeof process.exitCode === 'number' ? process.exitCode : code;
  finish(lines.join('\n'), { event: NAME, ok: code === 0, machine: { cpus: machine.cpus, node: machine.node, commit: machine.commit, pinning: r.pinning }, ...common, files: { json: jsonPath } }, exitCode);
  return exitCode;
}

await main().catch((err: Error) => {
  process.stderr.write(`${NAME}: failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
