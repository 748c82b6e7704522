/**
 * The benchmark suite: Switchyard against `ws` (one process, and node:cluster with 2 workers)
 * on the same generators, in the same run, servers taking turns.
 *   npm run bench -- [--repeats 3] [--duration 4] [--quick] [--out bench] [--max-wait 120]
 *
 * Per server and repeat: handshakes/s (connection storm, each closed after its 101), echo
 * throughput and latency at 32 B and 4 KiB (64 connections × 16 in flight), and the sweep
 * of 32 B echo over the connection count (throughput and p99 per count: the chart). Once per
 * server (memory is not noisy): RSS per idle connection with --memory-connections held.
 *
 * Fairness: every server runs pinned to core 0 (`taskset -c 0`; a cluster's master and
 * workers share it) and every generator to core 1, so each server gets exactly one core
 * whatever its process count. Servers take turns in an order rotated every repeat; figures
 * are medians over repeats, ratios medians of per-repeat ratios (same run, same drift). The
 * share of the cores taken by processes we did not start is recorded for each turn: above
 * 10 % the turn is CONTENDED and (unless --max-wait 0) run once more; the spoilt attempt is
 * kept in results.json but not in the medians.
 *
 * Writes <out>/results.json (every run, medians, ratios, machine), <out>/results.md (the
 * tables) and <out>/results.svg (throughput and p99 against connection count). Progress on
 * stderr; the tables and then one JSON object (the last line) on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ArgReader } from './lib/options.ts';
import { machineTicks, onCore, pinningProblem, pinSelf, processTicks, processTree, TICKS_PER_SECOND } from './lib/cpu.ts';
import { isAborting, launch, ROOT, stopGroup, superviseScript } from './lib/processes.ts';
import { finish, fmtKiB, fmtMs, fmtRate, fmtRatio, machineInfo, markdownTable, median, progressLog, round, textTable } from './lib/report.ts';
import { lineChart, type Series } from './lib/svg-chart.ts';
import { startServer, SWITCHYARD_CLI, SWITCHYARD_NODE_ARGS, type ServerProcess } from './lib/switchyard.ts';

const USAGE = `npm run bench -- [--repeats N] [--duration S] [--quick] [--out DIR] [--max-wait S]
  --repeats    turns per server (default 3; 1 with --quick)
  --duration   seconds per echo measurement (default 4; 1 with --quick)
  --out        where results.json/.md/.svg go (default bench/)
  --max-wait   seconds a turn waits for other processes to leave the cores (default 120; 0 with --quick)
  --memory-connections  idle connections held for the memory figure (default 10000; 200 with --quick)`;

// ---------------------------------------------------------------------------------------------
// Settings

const args = new ArgReader('bench', USAGE, {
  repeats: { type: 'string' },
  out: { type: 'string' },
  'max-wait': { type: 'string' },
  'memory-connections': { type: 'string' },
});
const common = args.common({ duration: 4, quickDuration: 1, maxDuration: 60 });
const quick = common.quick;
const settings = {
  repeats: args.number('repeats', quick ? 1 : 3, 1, 15),
  seconds: common.duration,
  quick,
  maxWaitSeconds: args.number('max-wait', quick ? 0 : 120, 0, 600),
  out: resolve(args.string('out', join(ROOT, 'bench'))),
  // 6000 handshakes over 8 source addresses: 750 ports per address, far below the ~28 k each
  // has, even with TIME_WAIT from earlier runs.
  storm: quick ? { connections: 300, concurrency: 20, addresses: 2 } : { connections: 6000, concurrency: 100, addresses: 8 },
  echo: { connections: 64, inflight: 16 },
  /** Connection counts of the sweep (64 is the main echo run, reused). */
  sweep: quick ? [16, 64] : [16, 64, 256, 1024],
  memory: { connections: args.number('memory-connections', quick ? 200 : 10_000, 10, 18_000), settleSeconds: quick ? 1 : 15 },
};
if (common.port !== null) args.problems.push('--port: the suite starts every server itself (pinned); use the load:* scripts against a running cluster');
args.done();

