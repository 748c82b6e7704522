import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { JsonLog } from '../../scripts/lib/json-log.ts';
import { ROOT, serverEnv } from '../../scripts/lib/processes.ts';

/** Repository root: the CLI is started from here so relative `--app` paths resolve as for a user. */
export { ROOT };

/** Every child the tests started and that has not exited yet; killed by `killAll` and on exit. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  // Last resort if a test file dies before its teardown: never leave a server behind.
  for (const child of live) child.kill('SIGKILL');
});

/** The environment for children: ours, minus SWITCHYARD_* and REDIS_URL so only the test's flags configure the server. */
const childEnv = serverEnv;

function track(child: ChildProcess): Promise<number | null> {
  live.add(child);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
    child.once('error', () => {
      // spawn failed (no such program): no 'exit' follows
      live.delete(child);
      resolve(null);
    });
  });
}

/** Kills every child still running and waits for them to go (SIGKILL after `graceMs`). */
export async function killAll(graceMs = 5000): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child, 'SIGTERM', graceMs)));
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface CliProcess {
  /** The port from the `"event":"listening"` log line. */
  port: number;
  proc: ChildProcess;
  /** stdout lines so far (pino JSON). */
  lines: string[];
  /** stderr so far. */
  stderr(): string;
  /** stdout lines that parse as JSON objects. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the exit code (null if a signal killed it) once the process has exited. */
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default), waits for the exit and returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The compiled command line, as users run it (`switchyard`, `npm start`): test/global-setup.ts
 * builds dist/ from src/ before any test runs, so it is the current code. TypeScript apps
 * (the fixtures) are loaded through tsx by the CLI itself.
 */
export const CLI = 'dist/cli.js';
const CLI_ARGS = [CLI];

/**
 * Starts the real CLI (`node dist/cli.js ...args`) and resolves once it has logged
 * `"event":"listening"`. Rejects (after killing it) if it exits first or does not listen within
 * `timeoutMs`; the error carries its stdout and stderr.
 */
export async function startCli(args: string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<CliProcess> {
  const proc = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = track(proc);
  const log = new JsonLog(proc.stdout!);
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  let port: number;
  try {
    port = await log.port(proc, timeoutMs);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`switchyard ${args.join(' ')}: ${(err as Error).message}\nstdout:\n${log.lines.join('\n')}\nstderr:\n${stderr}`);
  }
  return {
    port,
    proc,
    lines: log.lines,
    exited,
    stderr: () => stderr,
    logs: () => log.entries.map((x) => x.e),
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      await stopChild(proc, signal, 10_000);
      return exited;
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (killed after `timeoutMs`) and collects its output. */
export async function run(command: string, args: string[], timeoutMs = 15_000): Promise<RunResult> {
  const child = spawn(command, args, { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = track(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const timer = setTimeout(() => {
    stderr += `\n[test harness: killed after ${timeoutMs} ms]`;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  if (spawnError) throw spawnError;
  // 'exit' can fire before the pipes are drained; 'close' means both streams ended.
  if (child.stdout!.readable || child.stderr!.readable) await new Promise((r) => child.once('close', r));
  return { code, signal: child.signalCode, stdout, stderr };
}

/** Runs the CLI with `args` until it exits (for flags that must be refused). */
export function runCli(args: string[], timeoutMs = 15_000): Promise<RunResult> {
  return run(process.execPath, [...CLI_ARGS, ...args], timeoutMs);
}

export interface ExternalTool {
  /** Whether the tests can run: the tool is present, or CI=true (where its absence must fail). */
  run: boolean;
  available: boolean;
  /** Why it is unavailable (for the failure under CI). */
  problem: string | null;
}

/**
 * The project's rule for tests that drive an external program (Chromium, Python): without it
 * they are skipped with a loud warning, except under CI=true, where they run and fail.
 * `probe` returns null when usable, otherwise what is missing.
 */
export function externalTool(name: string, probe: () => string | null, installHint: string): ExternalTool {
  const problem = probe();
  const ci = process.env.CI === 'true';
  if (problem !== null && !ci) {
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! SKIPPING ${name} tests: ${problem}\n!! ${installHint}\n!! (under CI=true these tests fail instead)\n${bar}\n`);
  }
  return { run: problem === null || ci, available: problem === null, problem: problem === null ? null : `${problem} (${installHint})` };
}

/** Probe: an executable file at `path`. */
export function executable(path: string): () => string | null {
  return () => (existsSync(path) ? null : `${path} not found`);
}

/** Probe: `python` can import `module`. */
export function pythonModule(python: string, module: string): () => string | null {
  return () => {
    if (!existsSync(python)) return `${python} not found`;
    const r = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 ? null : `${python} cannot import ${module}: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`;
  };
}

/**
 * Runs `npm run <script> -- ...args` in its own process group (npm → tsx → node), so that on
 * timeout the whole chain gets SIGTERM (a benchmark then stops what it started) and, 5 s later,
 * SIGKILL. For the benchmark smoke tests.
 */
export function runNpmScript(script: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  const term = setTimeout(() => {
    stderr += `\n[test: SIGTERM after ${timeoutMs} ms]`;
    signal('SIGTERM');
  }, timeoutMs);
  const kill = setTimeout(() => signal('SIGKILL'), timeoutMs + 5000);
  return new Promise((resolve) => {
    child.once('close', (code, sig) => {
      live.delete(child);
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

/** A finite, positive number (benchmark figures: their sizes are not tested, only sanity). */
export function isPositiveNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Whether a process with this pid still exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
