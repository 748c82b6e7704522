/**
 * Every process a load script starts, registered until it exits, so that the script ends
 * them all on the way out: normal end, error, SIGINT/SIGTERM, or its own time ceiling.
 * Servers get their own process group (their workers die with them); a group is signalled
 * even after its leader left, as workers can outlive their master.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep, until as waitUntil } from './wait.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const live = new Map<ChildProcess, { group: boolean }>();
const groups = new Set<number>();
let name = 'script';
let aborting = false;

export const isAborting = (): boolean => aborting;

/** Signals a process group; false when no member is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // no member left
  }
}

export function killEverything(signal: NodeJS.Signals): void {
  for (const [child, { group }] of live) {
    if (group || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
  for (const pgid of groups) if (!signalGroup(pgid, signal)) groups.delete(pgid);
}

const cleanups = new Set<() => Promise<unknown>>();

/** Runs `cleanup` (best effort, not awaited past the exit) if the script aborts; call the returned function once it is done anyway. */
export function atAbort(cleanup: () => Promise<unknown>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Stops every child (SIGTERM, SIGKILL after 2 s), runs the `atAbort` cleanups and exits with `code`. */
export function abort(why: string, code: number): void {
  if (aborting) return;
  aborting = true;
  process.exitCode = code;
  process.stderr.write(`\n${name}: ${why}; stopping every process started\n`);
  for (const cleanup of cleanups) void cleanup().catch(() => {});
  killEverything('SIGTERM');
  setTimeout(() => killEverything('SIGKILL'), 1500).unref();
  setTimeout(() => process.exit(code), 2500).unref();
  const poll = setInterval(() => live.size === 0 && groups.size === 0 && process.exit(code), 50);
  poll.unref();
}

/**
 * Names the script in messages, kills every child on exit and on signals, and aborts after
 * `ceilingSeconds` whatever happens: a load script must stop by itself.
 */
export function superviseScript(scriptName: string, ceilingSeconds: number): void {
  name = scriptName;
  process.once('exit', () => killEverything('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => abort(`got ${signal}`, 130));
  process.on('uncaughtException', (err) => abort(`internal error: ${err.stack ?? err.message}`, 1));
  process.on('unhandledRejection', (err) => abort(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 1));
  setTimeout(() => abort(`still running after ${ceilingSeconds} s (its ceiling)`, 1), ceilingSeconds * 1000).unref();
}

export interface LaunchOptions {
  /** Own process group (servers): killed as a group. */
  group?: boolean;
  env?: NodeJS.ProcessEnv;
  stdio?: SpawnOptions['stdio'];
}

export function launch(command: string, args: string[], opts: LaunchOptions = {}): ChildProcess {
  if (aborting) throw new Error('aborting: no new process');
  const group = opts.group === true;
  const child = spawn(command, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'], detached: group });
  live.set(child, { group });
  if (group && child.pid !== undefined) groups.add(child.pid);
  const forget = () => live.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

/** SIGTERM to a group, SIGKILL after `graceMs`; then SIGKILL to whatever is left of it. */
export async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    signalGroup(pgid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  // Workers leave shortly after their master; the rest are killed.
  for (let i = 0; i < 20 && signalGroup(pgid, 0); i++) await new Promise((r) => setTimeout(r, 50));
  signalGroup(pgid, 'SIGKILL');
  groups.delete(pgid);
}

/** Environment for servers: only the script's flags configure them. */
export function serverEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_') && k !== 'REDIS_URL'));
  return { ...env, ...extra };
}

/** Last lines of a child's output, for error messages. */
export function tailOf(child: ChildProcess, keep = 30): () => string {
  const lines: string[] = [];
  const add = (text: string) => {
    for (const line of text.split('\n')) if (line) lines.push(line);
    while (lines.length > keep) lines.shift();
  };
  child.stdout?.on('data', (d: Buffer) => add(d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => add(d.toString('utf8')));
  return () => lines.join('\n');
}

export { sleep };

/** Polls `ready` every 5 ms until it holds; throws after `ms`, or at once when the script aborts. */
export const until = (ready: () => boolean, ms: number, what: string): Promise<number> => waitUntil(ready, ms, what, isAborting);