interface ServerSpec {
  id: string;
  label: string;
  /** Arguments to `node`, from the repository root. */
  args: string[];
}

// Switchyard as `npm start` runs it (package.json); --log-level info for the "listening" line
// (connections log at debug: the hot path is the same).
const SWITCHYARD = [...SWITCHYARD_NODE_ARGS, SWITCHYARD_CLI, '--port', '0', '--log-level', 'info', '--max-connection', '200000'];
const ALL_SERVERS: ServerSpec[] = [
  { id: 'switchyard-2w', label: 'Switchyard, 2 workers', args: [...SWITCHYARD, '--workers', '2'] },
  { id: 'switchyard-1w', label: 'Switchyard, 1 worker', args: [...SWITCHYARD, '--workers', '1'] },
  { id: 'ws-single', label: 'ws, one process', args: ['--import', 'tsx', 'scripts/peers/ws-single.ts', '--port', '0'] },
  { id: 'ws-cluster-2w', label: 'ws, node:cluster 2 workers', args: ['--import', 'tsx', 'scripts/peers/ws-cluster.ts', '--port', '0', '--workers', '2'] },
];
// The smoke run (--quick) skips the 1-worker Switchyard: it checks the plumbing, not figures.
const SERVERS = quick ? ALL_SERVERS.filter((s) => s.id !== 'switchyard-1w') : ALL_SERVERS;
const BASELINES = { vsWsSingle: 'ws-single', vsWsCluster: 'ws-cluster-2w' } as const;
type Baseline = keyof typeof BASELINES;

/** Higher is better unless `lowerIsBetter`. */
const METRICS = [
  { key: 'handshakesPerSecond', label: 'handshakes/s', fmt: fmtRate },
  { key: 'echo32PerSecond', label: 'echo 32 B msg/s', fmt: fmtRate },
  { key: 'echo32P99Ms', label: 'echo 32 B p99 ms', fmt: fmtMs, lowerIsBetter: true },
  { key: 'echo4kPerSecond', label: 'echo 4 KiB msg/s', fmt: fmtRate },
  { key: 'echo4kP99Ms', label: 'echo 4 KiB p99 ms', fmt: fmtMs, lowerIsBetter: true },
  { key: 'idleBytesPerConnection', label: 'RSS per idle conn', fmt: fmtKiB, lowerIsBetter: true },
  // CPU time (user + system, from /proc) over the handshake storm, per connection: all of the
  // server's processes, and a cluster's master alone (accept + hand-off; ws-single has none).
  { key: 'handshakeCpuUs', label: 'CPU µs per handshake', fmt: fmtUs, lowerIsBetter: true },
  { key: 'handoffCpuUs', label: 'master CPU µs per hand-off', fmt: fmtUs, lowerIsBetter: true },
] as const;
type MetricKey = (typeof METRICS)[number]['key'];

/** Issue targets checked on the medians (Switchyard 2 workers unless said). */
const TARGETS = [
  { id: 'echo32', text: 'echo 32 B ≥ 3× ws node:cluster', check: (r: Ratios) => r['switchyard-2w']?.vsWsCluster.echo32PerSecond, min: 3 },
  { id: 'echo4k', text: 'echo 4 KiB ≥ 1.5× ws node:cluster', check: (r: Ratios) => r['switchyard-2w']?.vsWsCluster.echo4kPerSecond, min: 1.5 },
  { id: 'handshakes', text: 'handshakes through the master ≥ ws one process', check: (r: Ratios) => r['switchyard-2w']?.vsWsSingle.handshakesPerSecond, min: 1 },
] as const;

// ---------------------------------------------------------------------------------------------
// One server's turn

interface Running extends ServerProcess {
  spec: ServerSpec;
}

async function startSpec(spec: ServerSpec, pin: boolean): Promise<Running> {
  return { spec, ...(await startServer(spec.id, spec.args, { core: pin ? 0 : null })) };
}

