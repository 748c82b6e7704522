/** Resident memory of processes, from /proc/<pid>/status (Linux; 0 elsewhere). */
import { readFileSync } from 'node:fs';
import { processTree } from './cpu.ts';

/** VmRSS of one process in bytes (0 once it is gone). */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sum of the RSS of a process and its descendants (a server's master and workers). */
export function treeRssBytes(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + rssBytes(p), 0);
}
