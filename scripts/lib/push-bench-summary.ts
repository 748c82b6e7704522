/**
 * The figures of `npm run bench:push` from its runs: medians over repeats per scenario, the
 * ratios to same-worker, the targets, and the table and its explanation.
 */
import { cpus } from 'node:os';
import { windowFor, type RunResult } from './push-bench-run.ts';
import { fmtMs as fmtMs2, fmtRate, fmtRatio, median, round, textTable } from './report.ts';

/** Push latencies are well under a millisecond: three decimals. */
const fmtMs = (n: number | null): string => fmtMs2(n, 3);

export const SCENARIOS = [
  { id: 'same-worker', label: 'same worker' },
  { id: 'cross-worker', label: 'cross worker (embedded bus)' },
  { id: 'cross-node', label: 'cross node (Redis bus)' },
  /** With --bus-secret only: the same as cross-node, every bus message signed and checked. */
  { id: 'cross-node-signed', label: 'cross node, --bus-secret' },
] as const;
export type ScenarioId = (typeof SCENARIOS)[number]['id'];

/** The targets. */
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 5;

export interface ScenarioRun {
  scenario: ScenarioId;
  repeat: number;
  throughput: RunResult;
  latency: RunResult;
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

export interface SummarySettings {
  size: number;
  rate: number;
  targets: number;
  repeats: number;
  latencySeconds: number;
}

export function summarize(runs: ScenarioRun[], active: ReadonlyArray<(typeof SCENARIOS)[number]>, s: SummarySettings) {
  const medians: Partial<Record<ScenarioId, Medians>> = {};
  for (const sc of active) medians[sc.id] = mediansOf(runs.filter((r) => r.scenario === sc.id));
  const ratios = {
    crossWorkerVsSameWorker: ratio(runs, 'cross-worker', 'same-worker'),
    crossNodeVsSameWorker: ratio(runs, 'cross-node', 'same-worker'),
    /** What signing costs: cross-node throughput with the bus secret over without (same repeats). */
    signedVsPlainCrossNode: ratio(runs, 'cross-node-signed', 'cross-node'),
    /** What a push costs the workers in CPU, cross-worker over same-worker (medians). */
    serverCpuPerPushCrossWorkerVsSameWorker: cpuRatio(medians['cross-worker'], medians['same-worker']),
    serverCpuPerPushCrossNodeVsSameWorker: cpuRatio(medians['cross-node'], medians['same-worker']),
  };
  const p99 = medians['cross-worker']?.p99Ms ?? null;
  const targets = {
    throughputRatio: { want: `cross-worker / same-worker >= ${TARGET_RATIO}`, value: ratios.crossWorkerVsSameWorker, met: ratios.crossWorkerVsSameWorker === null ? null : ratios.crossWorkerVsSameWorker >= TARGET_RATIO },
    crossWorkerP99: { want: `p99 < ${TARGET_P99_MS} ms at ${s.rate} pushes/s`, valueMs: p99, met: p99 === null ? null : p99 < TARGET_P99_MS },
  };

  const rows = [['scenario', 'pushes/s (max)', 'vs same worker', `p50 ms @${s.rate}/s`, 'p99 ms', 'p99.9 ms', 'max ms', 'server CPU µs/push', 'CPU % driver/target/bench/redis', 'machine busy %']];
  for (const sc of active) {
    const m = medians[sc.id]!;
    const vs = sc.id === 'same-worker' ? 1 : sc.id === 'cross-worker' ? ratios.crossWorkerVsSameWorker : sc.id === 'cross-node' ? ratios.crossNodeVsSameWorker : ratio(runs, sc.id, 'same-worker');
    const c = m.cpuPercent;
    // Same worker: driver and target are one process (its CPU shows once).
    const cpu = [c.driver, sc.id === 'same-worker' ? null : c.target, c.bench, c.redis].map((x) => (x === null ? '-' : String(x))).join('/');
    rows.push([sc.label, fmtRate(m.pushesPerSecond), fmtRatio(vs), fmtMs(m.p50Ms), fmtMs(m.p99Ms), fmtMs(m.p999Ms), fmtMs(m.maxMs), m.serverCpuUsPerPush === null ? 'n/a' : m.serverCpuUsPerPush.toFixed(2), cpu, c.machine === null ? '-' : String(c.machine)]);
  }
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'MET' : 'MISSED');
  const targetLines = [
    ...(ratios.signedVsPlainCrossNode === null ? [] : [`cross-node throughput with --bus-secret / without: ${fmtRatio(ratios.signedVsPlainCrossNode)}`]),
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
  return { medians, ratios, targets, table: textTable(rows), targetLines, how };
}
