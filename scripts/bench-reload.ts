/**
 * What a zero-drop reload costs (issue 16):
 *   npx tsx scripts/bench-reload.ts -- [--connections 10000] [--out bench]
 *
 * A 2-worker server (dist/cli.js, test/fixtures/reload-app.mjs) holding N idle connections
 * (plus 20 probes that send a message every 20 ms and time the echo) is reloaded once with
 * `switchyard reload`. Reported: the reload's wall time, per slot the move's wall and CPU time
 * in the old worker (µs of CPU per connection), the probes' p99 round trip in the 3 s before
 * against during the reload, and the workers' RSS before (a fresh start holding the same
 * connections) and after (the new workers holding the moved ones). Writes <out>/reload.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({ options: { connections: { type: 'string', default: '10000' }, out: { type: 'string', default: 'bench' } } });
const N = Number(values.connections);
const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-reload-'));
writeFileSync(join(dir, 'version'), 'v1');
const pidFile = join(dir, 'pid');
const proc = spawn(process.execPath, ['dist/cli.js', '--port', '0', '--workers', '2', '--app', 'test/fixtures/reload-app.mjs', '--pid-file', pidFile, '--log-level', 'warn', '--max-connection', String(N + 1000)], {
  cwd: ROOT,
  env: { ...process.env, RELOAD_VERSION_FILE: join(dir, 'version') },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /"event":"listening"[^\n]*"port":(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  proc.once('exit', () => reject(new Error('server exited')));
});
const cli = (args: string[]): Promise<string> =>
  new Promise((resolve) => {
    const c = spawn(process.execPath, ['dist/cli.js', ...args, '--pid-file', pidFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('exit', () => resolve(out));
  });
const workerPids = async (): Promise<number[]> => (JSON.parse(await cli(['status'])) as { workers: Array<{ pid: number }> }).workers.map((w) => w.pid);
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const open = (): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
    ws.once('message', () => resolve(ws));
    ws.once('error', reject);
  });
const idle: WebSocket[] = [];
for (let i = 0; i < N; i += 500) idle.push(...(await Promise.all(Array.from({ length: Math.min(500, N - i) }, open))));
let closes = 0;
for (const ws of idle) ws.on('close', () => closes++);
// Probes: a message every 20 ms each, round trip timed.
const samples: Array<{ at: number; ms: number }> = [];
const probes = await Promise.all(Array.from({ length: 20 }, open));
const timers = probes.map((ws) => {
  let n = 0;
  const sentAt = new Map<number, number>();
  ws.on('message', (d: Buffer) => {
    const m = /^e:(\d+):/.exec(d.toString());
    if (m) samples.push({ at: Date.now(), ms: performance.now() - sentAt.get(Number(m[1]))! });
  });
  return setInterval(() => {
    sentAt.set(++n, performance.now());
    ws.send(`s:${n}`);
  }, 20);
});
await new Promise((r) => setTimeout(r, 3000));
const pidsBefore = await workerPids();
const rssBefore = pidsBefore.map(rssMb);
const steadyFrom = Date.now() - 3000;
writeFileSync(join(dir, 'version'), 'v2');
const t0 = Date.now();
const report = JSON.parse(await cli(['reload'])) as { ms: number; slots: Array<{ moved: number; failed: unknown[]; ms: number; cpuUs: number }> };
const t1 = Date.now();
await new Promise((r) => setTimeout(r, 3000));
const pidsAfter = await workerPids();
const rssAfter = pidsAfter.map(rssMb);
for (const t of timers) clearInterval(t);
const p99 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! * 100) / 100;
};
const result = {
  connections: N,
  workers: 2,
  reloadMs: t1 - t0,
  slots: report.slots.map((s) => ({ moved: s.moved, failed: s.failed.length, moveMs: Math.round(s.ms), cpuUsPerConnection: s.moved > 0 ? Math.round((s.cpuUs / s.moved) * 10) / 10 : null })),
  p99RoundTripMs: { steady: p99(samples.filter((s) => s.at >= steadyFrom && s.at < t0).map((s) => s.ms)), duringReload: p99(samples.filter((s) => s.at >= t0 && s.at <= t1 + 200).map((s) => s.ms)) },
  workerRssMb: { freshStart: rssBefore.map(Math.round), afterReload: rssAfter.map(Math.round) },
  clientCloses: closes,
  node: process.version,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(values.out!, { recursive: true });
writeFileSync(join(values.out!, 'reload.json'), `${JSON.stringify(result, null, 2)}\n`);
for (const ws of [...idle, ...probes]) ws.terminate();
proc.kill('SIGTERM');
