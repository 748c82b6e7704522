/**
 * The real command line: `node --import tsx src/cli.ts` in a child process on port 0, driven
 * by the `ws` client and fetch, configured only by flags.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { killAll, runCli, startCli, type CliProcess, type RunResult } from './helpers/process.ts';

function open(url: string, protocols?: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
}

/** A WebSocket handshake the server must refuse: its HTTP status, headers and body. */
function refusal(url: string, protocols?: string[]): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => {
      ws.terminate();
      reject(new Error(`${url}: handshake unexpectedly accepted`));
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (body += s));
      res.once('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
  });
}

/** The "  - problem" lines of a ConfigError on stderr. */
function problems(r: RunResult): string[] {
  return r.stderr.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.slice(4));
}

function listened(r: RunResult): boolean {
  return r.stdout.includes('"event":"listening"');
}

afterAll(() => killAll());

describe('CLI with the default app', () => {
  let cli: CliProcess;
  let base: string;
  beforeAll(async () => {
    cli = await startCli(['--port', '0', '--host', '127.0.0.1']);
    base = `127.0.0.1:${cli.port}`;
  });
  afterAll(() => cli?.stop('SIGKILL'));

  it('logs a JSON "listening" line with the port the kernel picked', () => {
    const listening = cli.logs().find((e) => e.event === 'listening');
    expect(listening).toMatchObject({ role: 'master', host: '127.0.0.1', port: cli.port });
    expect(cli.port).toBeGreaterThan(0);
  });

  it('echoes text and binary through /echo', async () => {
    const ws = await open(`ws://${base}/echo`);
    ws.send('héllo ✓');
    const text = await nextMessage(ws);
    expect(text).toMatchObject({ isBinary: false });
    expect(text.data.toString()).toBe('héllo ✓');
    ws.send(Buffer.from([0, 1, 2, 255]));
    const bin = await nextMessage(ws);
    expect(bin.isBinary).toBe(true);
    expect([...bin.data]).toEqual([0, 1, 2, 255]);
    const bye = closed(ws);
    ws.close(1000);
    expect((await bye).code).toBe(1000);
  });

  it('serves the echo page on GET /', async () => {
    const res = await fetch(`http://${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>Switchyard</title>');
    expect(html).toContain("'/echo'");
    expect((await fetch(`http://${base}/missing`)).status).toBe(404);
  });

  it('on SIGTERM closes clients with 1001 and exits 0', async () => {
    const ws = await open(`ws://${base}/echo`);
    const bye = closed(ws);
    const code = await cli.stop('SIGTERM');
    expect(await bye).toEqual({ code: 1001, reason: 'server shutdown' });
    expect(code).toBe(0);
    expect(cli.logs().some((e) => e.event === 'shutdown')).toBe(true);
    expect(cli.stderr()).toBe('');
  });
});

describe.concurrent('CLI refuses bad flags with exit code 2', () => {
  // --port 0 everywhere the port is not under test: a regression must not grab 9501.
  it.for([
    { args: ['--port', 'abc'], flag: '--port', says: /expected an integer, got "abc"/ },
    { args: ['--port', '70000'], flag: '--port', says: /70000 is out of range \[0, 65535\]/ },
    { args: ['--port', '0', '--log-level', 'loud'], flag: '--log-level', says: /expected one of fatal, .*got "loud"/ },
    { args: ['--port', '0', '--unknown-flag'], flag: '--unknown-flag', says: /unknown flag/ },
    { args: ['--port', '0', '--buffer-full-policy', 'x'], flag: '--buffer-full-policy', says: /expected one of drop, close, got "x"/ },
    { args: ['--port', '0', '--max-wait-time'], flag: '--max-wait-time', says: /missing value/ },
  ])('$args', async ({ args, flag, says }, { expect }) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(listened(r)).toBe(false);
    expect(r.stderr).toMatch(/^switchyard: invalid configuration:/);
    const [problem, ...more] = problems(r);
    expect(more).toEqual([]);
    expect(problem).toContain(flag);
    expect(problem).toMatch(says);
  });

  it('reports several bad flags together, one line each', async ({ expect }) => {
    const r = await runCli(['--port', '70000', '--log-level', 'loud', '--unknown-flag', '--buffer-full-policy', 'x', '--max-wait-time', '-1', '--websocket-compression=maybe']);
    expect(r.code, r.stderr).toBe(2);
    expect(listened(r)).toBe(false);
    const lines = problems(r);
    expect(lines).toHaveLength(6);
    for (const flag of ['--port', '--log-level', '--unknown-flag', '--buffer-full-policy', '--max-wait-time', '--websocket-compression']) {
      expect(lines.filter((l) => l.startsWith(`${flag}:`)), flag).toHaveLength(1);
    }
  });
});

