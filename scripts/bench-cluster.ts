/**
 * The cluster benchmark: handshakes per second through the master, and echo throughput with 1
 * and 2 workers, against `ws` in one process and `ws` under node:cluster with 2 workers, all in
 * the same run.
 *   npm run bench:cluster -- [--repeats 3] [--seconds 4] [--max-wait 120] [--quick] [--out bench]
 *
 * Fairness: every server runs pinned to core 0 (`taskset -c 0`; forks inherit it, so a
 * cluster's master and workers share that core) and the load generators to core 1, so each
 * server gets exactly one core whatever its process count. Servers take turns in an order
 * rotated every repeat, so drift (thermal, noisy neighbours) hits all of them alike; figures
 * are medians over repeats, ratios are medians of per-repeat ratios (same run, same drift).
 * Core busy % over each measurement window is recorded: a generator core near 100 % while the
 * server core is not means the generator, not the server, was the limit. So is the share of
 * each core taken by processes this script did not start (or stolen by the hypervisor): above
 * 10 % the measurement is reported as CONTENDED, as the machine may be shared. Each server's
 * turn first waits (bounded, --max-wait) for others to leave the cores, and a turn contended
 * anyway is run once more; the spoilt attempt stays in cluster.json but not in the medians.
 *
 * Writes <out>/cluster.json (every raw run, medians, machine) and <out>/cluster.md (the table);
 * progress goes to stderr, the table and then one JSON object (last line) to stdout.
 * Loopback only; bounded in count and time; every process it starts is killed on the way out.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Settings

interface Settings {
  repeats: number;
  seconds: number;
  quick: boolean;
  out: string;
  storm: { connections: number; concurrency: number; addresses: number };
  /** Warm-up before measuring: a short storm, and a short echo run (0 s: none). */
  warm: { connections: number; echoSeconds: number };
  echo: { connections: number; inflight: number };
  /**
   * Before each server's turn, wait up to this long for other processes to leave the cores;
   * a turn that was contended anyway is run once more. 0 (the quick run): neither.
   */
  maxWaitSeconds: number;
}

function settingsFrom(argv: string[]): Settings {
  const problems: string[] = [];
  let values: { repeats?: string; seconds?: string; quick?: boolean; out?: string; 'max-wait'?: string } = {};
  try {
    const options = { repeats: { type: 'string' }, seconds: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' }, 'max-wait': { type: 'string' } } as const;
    values = parseArgs({ args: argv, options }).values;
  } catch (err) {
    problems.push((err as Error).message);
  }
  const quick = values.quick === true;
  const repeats = Number(values.repeats ?? (quick ? 1 : 3));
  const seconds = Number(values.seconds ?? (quick ? 1 : 4));
  // A smoke test on a busy CI machine must not wait for quiet: it checks the plumbing only.
  const maxWaitSeconds = Number(values['max-wait'] ?? (quick ? 0 : 120));
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 15) problems.push(`--repeats ${values.repeats}: expected an integer 1..15`);
  if (!Number.isFinite(seconds) || seconds < 0.5 || seconds > 60) problems.push(`--seconds ${values.seconds}: expected a number of seconds 0.5..60`);
  if (!Number.isFinite(maxWaitSeconds) || maxWaitSeconds < 0 || maxWaitSeconds > 600) problems.push(`--max-wait ${values['max-wait']}: expected seconds 0..600`);
  if (problems.length > 0) {
    process.stderr.write(`bench-cluster: ${problems.join('; ')}\n`);
    process.exit(2);
  }
  return {
    repeats,
    seconds,
    quick,
    out: resolve(values.out ?? join(ROOT, 'bench')),
    // 6000 handshakes over 8 source addresses: 750 ports per address per run, far below the
    // ~28k each address has, even with TIME_WAIT from earlier runs.
    storm: quick ? { connections: 300, concurrency: 20, addresses: 2 } : { connections: 6000, concurrency: 100, addresses: 8 },
    // The quick run skips the echo warm-up: load-echo already warms for 1 s before measuring.
    warm: quick ? { connections: 50, echoSeconds: 0 } : { connections: 1000, echoSeconds: 1 },
    echo: { connections: 64, inflight: 16 },
    maxWaitSeconds,
  };
}