interface LoadRun {
  result: Record<string, any>;
  /** % of the machine's cores busy with processes we did not start, over the run. */
  othersPercent: number | null;
  /** % of one core used by the server's processes and by the generators, over the run. */
  cpuPercent: { server: number; generators: number };
  /** CPU seconds used over the run by the server's processes, and by its first (the master) alone. */
  serverCpuSeconds: { all: number; master: number; processes: number };
}

/** Runs a load script (pinned to core 1) against `server`; its last stdout line is the result. */
async function runLoad(script: string, flags: Record<string, string | number | boolean>, server: Running, pin: boolean, timeoutMs: number): Promise<LoadRun> {
  const argv = ['--import', 'tsx', `scripts/${script}`, '--port', String(server.port)];
  for (const [k, v] of Object.entries(flags)) {
    if (v === true) argv.push(`--${k}`);
    else if (v !== false) argv.push(`--${k}`, String(v));
  }
  const [command, full] = onCore(pin ? 1 : null, argv);
  const child = launch(command, full, { group: true });
  const serverPids = processTree(server.child.pid!);
  const ticksOf = (pids: number[]) => pids.reduce((a, p) => a + processTicks(p), 0);
  const server0 = ticksOf(serverPids);
  const master0 = processTicks(server.child.pid!);
  const machine0 = machineTicks();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  // Generators are the load script and its children; their ticks are read while they live.
  const generatorTicks = new Map<number, number>();
  const readGenerators = () => {
    for (const pid of processTree(child.pid!)) {
      const t = processTicks(pid);
      if (t > 0) generatorTicks.set(pid, t);
    }
  };
  const sampler = setInterval(readGenerators, 100);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    readGenerators();
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const timer = setTimeout(() => void stopGroup(child, 1000), timeoutMs);
  // 'close', not 'exit': 'exit' can come before stdout is drained, losing the result line.
  const code = await new Promise<number | null>((r) => {
    child.once('close', (c) => r(c));
    child.once('error', (err) => {
      stderr += err.message;
      r(null);
    });
  });
  clearTimeout(timer);
  clearInterval(sampler);
  const seconds = Math.max(1e-3, (performance.now() - t0) / 1000);
  const serverTicks = ticksOf(serverPids) - server0;
  const masterTicks = processTicks(server.child.pid!) - master0;
  const generators = [...generatorTicks.values()].reduce((a, b) => a + b, 0);
  const machine1 = machineTicks();
  const selfUsage = process.cpuUsage(self0);
  const selfTicks = ((selfUsage.user + selfUsage.system) / 1e6) * TICKS_PER_SECOND;
  const cpuPercent = { server: round((serverTicks / TICKS_PER_SECOND / seconds) * 100, 0), generators: round((generators / TICKS_PER_SECOND / seconds) * 100, 0) };
  const last = stdout.trim().split('\n').pop() ?? '';
  let result: Record<string, any> | null = null;
  try {
    result = JSON.parse(last) as Record<string, any>;
  } catch {
    result = null;
  }
  if (code !== 0 || result === null) throw new Error(`${script} ${JSON.stringify(flags)}: exit code ${code}\n${stderr.trim()}`);
  const total = machine1[1] - machine0[1];
  const othersPercent = total > 0 ? round(Math.max(0, ((machine1[0] - machine0[0] - serverTicks - generators - selfTicks) / total) * 100), 1) : null;
  const serverCpuSeconds = { all: serverTicks / TICKS_PER_SECOND, master: masterTicks / TICKS_PER_SECOND, processes: serverPids.length };
  return { result, othersPercent, cpuPercent, serverCpuSeconds };
}

function fmtUs(v: number | null): string {
  return v === null ? '—' : `${Math.round(v)} µs`;
}

interface Run {
  repeat: number;
  server: string;
  position: number;
  metrics: Partial<Record<MetricKey, number>>;
  /** Sweep: connection count → [messages/s, p99 ms]. */
  sweep: Record<number, [number, number]>;
  loads: Record<string, LoadRun>;
  superseded?: true;
  error?: string;
}

const OTHER_LOAD_LIMIT = 10;
const contended = (run: Run): string[] => Object.entries(run.loads).filter(([, l]) => (l.othersPercent ?? 0) > OTHER_LOAD_LIMIT).map(([k]) => k);