describe('CLI with --app examples/custom-handshake.ts', () => {
  let cli: CliProcess;
  let base: string;
  beforeAll(async () => {
    cli = await startCli(['--port', '0', '--app', 'examples/custom-handshake.ts']);
    base = `ws://127.0.0.1:${cli.port}`;
  });
  afterAll(() => cli?.stop());

  it('answers 404 for another path', async () => {
    const r = await refusal(`${base}/other?token=secret`);
    expect(r.status).toBe(404);
    expect(r.body).toContain('unknown route');
  });

  it('answers 401 for a bad or missing token', async () => {
    const bad = await refusal(`${base}/chat?token=wrong`, ['chat.v2']);
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer');
    expect((await refusal(`${base}/chat`)).status).toBe(401);
  });

  it('accepts token=secret, picks chat.v2, sets the cookie and says hello', async () => {
    const ws = new WebSocket(`${base}/chat?token=secret`, ['chat.v1', 'chat.v2']);
    // The hello is pushed from `open`: it can arrive with the 101, so listen from the start.
    const messages: unknown[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString())));
    const upgrade = new Promise<Record<string, string | string[] | undefined>>((resolve) => ws.once('upgrade', (res) => resolve(res.headers)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const headers = await upgrade;
    expect(ws.protocol).toBe('chat.v2');
    expect(headers['sec-websocket-protocol']).toBe('chat.v2');
    expect(headers['set-cookie']).toEqual(['user=alice; HttpOnly']);
    await expect.poll(() => messages.length).toBeGreaterThanOrEqual(1);
    expect(messages[0]).toEqual({ hello: 'alice', protocol: 'chat.v2' });
    ws.send('hi');
    await expect.poll(() => messages.length).toBe(2);
    expect(messages[1]).toEqual({ from: 'alice', echo: 'hi' });
    const bye = closed(ws);
    ws.close(1000);
    expect((await bye).code).toBe(1000);
  });

  it('falls back to chat.v1 when only that is offered', async () => {
    const ws = await open(`${base}/chat?token=secret`, ['chat.v1']);
    expect(ws.protocol).toBe('chat.v1');
    ws.terminate();
  });
});

describe('CLI with an --app that has no default function', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-app-'));
    writeFileSync(join(dir, 'named-only.ts'), 'export function setup(): void {}\n');
    writeFileSync(join(dir, 'default-object.ts'), 'export default { on: true };\n');
  });
  afterEach(() => killAll());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['named-only.ts', 'default-object.ts'])('%s: exits 2 naming --app and what is expected', async (file) => {
    const path = join(dir, file);
    const r = await runCli(['--port', '0', '--app', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(listened(r)).toBe(false);
    expect(problems(r)).toEqual([`--app ${path}: the module must export a default function (server) => void`]);
  });

  it('a missing module exits 2 naming --app, without a stack trace', async () => {
    const path = join(dir, 'missing.ts');
    const r = await runCli(['--port', '0', '--app', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(problems(r)).toHaveLength(1);
    expect(problems(r)[0]).toMatch(new RegExp(`^--app ${path}: cannot load the module \\(ERR_MODULE_NOT_FOUND`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
