/** Figures and their presentation: medians, percentiles, tables, the machine, the last line. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './processes.ts';

export const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);

export function median(xs: number[]): number | null {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** The q-quantile (0..1) of ascending `sorted` values, NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export interface Percentiles {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Percentiles of latency samples in ms (sorts a copy). */
export function percentiles(samples: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  return { p50: round(quantile(sorted, 0.5)), p99: round(quantile(sorted, 0.99)), p999: round(quantile(sorted, 0.999)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

/** p50/p90/p99/p99.9/max of latency samples in ms (non-finite ones left out), null when none. */
export interface Pcts {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export function pcts(samples: ArrayLike<number>): Pcts | null {
  const v = Float64Array.from(samples).filter(Number.isFinite).sort();
  if (v.length === 0) return null;
  return { p50: round(quantile(v, 0.5)), p90: round(quantile(v, 0.9)), p99: round(quantile(v, 0.99)), p999: round(quantile(v, 0.999)), max: round(v[v.length - 1]!) };
}

/** Medians of percentile objects, key by key. */
export function medianPcts(xs: Array<Pcts | null>): Pcts | null {
  const v = xs.filter((x): x is Pcts => x !== null);
  if (v.length === 0) return null;
  const m = (k: keyof Pcts) => round(median(v.map((x) => x[k]))!);
  return { p50: m('p50'), p90: m('p90'), p99: m('p99'), p999: m('p999'), max: m('max') };
}

export const fmtRate = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : n >= 10_000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)} k` : String(Math.round(n));
/** Milliseconds: `digits` decimals below 10 ms, one above. */
export const fmtMs = (n: number | null | undefined, digits = 2): string => (n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(n < 10 ? digits : 1));
export const fmtRatio = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : `${n.toFixed(2)}×`);
export const fmtKiB = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : `${(bytes / 1024).toFixed(2)} KiB`);

export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(rows: string[][]): string {
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return [line(rows[0]!), `|${rows[0]!.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** Where the figures come from: machine, versions, commit, date, pinning. */
export function machineInfo(pinning: string): Record<string, string | number> {
  const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).stdout?.trim() ?? '';
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    node: process.version,
    os: `${process.platform} ${release()}`,
    ws: version('ws'),
    autocannon: version('autocannon'),
    commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--untracked-files=no']) ? ' + uncommitted changes' : ''),
    date: new Date().toISOString(),
    pinning,
  };
}

/** Progress lines on stderr, stamped with seconds since the script started. */
export function progressLog(): (msg: string) => void {
  const t0 = performance.now();
  return (msg) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
}

/** Prints the human summary, then the result as one JSON object on the last line, and exits. */
export function finish(summary: string, result: Record<string, unknown>, code: number): void {
  process.stdout.write(`\n${summary}\n\n${JSON.stringify(result)}\n`, () => process.exit(code));
}