interface ServerSpec {
  id: string;
  label: string;
  /** Arguments to `node`, from the repository root. */
  args: string[];
}

// --log-level info, not warn: the "listening" line is logged at info. Lifecycle only at info
// (connections log at debug), so the hot path is the same.
const SERVERS: ServerSpec[] = [
  { id: 'switchyard-1w', label: 'Switchyard, 1 worker', args: ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--workers', '1', '--log-level', 'info'] },
  { id: 'switchyard-2w', label: 'Switchyard, 2 workers', args: ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--workers', '2', '--log-level', 'info'] },
  { id: 'ws-single', label: 'ws, one process', args: ['--import', 'tsx', 'scripts/peers/ws-single.ts', '--port', '0'] },
  { id: 'ws-cluster-2w', label: 'ws, node:cluster 2 workers', args: ['--import', 'tsx', 'scripts/peers/ws-cluster.ts', '--port', '0', '--workers', '2'] },
];
const BASELINES = { vsWsSingle: 'ws-single', vsWsCluster: 'ws-cluster-2w' } as const;
const METRICS = [
  { key: 'handshakesPerSecond', label: 'handshakes/s' },
  { key: 'echo32MessagesPerSecond', label: 'echo 32 B msg/s' },
  { key: 'echo4kMessagesPerSecond', label: 'echo 4 KiB msg/s' },
] as const;
type MetricKey = (typeof METRICS)[number]['key'];

// ---------------------------------------------------------------------------------------------
// Processes: every child is registered until it exits; servers get their own process group so
// their workers die with them.

const live = new Map<ChildProcess, { group: boolean }>();
/** Process groups of servers not yet seen stopped: a group can outlive its leader (workers). */
const serverGroups = new Set<number>();

/** A group is signalled even after its leader exited: its workers may still be there. */
function killChild(child: ChildProcess, group: boolean, signal: NodeJS.Signals): void {
  if (child.pid === undefined || (!group && (child.exitCode !== null || child.signalCode !== null))) return;
  try {
    process.kill(group ? -child.pid : child.pid, signal);
  } catch {
    // already gone
  }
}

function killEverything(signal: NodeJS.Signals): void {
  for (const [child, { group }] of live) if (!group) killChild(child, false, signal);
  for (const pgid of serverGroups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      serverGroups.delete(pgid); // no member left
    }
  }
}

process.once('exit', () => killEverything('SIGKILL'));
let aborting = false;
function abort(why: string, code: number): void {
  if (aborting) return;
  aborting = true;
  process.exitCode = code;
  process.stderr.write(`\nbench-cluster: ${why}; stopping every process started\n`);
  killEverything('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
  // Leave as soon as all have gone; 'exit' SIGKILLs whatever is left.
  const poll = setInterval(() => live.size === 0 && process.exit(code), 50);
  poll.unref();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => abort(`got ${signal}`, 130));
process.on('uncaughtException', (err) => abort(`internal error: ${err.stack ?? err.message}`, 1));
process.on('unhandledRejection', (err) => abort(`internal error: ${String(err)}`, 1));

function childEnv(): NodeJS.ProcessEnv {
  // Only our flags configure the servers.
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_')));
}

function launch(command: string, args: string[], group: boolean): ChildProcess {
  if (aborting) throw new Error('aborting: no new process');
  const child = spawn(command, args, { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  live.set(child, { group });
  if (group && child.pid !== undefined) serverGroups.add(child.pid);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** `taskset -c CORE` prefix when pinning works here (present, permitted, 2+ cores). */
function pinningProblem(): string | null {
  if (cpus().length < 2) return `only ${cpus().length} CPU`;
  const r = spawnSync('taskset', ['-c', '1', 'true'], { timeout: 5000 });
  if (r.error) return `taskset not usable (${r.error.message})`;
  return r.status === 0 ? null : `taskset -c 1 failed: ${r.stderr.toString().trim()}`;
}

function pinned(pin: boolean, core: number, args: string[]): [string, string[]] {
  return pin ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args];
}

interface RunningServer {
  port: number;
  child: ChildProcess;
  /** Last lines of output, for error messages. */
  tail(): string;
}

function tailBuffer(child: ChildProcess): () => string {
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 20) lines.shift();
    });
  }
  return () => lines.join('\n');
}

