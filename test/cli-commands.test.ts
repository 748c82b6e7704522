/**
 * The `switchyard` command as an operator uses it: --help and --version, the listening line at
 * every log level, start/stop/status with --pid-file, SIGHUP. The real compiled CLI, real
 * processes, real clients.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_CONFIG, envName, flagName, SETTING_KEYS, SETTINGS } from '../src/shared/config.ts';
import { killAll, ROOT, runCli, startCli } from './helpers/process.ts';
import { until } from './helpers/server.ts';

afterAll(() => killAll());

function open(url: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const closed = new Promise<number>((r) => ws.once('close', (code: number) => r(code)));
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('error', reject);
  });
}

async function echo(ws: WebSocket, text: string): Promise<string> {
  const reply = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
  ws.send(text);
  return reply;
}

describe('switchyard --help and --version', () => {
  it('--help lists every setting of the config table: flag, environment variable, default', async () => {
    const r = await runCli(['--help']);
    expect(r.code, r.stderr).toBe(0);
    for (const key of SETTING_KEYS) {
      const flag = SETTINGS[key].kind === 'bool' ? `--[no-]${flagName(key).slice(2)}` : flagName(key);
      const entry = r.stdout.slice(r.stdout.indexOf(`  ${flag}`));
      expect(r.stdout, key).toContain(`  ${flag}`);
      const block = entry.split('\n').slice(0, 3).join('\n');
      expect(block, key).toContain(`env ${envName(key)}`);
      if (key !== 'workers') expect(block, key).toContain(`default ${DEFAULT_CONFIG[key] === undefined ? 'unset' : String(DEFAULT_CONFIG[key])}`);
    }
    expect(r.stdout).toMatch(/switchyard stop --pid-file FILE/);
    expect(r.stdout).toMatch(/--config FILE/);
  });

  it('--version prints the package version, and nothing else', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('an unknown command exits 2 and names it', async () => {
    const r = await runCli(['restart', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "restart"/);
  });
});

describe('the listening line', () => {
  afterEach(() => killAll());
  it.for(['warn', 'silent'])('is printed with --log-level %s, with the bound port of --port 0', async (level) => {
    const cli = await startCli(['--port', '0', '--workers', '1', '--log-level', level]);
    const listening = cli.logs().filter((e) => e.event === 'listening');
    expect(listening).toHaveLength(1);
    expect(listening[0]).toMatchObject({ role: 'master', port: cli.port });
    // Nothing else at this level: the line is the one exception.
    expect(cli.logs().filter((e) => e.level === 30)).toHaveLength(1);
    const { ws } = await open(`ws://127.0.0.1:${cli.port}/echo`);
    expect(await echo(ws, 'up')).toBe('up');
    ws.terminate();
    expect(await cli.stop()).toBe(0);
  });
});

/** The top-level keys of a JSON object line, in order, duplicates kept (JSON.parse would drop them). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(line.slice(i + 1, j));
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',') {
      expectKey = depth === 1;
    }
  }
  return keys;
}

describe('log lines', () => {
  afterEach(() => killAll());
  it('no line of a cluster start and stop repeats a key', async () => {
    const cli = await startCli(['--port', '0', '--workers', '2', '--log-level', 'debug']);
    const { ws } = await open(`ws://127.0.0.1:${cli.port}/echo`);
    expect(await echo(ws, 'x')).toBe('x');
    ws.close();
    expect(await cli.stop()).toBe(0);
    expect(cli.lines.length).toBeGreaterThan(5);
    const repeated = cli.lines.filter((l) => l.startsWith('{')).filter((l) => new Set(topLevelKeys(l)).size !== topLevelKeys(l).length);
    expect(repeated).toEqual([]);
    expect(topLevelKeys('{"a":1,"b":{"a":2},"c":"x,\\"d\\":"}')).toEqual(['a', 'b', 'c']);
  });
});

describe('start, status and stop with --pid-file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-pid-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('status prints the figures, stop closes clients with 1001 and waits for the exit, then status says not running', async () => {
    const pidFile = join(dir, 'server.pid');
    const cli = await startCli(['--port', '0', '--workers', '2', '--pid-file', pidFile, '--max-wait-time', '1']);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(cli.proc.pid));
    const { ws, closed } = await open(`ws://127.0.0.1:${cli.port}/echo`);
    expect(await echo(ws, 'x')).toBe('x');

    const status = await runCli(['status', '--pid-file', pidFile]);
    expect(status.code, status.stderr).toBe(0);
    const figures = JSON.parse(status.stdout) as { pid: number; connections: number; workers: Array<{ up: boolean }> };
    expect(figures.pid).toBe(cli.proc.pid);
    expect(figures.connections).toBe(1);
    expect(figures.workers.map((w) => w.up)).toEqual([true, true]);

    // A second master on the same pid file refuses to start (exit 1), the first keeps serving.
    const second = await runCli(['--port', '0', '--workers', '1', '--pid-file', pidFile]);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(new RegExp(`pid ${cli.proc.pid} is running`));
    expect(await echo(ws, 'still')).toBe('still');

    const stop = await runCli(['stop', '--pid-file', pidFile]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toBe(`switchyard: stopped (pid ${cli.proc.pid})\n`);
    // stop returned only once the master had exited: its exit code is already there.
    expect(cli.proc.exitCode).toBe(0);
    expect(await closed).toBe(1001);
    expect(existsSync(pidFile)).toBe(false);
    expect(existsSync(`${pidFile}.sock`)).toBe(false);

    for (const verb of ['status', 'stop']) {
      const after = await runCli([verb, '--pid-file', pidFile]);
      expect(after.code, verb).toBe(1);
      expect(after.stderr, verb).toMatch(/not running/);
    }
  });

  it('status and stop without a pid file say what they need (exit 1)', async () => {
    const r = await runCli(['status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/need --pid-file FILE/);
  });
});

describe('SIGHUP', () => {
  afterEach(() => killAll());
  it('is logged and ignored: the cluster keeps serving the same connection, SIGTERM still stops it', async () => {
    const cli = await startCli(['--port', '0', '--workers', '2']);
    const { ws, closed } = await open(`ws://127.0.0.1:${cli.port}/echo`);
    expect(await echo(ws, 'before')).toBe('before');
    cli.proc.kill('SIGHUP');
    await until(() => cli.logs().some((e) => e.event === 'sighup'), 5000, 'the sighup log line');
    expect(cli.logs().find((e) => e.event === 'sighup')).toMatchObject({ role: 'master', level: 40 });
    expect(await echo(ws, 'after')).toBe('after');
    expect(cli.proc.exitCode).toBe(null);
    expect(await cli.stop('SIGTERM')).toBe(0);
    expect(await closed).toBe(1001);
  });
});
