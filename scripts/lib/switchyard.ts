/**
 * The server under load: a Switchyard cluster this script starts (own process group, port 0,
 * the port read from its "listening" log line), or one already running on `--port`.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCore, processTree } from './cpu.ts';
import { JsonLog } from './json-log.ts';
import { launch, serverEnv, stopGroup, tailOf } from './processes.ts';

export interface Target {
  host: string;
  port: number;
  /** Null when the cluster was already running (--port). */
  child: ChildProcess | null;
  /** The master and its workers, now (a respawned worker has a new pid). */
  pids(): number[];
  /** Last lines of its output, for error messages. */
  tail(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  workers: number;
  /** App module (default: the built-in app, with /echo and /chat). */
  app?: string;
  dispatchMode?: number;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Pin the cluster to this core (forks inherit it); null: anywhere. */
  core?: number | null;
  /** Node flags for the master (its workers inherit them), e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** A JSON log line with this `event` and a `port` says it is listening. */
  readyEvent?: string;
  timeoutMs?: number;
}

/** Pids of the processes listening on `port` (ss from iproute2), and their descendants. */
function listeningPids(port: number): number[] {
  const r = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 5000 });
  const pids = new Set<number>();
  for (const m of (r.stdout ?? '').matchAll(/pid=(\d+)/g)) pids.add(Number(m[1]));
  return [...new Set([...pids].flatMap(processTree))];
}

export function attach(host: string, port: number): Target {
  return { host, port, child: null, pids: () => listeningPids(port), tail: () => '', stop: async () => {} };
}

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  tail: () => string;
}

/**
 * Starts `node nodeArgs` from the repository root in its own process group (on `core` if
 * given) and resolves once it logs a JSON line with `readyEvent` and its `port`: Switchyard's
 * master, a peer server (`ws`) the suite compares it with, or an app's own line
 * (bench-app-listening). Rejects, after killing it, if it exits first or takes too long.
 */
export async function startServer(label: string, nodeArgs: string[], o: { core?: number | null; env?: NodeJS.ProcessEnv; readyEvent?: string; timeoutMs?: number } = {}): Promise<ServerProcess> {
  if (nodeArgs.includes(SWITCHYARD_CLI)) buildCli();
  const readyEvent = o.readyEvent ?? 'listening';
  const [command, argv] = onCore(o.core ?? null, nodeArgs);
  const child = launch(command, argv, { group: true, env: serverEnv(o.env) });
  const tail = tailOf(child);
  const log = new JsonLog(child.stdout!, 200);
  let port: number;
  try {
    port = await log.port(child, o.timeoutMs ?? 30_000, readyEvent);
  } catch (err) {
    void stopGroup(child, 0);
    throw new Error(`${label}: ${(err as Error).message}\n${tail()}`);
  }
  return { port, child, tail };
}

/** The compiled command line, as `npm start` and the `switchyard` bin run it (relative to the repository root). */
export const SWITCHYARD_CLI = 'dist/cli.js';

let built = false;

/** Modification times of the files under `dir` (recursively) ending in `ext`. */
function mtimes(dir: string, ext: string): number[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => statSync(join(dir, f)).mtimeMs);
}

/**
 * Builds dist/ from src/ when a source is newer than the build (once per script run): a
 * benchmark measures the code as it is now, compiled as users run it. An up-to-date dist/ is
 * left alone: servers other processes are starting from it may be reading it.
 */
export function buildCli(): void {
  if (built) return;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  let fresh = false;
  try {
    fresh = Math.max(...mtimes(join(root, 'src'), '.ts')) <= Math.min(...mtimes(join(root, 'dist'), '.js'));
  } catch {
    // no dist/ yet
  }
  if (fresh) {
    built = true;
    return;
  }
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed: cannot start Switchyard');
  built = true;
}

/** The master's V8 flags as `npm start` gives them (package.json). */
export const SWITCHYARD_NODE_ARGS = ['--max-semi-space-size=1'];

export async function startSwitchyard(o: StartOptions): Promise<Target> {
  const args = [...SWITCHYARD_NODE_ARGS, ...(o.nodeArgs ?? []), SWITCHYARD_CLI, '--port', '0', '--workers', String(o.workers), '--log-level', 'info'];
  if (o.app) args.push('--app', o.app);
  if (o.dispatchMode !== undefined) args.push('--dispatch-mode', String(o.dispatchMode));
  args.push(...(o.args ?? []));
  const { port, child, tail } = await startServer('switchyard', args, o);
  return { host: '127.0.0.1', port, child, pids: () => processTree(child.pid!), tail, stop: () => stopGroup(child) };
}

/** `--port` given: that cluster; otherwise a new one. */
export function targetFor(common: { port: number | null; host: string; workers: number }, o: Omit<StartOptions, 'workers'> = {}): Promise<Target> {
  return common.port !== null ? Promise.resolve(attach(common.host, common.port)) : startSwitchyard({ ...o, workers: common.workers });
}