async function startServer(spec: ServerSpec, pin: boolean, timeoutMs = 20_000): Promise<RunningServer> {
  const [command, args] = pinned(pin, 0, spec.args);
  const child = launch(command, args, true);
  const tail = tailBuffer(child);
  const port = await new Promise<number>((resolvePort, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      killChild(child, true, 'SIGKILL');
      reject(new Error(`${spec.id}: ${why}\n${tail()}`));
    };
    const timer = setTimeout(() => fail(`no "listening" line within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (code ${code}, signal ${signal}) before listening`);
    child.once('exit', onExit);
    child.once('error', (err) => fail(`cannot start: ${err.message}`));
    createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
      if (!line.includes('"listening"')) return;
      const entry = parseObject(line);
      if (entry?.event === 'listening' && typeof entry.port === 'number') {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolvePort(entry.port);
      }
    });
  });
  return { port, child, tail };
}

/** SIGTERM to the server's process group, SIGKILL after `graceMs`. */
async function stopServer(server: RunningServer, graceMs = 10_000): Promise<void> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    killChild(child, true, 'SIGTERM');
    const timer = setTimeout(() => killChild(child, true, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  // Workers that outlived their master: the group may outlive its leader.
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // none left
  }
  serverGroups.delete(child.pid!);
}

function parseObject(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux; elsewhere null): per core, busy % and the share taken by
// processes that are not ours. This machine may be shared: "other" load on a core says a
// figure is not to be trusted, where plain noise would not say why.

/** Per core (-1: all cores): [busy, user+nice+system+steal, total] in clock ticks. */
type CoreTicks = Map<number, [number, number, number]>;

interface CpuSample {
  t: number;
  /** Per core: [busy incl. irq, user+nice+system+steal, total] in clock ticks. */
  cores: CoreTicks;
  /** CPU ticks used so far by the server's processes, the generator, and this script. */
  server: number;
  generator: number;
  self: number;
}

function readCores(): CoreTicks | null {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const cores: CoreTicks = new Map();
  for (const line of text.split('\n')) {
    const m = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!m) continue;
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const f = m[2]!.trim().split(/\s+/).slice(0, 8).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    // Steal is time the hypervisor gave to other guests: load from others too.
    const tasks = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[7] ?? 0);
    cores.set(m[1] === '' ? -1 : Number(m[1]), [total - (f[3] ?? 0) - (f[4] ?? 0), tasks, total]);
  }
  return cores;
}

/** utime + stime of a process, in clock ticks (0 once it is gone). */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** A server's processes: the leader and its children (a cluster's workers). */
function processTree(pid: number): number[] {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(' ').map(Number));
    }
  } catch {
    // not Linux, or gone
  }
  return pids;
}

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/stat and /proc/<pid>/stat on Linux

function sampleCpu(serverPids: number[], generatorPid: number): CpuSample | null {
  const cores = readCores();
  if (!cores) return null;
  const own = process.cpuUsage();
  return {
    t: performance.now(),
    cores,
    server: serverPids.reduce((sum, pid) => sum + processTicks(pid), 0),
    generator: processTicks(generatorPid),
    self: ((own.user + own.system) / 1e6) * TICKS_PER_SECOND,
  };
}

interface CpuShare {
  /** Busy % of the server's core (all cores when unpinned). */
  serverCore: number;
  /** Busy % of the generator's core (null when unpinned). */
  generatorCore: number | null;
  /** % of the server's / generator's core taken by processes not started here, or stolen by the hypervisor. */
  otherOnServerCore: number;
  otherOnGeneratorCore: number | null;
}