function echoFlags(connections: number, size: number, seconds: number): Record<string, string | number> {
  return { path: '/echo', connections, inflight: settings.echo.inflight, size, duration: seconds, warmup: 1, processes: connections >= 256 ? 2 : 1 };
}

async function measure(spec: ServerSpec, repeat: number, position: number, pin: boolean, withMemory: boolean, progress: (m: string) => void): Promise<Run> {
  const run: Run = { repeat, server: spec.id, position, metrics: {}, sweep: {}, loads: {} };
  let server: Running | undefined;
  try {
    server = await startSpec(spec, pin);
    progress(`${spec.id}: listening on ${server.port}`);
    // First, on the fresh server: after echo runs its heap has grown, and 'before' would not
    // be an idle server's figure.
    if (withMemory) {
      const mem = await runLoad(
        'load-connect.ts',
        { path: '/echo', mode: 'hold', connections: settings.memory.connections, settle: settings.memory.settleSeconds, concurrency: 200, addresses: 4 },
        server,
        pin,
        180_000,
      );
      run.loads.memory = mem;
      run.metrics.idleBytesPerConnection = Number(mem.result.memory?.bytesPerConnection);
      progress(`${spec.id}: ${fmtKiB(run.metrics.idleBytesPerConnection)} RSS per idle connection (${mem.result.connections} held)`);
    }
    const storm = { path: '/echo', mode: 'storm', concurrency: settings.storm.concurrency, addresses: settings.storm.addresses };
    await runLoad('load-connect.ts', { ...storm, connections: Math.min(1000, settings.storm.connections) }, server, pin, 90_000); // warm-up
    const hs = (run.loads.handshakes = await runLoad('load-connect.ts', { ...storm, connections: settings.storm.connections }, server, pin, 120_000));
    run.metrics.handshakesPerSecond = Number(hs.result.handshakesPerSecond);
    const opened = Number(hs.result.connections);
    if (opened > 0) {
      run.metrics.handshakeCpuUs = (hs.serverCpuSeconds.all * 1e6) / opened;
      if (hs.serverCpuSeconds.processes > 1) run.metrics.handoffCpuUs = (hs.serverCpuSeconds.master * 1e6) / opened;
    }
    if (Number(hs.result.failed) > 0) throw new Error(`${hs.result.failed} handshakes failed`);
    progress(`${spec.id}: ${fmtRate(run.metrics.handshakesPerSecond)} handshakes/s (others ${hs.othersPercent ?? '?'}%)`);

    for (const size of [32, 4096]) {
      const load = await runLoad('load-echo.ts', echoFlags(settings.echo.connections, size, settings.seconds), server, pin, (settings.seconds + 60) * 1000);
      run.loads[`echo${size}`] = load;
      const rate = Number(load.result.messagesPerSecond);
      const p99 = Number(load.result.latencyMs?.p99);
      if (size === 32) {
        run.metrics.echo32PerSecond = rate;
        run.metrics.echo32P99Ms = p99;
        run.sweep[settings.echo.connections] = [rate, p99];
      } else {
        run.metrics.echo4kPerSecond = rate;
        run.metrics.echo4kP99Ms = p99;
      }
      progress(`${spec.id}: echo ${size} B ${fmtRate(rate)} msg/s, p99 ${fmtMs(p99)} ms (others ${load.othersPercent ?? '?'}%)`);
    }
    for (const connections of settings.sweep) {
      if (connections === settings.echo.connections) continue;
      const seconds = Math.max(1, Math.min(settings.seconds, 3));
      const load = await runLoad('load-echo.ts', echoFlags(connections, 32, seconds), server, pin, (seconds + 60) * 1000);
      run.loads[`sweep${connections}`] = load;
      run.sweep[connections] = [Number(load.result.messagesPerSecond), Number(load.result.latencyMs?.p99)];
      progress(`${spec.id}: ${connections} connections: ${fmtRate(run.sweep[connections]![0])} msg/s, p99 ${fmtMs(run.sweep[connections]![1])} ms`);
    }
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`${spec.id} exited during the run\n${server.tail()}`);
    // Memory is a difference of two RSS readings: with few connections (--quick) GC noise can
    // outweigh it, so only the rates and latencies must be positive.
    for (const [k, v] of Object.entries(run.metrics)) if (k !== 'idleBytesPerConnection' && !((v ?? 0) > 0)) throw new Error(`${spec.id}: ${k} = ${v}`);
    if (!Number.isFinite(run.metrics.idleBytesPerConnection ?? 0)) throw new Error(`${spec.id}: no memory figure`);
  } catch (err) {
    run.error = (err as Error).message;
    progress(`${spec.id}: FAILED: ${run.error.split('\n')[0]}`);
  } finally {
    if (server) await stopGroup(server.child);
  }
  return run;
}

