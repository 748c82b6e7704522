/**
 * Settings from objects: --config files (.json, .mjs, .ts) and an app's `settings` export, with
 * Swoole's snake_case names, in the documented precedence:
 * defaults < config file < app settings < environment < flags.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/cli/resolve-config.ts';
import { DEFAULT_CONFIG } from '../src/shared/config.ts';
import { closestSetting } from '../src/shared/config-sources.ts';
import { ConfigError } from '../src/shared/errors.ts';
import { killAll, runCli, startCli } from './helpers/process.ts';
import { until } from './helpers/server.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
});
afterAll(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config sources', () => {
  it('precedence: defaults < config file < app settings < environment < flags', async () => {
    const config = file('precedence.json', JSON.stringify({ port: 1111, workers: 2, package_max_length: 1000, heartbeat_idle_time: 10, max_wait_time: 1, log_level: 'warn' }));
    const app = file('precedence-app.mjs', 'export const settings = { port: 2222, worker_num: 3, packageMaxLength: 2000, heartbeat_idle_time: 20 };\nexport default function app() {}\n');
    const env = { SWITCHYARD_PORT: '3333', SWITCHYARD_WORKERS: '4' };
    const { config: c } = await resolveSettings(['--port', '4444', '--app', app], config, env);
    expect(c).toMatchObject({
      port: 4444, // flag over environment
      workers: 4, // environment over the app's settings
      packageMaxLength: 2000, // app settings over the file
      heartbeatIdleTime: 20,
      heartbeatCheckInterval: 10, // implied by the idle time, as in Swoole
      maxWaitTime: 1, // the file over the defaults
      logLevel: 'warn',
      bufferOutputSize: DEFAULT_CONFIG.bufferOutputSize, // nobody set it
    });
  });

  it("accepts a pasted Swoole set() array: snake_case names and Swoole's own", async () => {
    const swoole = {
      worker_num: 2,
      dispatch_mode: 4,
      heartbeat_idle_time: 60,
      heartbeat_check_interval: 15,
      package_max_length: 262144,
      buffer_output_size: 1048576,
      max_connection: 5000,
      max_wait_time: 5,
      open_websocket_close_frame: true,
      websocket_compression: false,
    };
    const { config: c } = await resolveSettings([], file('swoole.json', JSON.stringify(swoole)), {});
    expect(c).toMatchObject({
      workers: 2,
      dispatchMode: 4,
      heartbeatIdleTime: 60,
      heartbeatCheckInterval: 15,
      packageMaxLength: 262144,
      bufferOutputSize: 1048576,
      maxConnection: 5000,
      maxWaitTime: 5,
      openWebsocketCloseFrame: true,
      websocketCompression: false,
    });
    expect((await resolveSettings([], file('max-conn.json', '{"max_conn": 7}'), {})).config.maxConnection).toBe(7);
  });

  it('an unknown key is refused naming the key, the file and the closest setting', async () => {
    const path = file('typo.json', JSON.stringify({ worker_nums: 2, packageMaxLenght: 10, hearbeat_idle_time: 1 }));
    const problems = await problemsOf(resolveSettings([], path, {}));
    expect(problems).toEqual([
      `"worker_nums" in ${path}: unknown setting; the closest is "worker_num" (--workers)`,
      `"packageMaxLenght" in ${path}: unknown setting; the closest is "packageMaxLength" (--package-max-length)`,
      `"hearbeat_idle_time" in ${path}: unknown setting; the closest is "heartbeat_idle_time" (--heartbeat-idle-time)`,
    ]);
    expect(closestSetting('daemonize')).toBeTypeOf('string');
  });

  it('bad values name the key and the file; problems of every source come together', async () => {
    const path = file('bad.json', JSON.stringify({ worker_num: 'many', dispatch_mode: 9 }));
    const problems = await problemsOf(resolveSettings(['--port', 'x'], path, {}));
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^"worker_num" in ${path}: expected an integer, got "many"`)));
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^"dispatch_mode" in ${path}: expected 1 \\(round-robin\\)`)));
    expect(problems).toContainEqual(expect.stringMatching(/^--port: expected an integer/));
  });

  it('a setting named twice in one object, a non-object, and an app choosing the app are refused', async () => {
    const twice = file('twice.json', '{"workers": 2, "worker_num": 3}');
    expect(await problemsOf(resolveSettings([], twice, {}))).toEqual([`"worker_num" in ${twice}: the same setting as "workers" in ${twice}; give it once`]);
    const list = file('list.json', '[1, 2]');
    expect(await problemsOf(resolveSettings([], list, {}))).toEqual([`${list}: expected an object of settings, got an array`]);
    const app = file('self.mjs', "export const settings = { app: './other.mjs' };\nexport default function app() {}\n");
    expect((await problemsOf(resolveSettings(['--app', app], undefined, {})))[0]).toMatch(/"app" in the settings of .*self\.mjs: not allowed here/);
  });

  it('a module config file (default export); relative paths in it are relative to the file', async () => {
    mkdtempSync(join(dir, 'sub-'));
    const app = file('rel-app.mjs', 'export default function app() {}\n');
    const config = file('module-config.mjs', "export default { app: './rel-app.mjs', pid_file: 'run/sw.pid', worker_num: 1 };\n");
    const { config: c } = await resolveSettings([], config, {});
    expect(c).toMatchObject({ app, pidFile: join(dir, 'run/sw.pid'), workers: 1 });
  });

  it('an unreadable config file is one problem naming it', async () => {
    const broken = file('broken.json', '{ "workers": ');
    expect((await problemsOf(resolveSettings([], broken, {})))[0]).toMatch(new RegExp(`^--config ${broken}: cannot read the settings`));
    expect((await problemsOf(resolveSettings([], join(dir, 'absent.json'), {})))[0]).toMatch(/ENOENT/);
  });
});

describe('config sources through the compiled CLI', () => {
  it('a .ts config file and a .ts app exporting settings: the master runs with them', async () => {
    const config = file('switchyard.config.ts', "const settings: Record<string, unknown> = { worker_num: 1, dispatch_mode: 'round-robin' };\nexport default settings;\n");
    const app = file('typed-app.ts', "import type { AppHost } from '../../src/index.ts';\nexport const settings = { max_wait_time: 1 };\nexport default function app(server: AppHost): void {\n  server.on('start', (_s, info) => console.log(JSON.stringify({ event: 'app-start', workers: info.workers, wait: server.config.maxWaitTime })));\n}\n");
    // tsx compiles both files in the master and the worker: slow on a loaded machine.
    const cli = await startCli(['--config', config, '--app', app, '--port', '0'], 45_000);
    expect(cli.logs().find((e) => e.event === 'listening')).toMatchObject({ workers: 1, dispatchMode: 'round-robin' });
    // The worker's own line may come after the master's listening line (two processes' stdout).
    await until(() => cli.logs().some((e) => e.event === 'app-start'), 10_000, "the app's start line");
    expect(cli.logs().find((e) => e.event === 'app-start')).toEqual({ event: 'app-start', workers: 1, wait: 1 });
    expect(await cli.stop()).toBe(0);
  }, 60_000);

  it('an unknown key stops the start with exit code 2 and a message naming key, file and closest setting', async () => {
    const path = file('typo-cli.json', '{"worker_nun": 2}');
    const r = await runCli(['--config', path, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('"listening"');
    expect(r.stderr).toBe(`switchyard: invalid configuration:\n  - "worker_nun" in ${path}: unknown setting; the closest is "worker_num" (--workers)\n`);
  });
});