/** CPU shares between the first sample at or after `from` and the last at or before `to`. */
function cpuShare(samples: CpuSample[], pin: boolean, from: number, to: number): CpuShare | null {
  const a = samples.find((x) => x.t >= from);
  const b = samples.filter((x) => x.t <= to).pop();
  if (!a || !b || b.t - a.t < 400) return null;
  const delta = (core: number) => {
    const [busyA, tasksA, totalA] = a.cores.get(core) ?? [0, 0, 0];
    const [busyB, tasksB, totalB] = b.cores.get(core) ?? [0, 0, 0];
    return { busy: busyB - busyA, tasks: tasksB - tasksA, total: Math.max(1, totalB - totalA) };
  };
  const pct = (x: number, total: number) => Math.round(Math.max(0, Math.min(1, x / total)) * 1000) / 10;
  const [server, generator, self] = [b.server - a.server, b.generator - a.generator, b.self - a.self];
  if (!pin) {
    const all = delta(-1);
    return { serverCore: pct(all.busy, all.total), generatorCore: null, otherOnServerCore: pct(all.tasks - server - generator - self, all.total), otherOnGeneratorCore: null };
  }
  // This script is pinned to the generator's core (see main).
  const c0 = delta(0);
  const c1 = delta(1);
  return {
    serverCore: pct(c0.busy, c0.total),
    generatorCore: pct(c1.busy, c1.total),
    otherOnServerCore: pct(c0.tasks - server, c0.total),
    otherOnGeneratorCore: pct(c1.tasks - generator - self, c1.total),
  };
}

// ---------------------------------------------------------------------------------------------
// Load generators

interface LoadResult {
  result: Record<string, unknown>;
  /** CPU over the generator's own measured window (its `seconds`), or null if unknown. */
  cpu: CpuShare | null;
}

async function runLoad(script: string, flags: Record<string, string | number>, server: RunningServer, pin: boolean, timeoutMs: number): Promise<LoadResult> {
  const args = ['--import', 'tsx', `scripts/${script}`, ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)])];
  const [command, argv] = pinned(pin, 1, args);
  const child = launch(command, argv, false);
  const serverPids = processTree(server.child.pid!);
  const samples: CpuSample[] = [];
  const sample = () => {
    const x = sampleCpu(serverPids, child.pid ?? 0);
    if (x) samples.push(x);
  };
  sample();
  const sampler = setInterval(sample, 200);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const timer = setTimeout(() => killChild(child, false, 'SIGKILL'), timeoutMs);
  // The result line is printed right after the measured window: the last sample before it
  // closes the window (the generator's own CPU is still readable until it is reaped).
  let printedAt = 0;
  child.stdout!.on('data', () => {
    if (printedAt === 0 && stdout.trimEnd().endsWith('}')) {
      printedAt = performance.now();
      sample();
    }
  });
  // 'close', not 'exit': 'exit' can come before stdout is drained, losing the result line.
  const code = await new Promise<number | null>((r) => {
    child.once('close', (c) => r(c));
    child.once('error', (err) => {
      stderr += err.message;
      r(null);
    });
  });
  clearInterval(sampler);
  clearTimeout(timer);
  const last = stdout.trim().split('\n').pop() ?? '';
  const result = parseObject(last);
  if (code !== 0 || result === null) throw new Error(`${script} ${JSON.stringify(flags)}: exit code ${code}\n${stderr.trim()}`);
  const seconds = typeof result.seconds === 'number' ? result.seconds : 0;
  const end = printedAt || performance.now();
  return { result, cpu: cpuShare(samples, pin, end - seconds * 1000, end) };
}

function storm(server: RunningServer, connections: number, s: Settings, pin: boolean): Promise<LoadResult> {
  const flags = { port: server.port, path: '/echo', connections, concurrency: s.storm.concurrency, addresses: s.storm.addresses, 'max-seconds': 60 };
  return runLoad('load-connect.ts', flags, server, pin, 90_000);
}

