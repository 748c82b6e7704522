/**
 * Secrets stay out of `ps`: the admin token and a Redis URL with a password never appear on a
 * worker's command line (/proc/<pid>/cmdline, readable by every local user), can come from a
 * file or the environment instead of a flag, and a flag gets a warning from the master.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { externalTool, killAll, runCli, startCli, type CliProcess } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';

const procfs = existsSync('/proc/self/cmdline');
const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sy-secrets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => killAll());

async function workerPids(cli: CliProcess): Promise<number[]> {
  const stats = (await (await fetch(`http://127.0.0.1:${cli.port}/stats`)).json()) as { workers: Array<{ pid: number; up: boolean }> };
  expect(stats.workers.every((w) => w.up)).toBe(true);
  return stats.workers.map((w) => w.pid);
}

/** POST /push/<an fd nobody holds> on a fresh connection (round-robin: the next worker). */
function push(port: number, token: string): Promise<{ code: number; worker?: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/push/${2 ** 20 * 5000}`, method: 'POST', agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ ...(JSON.parse(body) as { worker?: number }), code: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end('x');
  });
}

/** Every worker knows the token: two requests (round-robin) answered past the auth check, by
 * both workers (404: no such session), and a wrong token is refused. */
async function expectTokenEverywhere(cli: CliProcess, token: string): Promise<void> {
  const answers = [await push(cli.port, token), await push(cli.port, token)];
  expect(answers.map((a) => a.code)).toEqual([404, 404]);
  expect(answers.map((a) => a.worker).sort()).toEqual([0, 1]);
  expect((await push(cli.port, 'wrong')).code).toBe(401);
}

const warnings = (cli: CliProcess) => cli.logs().filter((e) => e.event === 'secret-on-command-line');
const base = ['--port', '0', '--workers', '2', '--dispatch-mode', '1'];

describe.skipIf(!procfs)('the admin token stays out of the command lines', () => {
  it('given as --admin-token: no worker has it on its command line; the master warns once; every worker accepts it', async () => {
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const cli = await startCli([...base, '--admin-token', token], 40_000);
    const pids = await workerPids(cli);
    expect(pids).toHaveLength(2);
    for (const pid of pids) {
      expect(cmdline(pid)).not.toContain(token);
      expect(cmdline(pid)).not.toContain('--admin-token');
    }
    // Our own command line is the user's: it shows what they typed, hence the warning.
    expect(cmdline(cli.proc.pid!)).toContain(token);
    expect(warnings(cli)).toEqual([expect.objectContaining({ role: 'master', level: 40, flag: '--admin-token' })]);
    expect(String(warnings(cli)[0]!.msg)).toContain('--admin-token-file');
    await expectTokenEverywhere(cli, token);
  }, 90_000);

  it('given as --admin-token-file: in no command line at all, no warning, every worker accepts it', async () => {
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 }); // `echo token > file`: the newline is not part of it
    const cli = await startCli([...base, '--admin-token-file', file], 40_000);
    for (const pid of [cli.proc.pid!, ...(await workerPids(cli))]) expect(cmdline(pid)).not.toContain(token);
    expect(warnings(cli)).toEqual([]);
    await expectTokenEverywhere(cli, token);
  }, 90_000);

  it('given as SWITCHYARD_ADMIN_TOKEN: no warning, every worker accepts it', async () => {
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const cli = await startCli(base, 40_000, { SWITCHYARD_ADMIN_TOKEN: token });
    for (const pid of [cli.proc.pid!, ...(await workerPids(cli))]) expect(cmdline(pid)).not.toContain(token);
    expect(warnings(cli)).toEqual([]);
    await expectTokenEverywhere(cli, token);
  }, 90_000);

  it.each([
    ['a missing file', () => join(dir, 'missing'), /^--admin-token-file: cannot read .*missing \(ENOENT\)$/],
    ['an empty file', () => (writeFileSync(join(dir, 'empty'), '\n'), join(dir, 'empty')), /^--admin-token-file: .*empty is empty$/],
    ['a directory', () => dir, /^--admin-token-file: cannot read .* \(EISDIR\)$/],
    ['two lines', () => (writeFileSync(join(dir, 'two'), 'a\nb\n'), join(dir, 'two')), /^--admin-token-file: .*two must hold the secret on its first and only line$/],
  ])('%s: exit 2 with one problem naming --admin-token-file', async (_what, path, says) => {
    const r = await runCli(['--port', '0', '--admin-token-file', path()]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).not.toContain('"event":"listening"');
    const problems = r.stderr.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(says);
  }, 30_000);

  it('the token and its file together: exit 2 naming both', async () => {
    const file = join(dir, 'both');
    writeFileSync(file, 'one');
    const r = await runCli(['--port', '0', '--admin-token', 'other', '--admin-token-file', file]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--admin-token-file and --admin-token: give only one of them');
  }, 30_000);
});

describe.runIf(procfs && redis.run)('a Redis URL with a password stays out of the workers\' command lines', () => {
  const cluster = `sy-test-secret-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  // Redis's default user has no password here: any password is accepted (nopass), so the URL
  // works and still carries a secret to keep out of ps.
  const url = (() => {
    const u = new URL(REDIS_URL);
    u.username = 'default';
    u.password = password;
    return u.href;
  })();
  afterAll(async () => {
    await deleteKeys(cluster);
  });

  const subscribed = (cli: CliProcess) => cli.logs().filter((e) => e.role === 'worker' && e.msg === 'redis bus subscribed').length;

  it('--redis with a password: the workers reach Redis without it on their command line; the master warns', async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const cli = await startCli([...base, '--redis', url, '--cluster-name', cluster], 40_000);
    for (const pid of await workerPids(cli)) {
      expect(cmdline(pid)).not.toContain(password);
      expect(cmdline(pid)).not.toContain('--redis ');
    }
    expect(subscribed(cli)).toBe(2);
    expect(warnings(cli)).toEqual([expect.objectContaining({ flag: '--redis' })]);
    expect(cli.lines.join('\n')).not.toContain(password); // nor in any log line
  }, 90_000);

  it('--redis-url-file: in no command line, no warning', async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const file = join(dir, 'redis-url');
    writeFileSync(file, `${url}\n`, { mode: 0o600 });
    const cli = await startCli([...base, '--redis-url-file', file, '--cluster-name', cluster], 40_000);
    for (const pid of [cli.proc.pid!, ...(await workerPids(cli))]) expect(cmdline(pid)).not.toContain(password);
    expect(subscribed(cli)).toBe(2);
    expect(warnings(cli)).toEqual([]);
  }, 90_000);
});