// ---------------------------------------------------------------------------------------------
// Summary

type Ratios = Record<string, Record<Baseline, Partial<Record<MetricKey, number | null>>>>;

function summarize(runs: Run[]) {
  const counted = runs.filter((r) => !r.error && !r.superseded);
  const medians: Record<string, Partial<Record<MetricKey, number | null>>> = {};
  const spread: Record<string, Partial<Record<MetricKey, number | null>>> = {};
  const sweep: Record<string, Record<number, { messagesPerSecond: number | null; p99Ms: number | null }>> = {};
  const ratios: Ratios = {};
  for (const spec of SERVERS) {
    const mine = counted.filter((r) => r.server === spec.id);
    medians[spec.id] = {};
    spread[spec.id] = {};
    for (const { key } of METRICS) {
      const xs = mine.map((r) => r.metrics[key]).filter((x): x is number => x !== undefined);
      const m = median(xs);
      medians[spec.id]![key] = m === null ? null : round(m, 3);
      spread[spec.id]![key] = m === null || xs.length < 2 ? null : round(((Math.max(...xs) - Math.min(...xs)) / m) * 100, 1);
    }
    sweep[spec.id] = {};
    for (const c of settings.sweep) {
      sweep[spec.id]![c] = {
        messagesPerSecond: median(mine.map((r) => r.sweep[c]?.[0]).filter((x): x is number => x !== undefined)),
        p99Ms: median(mine.map((r) => r.sweep[c]?.[1]).filter((x): x is number => x !== undefined)),
      };
    }
    ratios[spec.id] = { vsWsSingle: {}, vsWsCluster: {} };
    for (const [name, base] of Object.entries(BASELINES) as Array<[Baseline, string]>) {
      for (const { key } of METRICS) {
        const per: number[] = [];
        for (const r of mine) {
          // Memory is measured once per server: its ratio pairs whatever runs have it.
          const b = counted.find((x) => x.server === base && (key === 'idleBytesPerConnection' || x.repeat === r.repeat) && x.metrics[key] !== undefined);
          const a = r.metrics[key];
          if (b && a !== undefined) per.push(a / b.metrics[key]!);
        }
        const m = median(per);
        ratios[spec.id]![name][key] = m === null ? null : round(m, 2);
      }
    }
  }
  return { medians, spread, sweep, ratios };
}

function tables(s: ReturnType<typeof summarize>): { figures: string[][]; ratios: string[][]; sweep: string[][] } {
  const figures = [['server', ...METRICS.map((m) => m.label)]];
  for (const spec of SERVERS) figures.push([spec.label, ...METRICS.map((m) => m.fmt(s.medians[spec.id]![m.key] ?? null))]);
  const ratios = [['server', ...METRICS.flatMap((m) => [`${m.label}: vs ws`, 'vs ws cluster'])]];
  for (const spec of SERVERS) {
    const r = s.ratios[spec.id]!;
    ratios.push([spec.label, ...METRICS.flatMap((m) => [fmtRatio(r.vsWsSingle[m.key]), fmtRatio(r.vsWsCluster[m.key])])]);
  }
  const sweep = [['server', ...settings.sweep.map((c) => `${c} conns: msg/s · p99 ms`)]];
  for (const spec of SERVERS) sweep.push([spec.label, ...settings.sweep.map((c) => `${fmtRate(s.sweep[spec.id]![c]!.messagesPerSecond)} · ${fmtMs(s.sweep[spec.id]![c]!.p99Ms)}`)]);
  return { figures, ratios, sweep };
}