function echo(server: RunningServer, size: number, seconds: number, s: Settings, pin: boolean): Promise<LoadResult> {
  const flags = { port: server.port, path: '/echo', connections: s.echo.connections, inflight: s.echo.inflight, size, seconds };
  return runLoad('load-echo.ts', flags, server, pin, (seconds + 30) * 1000);
}

// ---------------------------------------------------------------------------------------------
// One server, one repeat

interface Run {
  repeat: number;
  server: string;
  /** Position in this repeat's order (0 = first). */
  position: number;
  metrics: Partial<Record<MetricKey, number>>;
  handshake?: LoadResult;
  echo32?: LoadResult;
  echo4k?: LoadResult;
  /** Set when other processes' load spoilt this turn and it was run again (left out of the medians). */
  superseded?: true;
  /** Storm handshakes that did not get a 101 (should be 0). */
  failedHandshakes?: number;
  error?: string;
}

async function measure(spec: ServerSpec, repeat: number, position: number, s: Settings, pin: boolean, progress: (msg: string) => void): Promise<Run> {
  const run: Run = { repeat, server: spec.id, position, metrics: {} };
  let server: RunningServer | undefined;
  try {
    server = await startServer(spec, pin);
    progress(`${spec.id}: listening on ${server.port}; warming up`);
    await storm(server, s.warm.connections, s, pin);
    if (s.warm.echoSeconds > 0) await echo(server, 32, s.warm.echoSeconds, s, pin);

    run.handshake = await storm(server, s.storm.connections, s, pin);
    run.metrics.handshakesPerSecond = Number(run.handshake.result.handshakesPerSecond);
    run.failedHandshakes = Number(run.handshake.result.failed);
    progress(`${spec.id}: ${fmt(run.metrics.handshakesPerSecond)} handshakes/s (${run.failedHandshakes} failed) ${cpuNote(run.handshake)}`);

    run.echo32 = await echo(server, 32, s.seconds, s, pin);
    run.metrics.echo32MessagesPerSecond = Number(run.echo32.result.messagesPerSecond);
    progress(`${spec.id}: echo 32 B ${fmt(run.metrics.echo32MessagesPerSecond)} msg/s ${cpuNote(run.echo32)}`);

    run.echo4k = await echo(server, 4096, s.seconds, s, pin);
    run.metrics.echo4kMessagesPerSecond = Number(run.echo4k.result.messagesPerSecond);
    progress(`${spec.id}: echo 4 KiB ${fmt(run.metrics.echo4kMessagesPerSecond)} msg/s ${cpuNote(run.echo4k)}`);

    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`${spec.id} exited during the run\n${server.tail()}`);
    for (const [k, v] of Object.entries(run.metrics)) if (!((v ?? 0) > 0)) throw new Error(`${spec.id}: ${k} = ${v}`);
  } catch (err) {
    run.error = (err as Error).message;
    progress(`${spec.id}: FAILED: ${run.error.split('\n')[0]}`);
  } finally {
    if (server) await stopServer(server);
  }
  return run;
}

/** Share of a core taken by others above which a measurement is flagged as contended. */
const OTHER_LOAD_LIMIT = 10;

function contended(r: LoadResult | undefined): boolean {
  return r?.cpu != null && Math.max(r.cpu.otherOnServerCore, r.cpu.otherOnGeneratorCore ?? 0) > OTHER_LOAD_LIMIT;
}

function isContended(run: Run): boolean {
  return contended(run.handshake) || contended(run.echo32) || contended(run.echo4k);
}

