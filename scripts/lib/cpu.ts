/**
 * CPU accounting from /proc (Linux; elsewhere zeros/null) and core pinning with taskset.
 * Load from processes a script did not start skews every figure: scripts report it.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ, the unit of /proc/stat and /proc/<pid>/stat on Linux. */
export const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in clock ticks (0 once it is gone). */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** A process and its descendants (a server's master and workers). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(' ').map(Number));
      }
    } catch {
      // not Linux, or gone
    }
  }
  return pids;
}

/** Busy and total ticks of all cores together (/proc/stat's first line; zeros elsewhere). */
export function machineTicks(): [number, number] {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return [total - (f[3] ?? 0) - (f[4] ?? 0), total];
  } catch {
    return [0, 0];
  }
}

/** Busy % of the whole machine over `ms`, whoever used it (null where /proc is missing). */
export async function machineBusy(ms: number): Promise<number | null> {
  const a = machineTicks();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineTicks();
  return b[1] > a[1] ? Math.round(((b[0] - a[0]) / (b[1] - a[1])) * 100) : null;
}

/**
 * % of one core used by each group of processes from now until the returned function is
 * called, plus `machine`: % of all cores busy, whoever used them.
 */
export function cpuSampler(groups: Record<string, number[]>): () => Record<string, number> {
  const t0 = performance.now();
  const m0 = machineTicks();
  const sum = (pids: number[]) => pids.reduce((a, p) => a + processTicks(p), 0);
  const start = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids)]));
  return () => {
    const seconds = Math.max(1e-3, (performance.now() - t0) / 1000);
    const m1 = machineTicks();
    const used = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, Math.round(((sum(pids) - start[k]!) / TICKS_PER_SECOND / seconds) * 100)]));
    return { ...used, machine: m1[1] > m0[1] ? Math.round(((m1[0] - m0[0]) / (m1[1] - m0[1])) * 100) : -1 };
  };
}

/** Why `taskset` pinning cannot be used here, or null when it can (present, permitted, 2+ cores). */
export function pinningProblem(): string | null {
  if (cpus().length < 2) return `only ${cpus().length} CPU`;
  const r = spawnSync('taskset', ['-c', '1', 'true'], { timeout: 5000 });
  if (r.error) return `taskset not usable (${r.error.message})`;
  return r.status === 0 ? null : `taskset -c 1 failed: ${r.stderr.toString().trim()}`;
}

/** The command line to run `node args` on `core` (null: anywhere). Forks inherit the pinning. */
export function onCore(core: number | null, args: string[]): [string, string[]] {
  return core === null ? [process.execPath, args] : ['taskset', ['-c', String(core), process.execPath, ...args]];
}

/** Pins this process (all its threads) to `core`. */
export function pinSelf(core: number): void {
  spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { timeout: 5000 });
}