function chart(s: ReturnType<typeof summarize>): string {
  const series = (pick: (v: { messagesPerSecond: number | null; p99Ms: number | null }) => number | null): Series[] =>
    SERVERS.map((spec) => ({ name: spec.label, points: settings.sweep.map((c) => ({ x: c, y: pick(s.sweep[spec.id]![c]!) })) }));
  return lineChart(`Echo, 32 B, ${settings.echo.inflight} in flight per connection (server on one core)`, 'connections', [
    { title: 'Throughput', yLabel: 'messages/s', series: series((v) => v.messagesPerSecond) },
    { title: 'p99 latency', yLabel: 'ms', logY: true, series: series((v) => v.p99Ms) },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Main

/** % of all cores used by others over one second, while nothing of ours runs. */
async function othersLoad(): Promise<number | null> {
  const a = machineTicks();
  const self = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 1000));
  const b = machineTicks();
  const used = process.cpuUsage(self);
  if (b[1] <= a[1]) return null;
  return round(Math.max(0, (b[0] - a[0] - ((used.user + used.system) / 1e6) * TICKS_PER_SECOND) / (b[1] - a[1])) * 100, 1);
}

async function waitQuiet(progress: (m: string) => void): Promise<void> {
  const deadline = performance.now() + settings.maxWaitSeconds * 1000;
  let load = await othersLoad();
  if (load === null || load <= OTHER_LOAD_LIMIT) return;
  progress(`other processes use ${load}% of the cores: waiting up to ${settings.maxWaitSeconds} s for them`);
  while (performance.now() < deadline && load !== null && load > OTHER_LOAD_LIMIT) load = await othersLoad();
  progress(load !== null && load > OTHER_LOAD_LIMIT ? `still ${load}% busy with others: going on` : `quiet again (${load}%)`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const perTurn = 90 + 6 * settings.seconds + settings.maxWaitSeconds + 60;
  superviseScript('bench', 300 + 2 * settings.repeats * SERVERS.length * perTurn);
  const progress = progressLog();
  const pinProblem = pinningProblem();
  const pin = pinProblem === null;
  if (!pin) progress(`WARNING: running unpinned: ${pinProblem}; servers and generators share the cores`);
  else pinSelf(1); // this script (sampling, pipes) stays off the server's core

  const runs: Run[] = [];
  for (let repeat = 0; repeat < settings.repeats; repeat++) {
    const order = SERVERS.map((_, i) => SERVERS[(i + repeat) % SERVERS.length]!);
    progress(`repeat ${repeat + 1}/${settings.repeats}: ${order.map((o) => o.id).join(', ')}`);
    for (const [position, spec] of order.entries()) {
      for (let attempt = 0; attempt < 2; attempt++) {
        if (isAborting()) return;
        if (settings.maxWaitSeconds > 0) await waitQuiet((m) => progress(`  ${m}`));
        const run = await measure(spec, repeat, position, pin, repeat === 0, (m) => progress(`  ${m}`));
        runs.push(run);
        const spoilt = contended(run);
        if (settings.maxWaitSeconds === 0 || attempt === 1 || run.error || spoilt.length === 0) break;
        run.superseded = true;
        progress(`  ${spec.id}: contended by other processes (${spoilt.join(', ')}): running this turn once more`);
      }
    }
  }

  const summary = summarize(runs);
  const info = machineInfo(pin ? 'servers on core 0, generators on core 1 (taskset)' : `none (${pinProblem})`);
  const errors = runs.filter((r) => r.error).map((r) => `${r.server}#${r.repeat + 1}: ${r.error!.split('\n')[0]}`);
  const contendedRuns = runs.filter((r) => !r.superseded).flatMap((r) => contended(r).map((k) => `${r.server}#${r.repeat + 1} ${k}`));
  const targets: Array<{ id: string; target: string; ratio: number | null; met: boolean }> = TARGETS.map((t) => {
    const value = t.check(summary.ratios) ?? null;
    return { id: t.id, target: t.text, ratio: value, met: value !== null && value >= t.min };
  });
  const idle = summary.medians['switchyard-2w']?.idleBytesPerConnection ?? null;
  targets.push({ id: 'idleMemory', target: 'RSS per idle connection < 4 KiB', ratio: idle === null ? null : round(idle / 4096, 2), met: idle !== null && idle < 4096 });
  const { figures, ratios, sweep } = tables(summary);
  const durationSeconds = round((performance.now() - started) / 1000, 1);
  const how =
    `Handshakes: ${settings.storm.connections} connections, ${settings.storm.concurrency} at a time, from ${settings.storm.addresses} source addresses, each closed after its 101. ` +
    `Echo: ${settings.echo.connections} connections × ${settings.echo.inflight} messages in flight, binary, ${settings.seconds} s after 1 s of warm-up; p99 is the round trip. ` +
    `Sweep: 32 B echo at ${settings.sweep.join(', ')} connections. Memory: RSS of all the server's processes before and after ${settings.memory.connections} idle connections, after ${settings.memory.settleSeconds} s of settling, once per server. ` +
    `Every server pinned to core 0 (a cluster's processes share it), generators to core 1. Medians of ${settings.repeats} repeat(s), servers in rotated order; ratios are medians of per-repeat ratios.`;

  mkdirSync(settings.out, { recursive: true });
  const files = { json: join(settings.out, 'results.json'), md: join(settings.out, 'results.md'), svg: join(settings.out, 'results.svg') };
  writeFileSync(files.json, `${JSON.stringify({ machine: info, settings, servers: SERVERS, ...summary, targets, errors, contended: contendedRuns, durationSeconds, runs }, null, 2)}\n`);
  const targetLines = targets.map((t) => `- ${t.met ? 'met' : 'MISSED'}: ${t.target} (${t.id === 'idleMemory' ? fmtKiB(idle) : fmtRatio(t.ratio)})`).join('\n');
  writeFileSync(
    files.md,
    `# Benchmarks\n\n${info.date} · ${info.cpuModel} (${info.cpus} CPUs) · Node ${info.node} · ws ${info.ws} · commit ${info.commit} · pinning: ${info.pinning}\n\n${how}\n\n` +
      `${markdownTable(figures)}\n\nRatios (Switchyard ÷ peer; for p99 and memory lower is better):\n\n${markdownTable(ratios)}\n\n` +
      `Throughput and p99 by connection count (![chart](results.svg)):\n\n${markdownTable(sweep)}\n\nTargets:\n\n${targetLines}\n` +
      (contendedRuns.length ? `\nContended (other processes took > ${OTHER_LOAD_LIMIT}% of the cores): ${contendedRuns.join(', ')}\n` : '') +
      (errors.length ? `\nFailed runs:\n\n${errors.map((e) => `- ${e}`).join('\n')}\n` : ''),
  );
  writeFileSync(files.svg, chart(summary));

  const text =
    `${how}\n\n${textTable(figures)}\n\n${textTable(ratios)}\n\n${textTable(sweep)}\n\n${targetLines}\n` +
    (contendedRuns.length ? `\nWARNING: contended: ${contendedRuns.join(', ')}\n` : '') +
    (errors.length ? `\n${errors.length} run(s) failed:\n${errors.map((e) => `  ${e}`).join('\n')}\n` : '') +
    `\nwrote ${[files.json, files.md, files.svg].map((f) => relative(process.cwd(), f) || f).join(', ')} in ${durationSeconds} s`;
  const result = { event: 'bench', ok: errors.length === 0, pinned: pin, settings, medians: summary.medians, ratios: summary.ratios, sweep: summary.sweep, targets, errors, contended: contendedRuns, durationSeconds, files };
  finish(text, result, errors.length === 0 ? 0 : 1);
}

await main();
