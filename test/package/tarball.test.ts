/**
 * Switchyard as a user gets it: `npm pack`, the tarball installed into a fresh project (see
 * consumer.ts), then (a) a plain .mjs program that imports { Server } from 'switchyard' serves;
 * (b) a strict TypeScript consumer (skipLibCheck: false) type-checks an app using the public
 * types, every ```ts snippet of the README type-checks against the package, and a deliberate
 * misuse does not; (c) `npx switchyard --app ./app.mjs --port 0 --workers 2` serves that app.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { JsonLog } from '../../scripts/lib/json-log.ts';
import { ROOT } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';
import { makeConsumer, userEnv } from './consumer.ts';

const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
let dir: string;
const children: ChildProcess[] = [];
const pids: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-consumer-'));
  const { offline } = makeConsumer(dir);
  if (!offline) console.warn('tarball test: npm\'s cache lacked a package; installed with --prefer-offline');
}, 300_000);

afterAll(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited
    }
  }
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Runs `command` in the consumer project until it prints a JSON line with `event: listening`. */
async function serve(command: string, args: string[]): Promise<{ port: number; pid: number; child: ChildProcess; lines: string[] }> {
  const child = spawn(command, args, { cwd: dir, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const log = new JsonLog(child.stdout!);
  const lines = log.lines;
  const found = await log.waitFor((e) => e.event === 'listening' && typeof e.port === 'number', child, 30_000, 'listening').catch(() => null);
  if (!found) throw new Error(`${command} ${args.join(' ')} did not listen:\n${lines.join('\n')}\n${stderr}`);
  const port = found.port as number;
  const pid = typeof found.pid === 'number' ? found.pid : child.pid!;
  pids.push(pid);
  return { port, pid, child, lines };
}

function connect(port: number, path = '/'): Promise<{ ws: WebSocket; messages: string[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    const messages: string[] = [];
    ws.on('message', (d: Buffer) => messages.push(d.toString()));
    const closed = new Promise<number>((r) => ws.once('close', (code: number) => r(code)));
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('error', reject);
  });
}

function tsc(project: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [TSC, '-p', project], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const TSCONFIG = (files: string[]) =>
  JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, types: ['node'] }, files });

describe('the packed tarball in a fresh project', () => {
  it('(a) a plain .mjs program imports { Server } from "switchyard" and serves', async () => {
    write(
      'embed.mjs',
      `import { Server } from 'switchyard';
const server = new Server({ port: 0, logLevel: 'silent' });
server.on('message', (srv, frame) => { srv.push(frame.fd, 'embedded: ' + frame.data); });
const { port } = await server.listen();
console.log(JSON.stringify({ event: 'listening', port, pid: process.pid }));
process.on('SIGTERM', () => void server.shutdown().then(() => process.exit(0)));
`,
    );
    const { port, child } = await serve(process.execPath, ['embed.mjs']);
    const { ws, messages, closed } = await connect(port);
    ws.send('hi');
    await until(() => messages.length === 1, 5000, 'the echo');
    expect(messages).toEqual(['embedded: hi']);
    child.kill('SIGTERM');
    expect(await closed).toBe(1001);
  });

  it('(b) a strict TypeScript app using the public types type-checks, and so does every README snippet', () => {
    const app = write(
      'app.ts',
      `import { CloseCode, Server, type AppHost, type AppSettings, type CloseInfo, type Frame, type HandshakeRequest, type PushAsyncOutcome, type PushOutcome } from 'switchyard';

export const settings: AppSettings = { worker_num: 2, heartbeat_idle_time: 60, dispatchMode: 8, packageMaxLength: 256 * 1024 };

export default function app(server: AppHost): void {
  server.on('handshake', async (request: HandshakeRequest, response) => {
    if (request.path !== '/chat') return void response.status(404).end('no such room');
    response.header('Set-Cookie', 'seen=1');
  });
  server.on('open', (srv, request) => {
    srv.join(request.fd, 'lobby');
    srv.push(request.fd, 'welcome');
  });
  server.on('message', async (srv, frame: Frame) => {
    const status: PushOutcome = srv.pushStatus(frame.fd, frame.data);
    const later: PushAsyncOutcome = await srv.pushAsync(frame.fd, 'ack');
    srv.to('lobby').except(frame.fd).push(String(frame.fd) + ': ' + status + ' ' + later);
  });
  server.on('close', (srv, fd: number, info: CloseInfo) => {
    if (info.code !== CloseCode.Normal) srv.to('lobby').push(String(fd) + ' left');
  });
}

export const embedded = new Server({ port: 0, heartbeatIdleTime: 30 });
`,
    );
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    const files = [app, ...snippets.map((s, i) => write(`readme/snippet-${i + 1}.ts`, s))];
    write('tsconfig.json', TSCONFIG(files));
    const r = tsc('tsconfig.json');
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('(b) a deliberate misuse of the API does not type-check', () => {
    const misuse = write(
      'misuse.ts',
      `import { Server } from 'switchyard';
const server = new Server({ port: '9501' });
server.push('fd-1', 'hello');
server.on('mesage', () => {});
`,
    );
    write('tsconfig.misuse.json', TSCONFIG([misuse]));
    const r = tsc('tsconfig.misuse.json');
    expect(r.code).not.toBe(0);
    const errors = r.out.split('\n').filter((l) => l.startsWith('misuse.ts('));
    expect(errors.map((l) => /^misuse\.ts\((\d+),\d+\): error (TS\d+)/.exec(l)?.slice(1, 3))).toEqual([
      ['2', 'TS2322'], // port: string
      ['3', 'TS2345'], // fd: string
      ['4', 'TS2345'], // no such event
    ]);
  });

  it('(c) npx switchyard --app ./app.mjs --port 0 --workers 2 serves the app from both workers', async () => {
    write(
      'cluster-app.mjs',
      `export default function app(server) {
  server.on('open', (srv, request) => { srv.push(request.fd, JSON.stringify({ worker: srv.workerId, pid: process.pid })); });
  server.on('message', (srv, frame) => { srv.push(frame.fd, frame.data); });
}
`,
    );
    const { port, pid } = await serve('npx', ['switchyard', '--app', './cluster-app.mjs', '--port', '0', '--workers', '2']);
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect(port)));
    await until(() => clients.every((c) => c.messages.length === 1), 5000, 'every hello');
    const workers = new Set(clients.map((c) => (JSON.parse(c.messages[0]!) as { pid: number }).pid));
    expect(workers.size).toBe(2);
    clients[0]!.ws.send('ping');
    await until(() => clients[0]!.messages.length === 2, 5000, 'the echo');
    expect(clients[0]!.messages[1]).toBe('ping');
    process.kill(pid, 'SIGTERM');
    expect(await Promise.all(clients.map((c) => c.closed))).toEqual(Array(6).fill(1001));
  });

  it('the bin answers --version, and a TypeScript app without tsx installed says what to install (exit 2)', () => {
    const version = spawnSync('npx', ['switchyard', '--version'], { cwd: dir, env: userEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    write('typed.ts', 'export default function app(): void {}\n');
    const r = spawnSync('npx', ['switchyard', '--app', './typed.ts', '--port', '0'], { cwd: dir, env: userEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--app \.\/typed\.ts: loading a TypeScript file needs a TypeScript loader: install tsx beside your app \(npm install --save-dev tsx\)/);
  });
});
