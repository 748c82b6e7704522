/**
 * Open files: a process here may hold at most the hard limit (not raisable without
 * privileges); the soft limit can be raised to it. Scripts raise their own and their
 * children's soft limits, and say why when even the hard limit is too low.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface FileLimit {
  soft: number;
  hard: number;
}

export function openFileLimit(pid: number | 'self' = 'self'): FileLimit | null {
  try {
    const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    if (!m) return null;
    const n = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
    return { soft: n(m[1]!), hard: n(m[2]!) };
  } catch {
    return null;
  }
}

/**
 * Raises this process's soft limit to its hard limit (prlimit on itself). Returns the limit
 * now in force, and a problem when it is below `needed`.
 */
export function raiseOpenFiles(needed: number): { limit: number; problem: string | null } {
  const before = openFileLimit();
  if (before === null) return { limit: Infinity, problem: null }; // not Linux: nothing to read
  if (before.soft < before.hard) {
    const target = before.hard === Infinity ? 'unlimited' : String(before.hard);
    spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:`], { timeout: 5000 });
  }
  const after = openFileLimit() ?? before;
  const problem =
    after.soft >= needed
      ? null
      : `needs ${needed} open files per process but the limit is ${after.soft} (hard limit ${after.hard}${after.soft < after.hard ? '; prlimit failed to raise the soft one' : ', not raisable from here'})`;
  return { limit: after.soft, problem };
}