function cpuNote(r: LoadResult): string {
  const c = r.cpu;
  if (c === null) return '';
  const other = `others ${c.otherOnServerCore}%${c.otherOnGeneratorCore === null ? '' : ` / ${c.otherOnGeneratorCore}%`}`;
  const busy = c.generatorCore === null ? `cores ${c.serverCore}% busy` : `core0 (server) ${c.serverCore}%, core1 (generator) ${c.generatorCore}% busy`;
  return `[${busy}; ${other}]${contended(r) ? ' CONTENDED' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Summary

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const v = [...xs].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

type Table<T> = Record<string, Record<MetricKey, T>>;

interface Summary {
  medians: Table<number | null>;
  /** (max - min) / median, in %: how much the repeats disagree. */
  spreadPercent: Table<number | null>;
  /** Median over repeats of the per-repeat ratio server / baseline. */
  ratios: Record<string, Record<keyof typeof BASELINES, Record<MetricKey, number | null>>>;
}

function summarize(runs: Run[]): Summary {
  const summary: Summary = { medians: {}, spreadPercent: {}, ratios: {} };
  const counted = runs.filter((r) => !r.error && !r.superseded);
  const values = (server: string, key: MetricKey) => counted.filter((r) => r.server === server).map((r) => r.metrics[key]!);
  for (const spec of SERVERS) {
    const med = {} as Record<MetricKey, number | null>;
    const spread = {} as Record<MetricKey, number | null>;
    for (const { key } of METRICS) {
      const xs = values(spec.id, key);
      const m = median(xs);
      med[key] = m === null ? null : Math.round(m);
      spread[key] = m === null || m === 0 || xs.length < 2 ? null : Math.round(((Math.max(...xs) - Math.min(...xs)) / m) * 1000) / 10;
    }
    summary.medians[spec.id] = med;
    summary.spreadPercent[spec.id] = spread;
    const ratios = {} as Record<keyof typeof BASELINES, Record<MetricKey, number | null>>;
    for (const [name, base] of Object.entries(BASELINES) as Array<[keyof typeof BASELINES, string]>) {
      const byKey = {} as Record<MetricKey, number | null>;
      for (const { key } of METRICS) {
        const perRepeat: number[] = [];
        for (const r of counted) {
          if (r.server !== spec.id) continue;
          const b = counted.find((x) => x.server === base && x.repeat === r.repeat);
          if (b) perRepeat.push(r.metrics[key]! / b.metrics[key]!);
        }
        const m = median(perRepeat);
        byKey[key] = m === null ? null : Math.round(m * 100) / 100;
      }
      ratios[name] = byKey;
    }
    summary.ratios[spec.id] = ratios;
  }
  return summary;
}

function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return n >= 10_000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)} k` : String(Math.round(n));
}

const ratioText = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)}×`);

/** The result as rows of cells: one table of figures, one of ratios. */
function tables(summary: Summary): { figures: string[][]; ratios: string[][] } {
  const figures = [['server', ...METRICS.map((m) => m.label), 'echo 4 KiB MiB/s', 'spread: handshakes / 32 B / 4 KiB']];
  for (const spec of SERVERS) {
    const m = summary.medians[spec.id]!;
    const mib = m.echo4kMessagesPerSecond === null ? 'n/a' : ((m.echo4kMessagesPerSecond * 4096) / 2 ** 20).toFixed(0);
    const spread = METRICS.map(({ key }) => summary.spreadPercent[spec.id]![key]).map((x) => (x === null ? '–' : `${x}%`));
    figures.push([spec.label, ...METRICS.map(({ key }) => fmt(m[key])), mib, spread.join(' / ')]);
  }
  const ratios = [['server', ...METRICS.flatMap((m) => [`${m.label}: vs ws`, 'vs ws cluster'])]];
  for (const spec of SERVERS) {
    const r = summary.ratios[spec.id]!;
    ratios.push([spec.label, ...METRICS.flatMap(({ key }) => [ratioText(r.vsWsSingle[key]), ratioText(r.vsWsCluster[key])])]);
  }
  return { figures, ratios };
}

function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function markdownTable(rows: string[][]): string {
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return [line(rows[0]!), `|${rows[0]!.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

/** % of all cores used by others over one second, while none of our servers or generators runs. */
async function othersLoad(): Promise<number | null> {
  const a = readCores()?.get(-1);
  const selfA = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 1000));
  const b = readCores()?.get(-1);
  const self = process.cpuUsage(selfA);
  if (!a || !b || b[2] <= a[2]) return null;
  const others = b[1] - a[1] - ((self.user + self.system) / 1e6) * TICKS_PER_SECOND;
  return Math.round(Math.max(0, others / (b[2] - a[2])) * 1000) / 10;
}

