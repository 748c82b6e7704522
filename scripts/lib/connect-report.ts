/** `load:connect`'s arithmetic and summary table (kept out of the script to keep it short). */
import type { Percentiles } from './report.ts';
import { fmtKiB, fmtMs, fmtRate } from './report.ts';

/** `n` split into `parts` integers differing by at most one, larger first. */
export function splitEvenly(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

export interface ProcessMemory {
  pid: number;
  role: 'master' | 'worker';
  /** Null: the process was not there at that reading (a respawned worker). */
  rssBeforeBytes: number | null;
  rssAfterBytes: number | null;
}

export interface SideMemory {
  rssBeforeBytes: number;
  rssAfterBytes: number;
  bytesPerConnection: number | null;
}

export interface SummaryFigures {
  mode: 'hold' | 'storm';
  total: number;
  connections: number;
  failed: number;
  failures: Record<string, number>;
  dropped: number;
  seconds: number;
  handshakesPerSecond: number;
  timeToAll: number | null;
  latencyMs: Percentiles;
  memory: (SideMemory & { heldWhenMeasured: number }) | null;
  generator: SideMemory & { inProcess: boolean };
  close: { clean: number; forced: number; seconds: number };
  workers: number;
  processes: number;
  addressCount: number;
}

export const fmtMiB = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / 1048576).toFixed(1)} MiB`);

/** Rows of the human summary: figure, value. */
export function summaryRows(f: SummaryFigures): string[][] {
  const failures = Object.entries(f.failures)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  const rows: string[][] = [
    ['figure', 'value'],
    ['connections opened', `${f.connections} of ${f.total}`],
    ['failed handshakes', f.failed === 0 ? '0' : `${f.failed} (${failures})`],
    ['handshakes/s', fmtRate(f.handshakesPerSecond)],
    ['connect phase', `${f.seconds.toFixed(2)} s`],
    ['time to all N', f.timeToAll === null ? 'n/a (not all opened)' : `${f.timeToAll.toFixed(2)} s`],
    ['latency p50 / p99 / max', `${fmtMs(f.latencyMs.p50)} / ${fmtMs(f.latencyMs.p99)} / ${fmtMs(f.latencyMs.max)} ms`],
    ['server workers', String(f.workers)],
    ['generator processes', `${f.processes}${f.generator.inProcess ? ' (this one)' : ''}, ${f.addressCount} source addresses`],
  ];
  if (f.memory) {
    rows.push(['server RSS before / after', `${fmtMiB(f.memory.rssBeforeBytes)} / ${fmtMiB(f.memory.rssAfterBytes)}`]);
    if (f.mode === 'hold') rows.push(['server memory per idle connection', `${fmtKiB(f.memory.bytesPerConnection)} (${f.memory.heldWhenMeasured} held)`]);
  } else rows.push(['server RSS', 'n/a (its processes were not found)']);
  rows.push(['generator RSS before / after', `${fmtMiB(f.generator.rssBeforeBytes)} / ${fmtMiB(f.generator.rssAfterBytes)}`]);
  if (f.mode === 'hold') {
    rows.push(['generator memory per connection', fmtKiB(f.generator.bytesPerConnection)]);
    rows.push(['dropped while held', String(f.dropped)]);
    rows.push(['closed cleanly / forced', `${f.close.clean} / ${f.close.forced} in ${f.close.seconds} s`]);
  }
  return rows;
}

/** Rows of the per-process table of the server's memory. */
export function processRows(processes: ProcessMemory[]): string[][] {
  const grew = (p: ProcessMemory) => (p.rssBeforeBytes === null || p.rssAfterBytes === null ? 'n/a' : fmtMiB(p.rssAfterBytes - p.rssBeforeBytes));
  return [['server process', 'pid', 'RSS before', 'RSS after', 'grew by'], ...processes.map((p) => [p.role, String(p.pid), fmtMiB(p.rssBeforeBytes), fmtMiB(p.rssAfterBytes), grew(p)])];
}