/** Waits (up to `maxWaitSeconds`) until others leave the cores; returns their last load %. */
async function waitQuiet(maxWaitSeconds: number, progress: (msg: string) => void): Promise<number | null> {
  const deadline = performance.now() + maxWaitSeconds * 1000;
  let load = await othersLoad();
  if (load === null || load <= OTHER_LOAD_LIMIT) return load;
  progress(`other processes use ${load}% of the cores: waiting up to ${maxWaitSeconds} s for them`);
  while (performance.now() < deadline && load !== null && load > OTHER_LOAD_LIMIT) load = await othersLoad();
  progress(load !== null && load > OTHER_LOAD_LIMIT ? `still ${load}% busy with others: going on` : `quiet again (${load}%)`);
  return load;
}

function machine(pin: boolean, pinProblem: string | null): Record<string, unknown> {
  const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).stdout?.trim() ?? '';
  let wsVersion = 'unknown';
  try {
    wsVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/ws/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // reported as unknown
  }
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    node: process.version,
    os: `${process.platform} ${release()}`,
    ws: wsVersion,
    commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--untracked-files=no']) ? ' + uncommitted changes' : ''),
    date: new Date().toISOString(),
    pinning: pin ? 'servers on core 0, generators on core 1 (taskset)' : `none (${pinProblem})`,
  };
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  const s = settingsFrom(process.argv.slice(2));
  const pinProblem = pinningProblem();
  const pin = pinProblem === null;
  const progress = (msg: string) => process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
  if (!pin) progress(`WARNING: running unpinned: ${pinProblem}; servers and generators share the cores`);
  // This script (sampling, reading pipes) stays off the server's core.
  else spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { timeout: 5000 });
  // A hard ceiling on the whole run, far above its expected length: it must stop by itself.
  const ceilingMs = (120 + 2 * s.repeats * SERVERS.length * (90 + 4 * s.seconds + s.maxWaitSeconds)) * 1000;
  setTimeout(() => abort(`still running after ${ceilingMs / 1000} s`, 1), ceilingMs).unref();

  const runs: Run[] = [];
  for (let repeat = 0; repeat < s.repeats; repeat++) {
    // Rotate the order each repeat: every server takes every position in turn.
    const order = SERVERS.map((_, i) => SERVERS[(i + repeat) % SERVERS.length]!);
    progress(`repeat ${repeat + 1}/${s.repeats}: ${order.map((o) => o.id).join(', ')}`);
    for (const [position, spec] of order.entries()) {
      // At most two attempts: the second only when others' load spoilt the first.
      for (let attempt = 0; attempt < 2; attempt++) {
        if (aborting) return 130; // abort() is stopping the children and will exit
        if (s.maxWaitSeconds > 0) await waitQuiet(s.maxWaitSeconds, (m) => progress(`  ${m}`));
        const run = await measure(spec, repeat, position, s, pin, (m) => progress(`  ${m}`));
        runs.push(run);
        if (s.maxWaitSeconds === 0 || attempt === 1 || run.error || !isContended(run)) break;
        run.superseded = true;
        progress(`  ${spec.id}: contended by other processes: running this turn once more`);
      }
    }
  }

  const summary = summarize(runs);
  const info = machine(pin, pinProblem);
  const errors = runs.filter((r) => r.error).map((r) => ({ repeat: r.repeat, server: r.server, error: r.error! }));
  const contendedRuns = runs.filter((r) => !r.superseded).flatMap((r) =>
    (['handshake', 'echo32', 'echo4k'] as const).filter((k) => contended(r[k])).map((k) => `${r.server}#${r.repeat + 1} ${k}`),
  );
  const durationSeconds = Math.round((performance.now() - startedAt) / 100) / 10;
  const { figures, ratios } = tables(summary);
  const settings = { repeats: s.repeats, seconds: s.seconds, quick: s.quick, storm: s.storm, warm: s.warm, echo: s.echo };

  const retried = runs.filter((r) => r.superseded).length;
  const contendedText =
    `${contendedRuns.length} measurement(s) ran while other processes took over ${OTHER_LOAD_LIMIT}% of a benchmark core ` +
    `(figures low and noisy; rerun on a quiet machine): ${contendedRuns.join(', ')}`;
  mkdirSync(s.out, { recursive: true });
  const jsonPath = join(s.out, 'cluster.json');
  const mdPath = join(s.out, 'cluster.md');
  writeFileSync(jsonPath, `${JSON.stringify({ machine: info, settings, servers: SERVERS, medians: summary.medians, spreadPercent: summary.spreadPercent, ratios: summary.ratios, errors, contended: contendedRuns, durationSeconds, runs }, null, 2)}\n`);
  const how =
    `Handshakes: ${s.storm.connections} connections, ${s.storm.concurrency} at a time, from ${s.storm.addresses} source addresses, each closed after its 101. ` +
    `Echo: ${s.echo.connections} connections × ${s.echo.inflight} messages in flight, binary, ${s.seconds} s after 1 s of warm-up. ` +
    `Every server pinned to one core (core 0: a cluster's master and workers share it), generators on core 1. ` +
    `Medians of ${s.repeats} repeat(s), servers in rotated order; ratios are medians of per-repeat ratios; spread = (max - min) / median over the repeats.` +
    (s.maxWaitSeconds > 0 ? ` Each turn waits for other processes to leave the cores (up to ${s.maxWaitSeconds} s); a turn they disturbed anyway (> ${OTHER_LOAD_LIMIT}% of a core) is run once more (${retried} this time; the first attempts stay in cluster.json, out of the medians).` : '');
  writeFileSync(
    mdPath,
    `# Cluster benchmark\n\n${info.date} · ${info.cpuModel} (${info.cpus} CPUs) · Node ${info.node} · ws ${info.ws} · commit ${info.commit} · pinning: ${info.pinning}\n\n` +
      `${how}\n\n${markdownTable(figures)}\n\nRatios (higher is better for Switchyard):\n\n${markdownTable(ratios)}\n` +
      (contendedRuns.length ? `\n${contendedText}\n` : '') +
      (errors.length ? `\nFailed runs:\n\n${errors.map((e) => `- repeat ${e.repeat + 1}, ${e.server}: ${e.error.split('\n')[0]}`).join('\n')}\n` : ''),
  );

  const out = process.stdout;
  out.write(`\n${how}\n\n${textTable(figures)}\n\n${textTable(ratios)}\n\n`);
  if (contendedRuns.length) out.write(`WARNING: ${contendedText}\n\n`);
  if (errors.length) out.write(`${errors.length} run(s) failed:\n${errors.map((e) => `  repeat ${e.repeat + 1}, ${e.server}: ${e.error.split('\n')[0]}`).join('\n')}\n\n`);
  out.write(`wrote ${relative(process.cwd(), jsonPath) || jsonPath} and ${relative(process.cwd(), mdPath) || mdPath} in ${durationSeconds} s\n`);
  const last = { event: 'bench-cluster', ok: errors.length === 0, pinned: pin, settings, medians: summary.medians, ratios: summary.ratios, errors: errors.map((e) => `${e.server}#${e.repeat + 1}: ${e.error.split('\n')[0]}`), contended: contendedRuns, retried, durationSeconds, files: { json: jsonPath, md: mdPath } };
  out.write(`${JSON.stringify(last)}\n`);
  return errors.length === 0 ? 0 : 1;
}

const code = await main();
// Flush stdout before leaving (a pipe may be slow); 'exit' kills anything still registered.
// While aborting, abort() owns the exit (it gives the servers their grace first).
if (!aborting) process.stdout.write('', () => process.exit(code));
