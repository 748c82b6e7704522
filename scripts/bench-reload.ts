/**
 * What a zero-drop reload costs (issue 16):
 *   npx tsx scripts/bench-reload.ts -- [--connections 10000] [--processes P] [--addresses K] [--out bench]
 *
 * A 2-worker server (dist/cli.js, test/fixtures/reload-app.mjs) holding N idle connections
 * (plus 20 probes that send a message every 20 ms and time the echo) is reloaded once with
 * `switchyard reload`. Reported: the reload's wall time, per slot the move's wall and CPU time
 * in the old worker and in the new one (µs of CPU per connection: each process's whole CPU
 * over its side of the move, the probes' traffic included), the probes' p99 round trip in the
 * 3 s before against during the reload, and the workers' RSS before (a fresh start holding the
 * same connections) and after (the new workers holding the moved ones). Writes <out>/reload.json.
 *
 * The idle connections come from load:connect's generators (lib/connect-fleet.ts): --processes
 * of them (default: one per 15,000, in this process when 1), from source addresses 127.0.0.2..
 * (--addresses, default one per 20,000), since a process may open 20,000 files here and one
 * address has ~28,000 ephemeral ports. Bounded: connect phase 60 s, whole run 170 s.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startGenerators } from './lib/connect-fleet.ts';
import { now } from './lib/connect-generator.ts';
import { splitEvenly } from './lib/connect-report.ts';
import { raiseOpenFiles } from './lib/limits.ts';
import { superviseScript } from './lib/processes.ts';

const { values } = parseArgs({ options: { connections: { type: 'string', default: '10000' }, processes: { type: 'string' }, addresses: { type: 'string' }, out: { type: 'string', default: 'bench' } } });
const N = Number(values.connections);
const P = values.processes ? Number(values.processes) : Math.max(1, Math.ceil(N / 15_000));
const addresses = Array.from({ length: values.addresses ? Number(values.addresses) : Math.max(1, Math.ceil(N / 20_000)) }, (_, i) => `127.0.0.${i + 2}`);
const CONNECT_SECONDS = 60;
superviseScript('bench-reload', 170);
const files = raiseOpenFiles(Math.ceil(N / P) + 200);
if (files.problem) throw new Error(`${files.problem}: give more --processes`);
const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-reload-'));
writeFileSync(join(dir, 'version'), 'v1');
const pidFile = join(dir, 'pid');
const proc = spawn(process.execPath, ['dist/cli.js', '--port', '0', '--workers', '2', '--app', 'test/fixtures/reload-app.mjs', '--pid-file', pidFile, '--log-level', 'warn', '--max-connection', String(N + 1000), '--max-pending-handshakes', '4096'], {
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
// The idle connections (whatever the server sends them is read and dropped; a close is counted).
const generators = await startGenerators(P);
const [portLow, portHigh] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number];
const shares = splitEvenly(N, P);
const lanes = splitEvenly(200, P);
const portStart = Math.floor(Math.random() * (portHigh - portLow + 1));
const go = now();
const opened = await Promise.all(
  generators.map((g, i) =>
    g.run({ host: '127.0.0.1', port, path: '/', mode: 'hold', count: shares[i]!, concurrency: lanes[i]!, addresses, addressOffset: i, ports: { low: portLow, high: portHigh, start: portStart, index: i, stride: P }, deadline: go + CONNECT_SECONDS * 1000 }),
  ),
);
const held = opened.reduce((n, r) => n + r.opened, 0);
if (held < N) throw new Error(`only ${held} of ${N} connections opened in ${CONNECT_SECONDS} s (failures: ${JSON.stringify(opened.map((r) => r.failures))})`);
const connectSeconds = Math.round(now() - go) / 1000;
const closes = (): number => generators.reduce((n, g) => n + g.counts().dropped, 0);
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
const report = JSON.parse(await cli(['reload'])) as { ms: number; slots: Array<{ moved: number; failed: unknown[]; ms: number; cpuUs: number; adoptMs?: number; adoptCpuUs?: number }> };
const t1 = Date.now();
await new Promise((r) => setTimeout(r, 3000));
const pidsAfter = await workerPids();
const rssAfter = pidsAfter.map(rssMb);
for (const t of timers) clearInterval(t);
const p99 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! * 100) / 100;
};
const perConnection = (us: number | undefined, moved: number): number | null => (us === undefined || moved === 0 ? null : Math.round((us / moved) * 10) / 10);
const result = {
  connections: N,
  workers: 2,
  generatorProcesses: P,
  sourceAddresses: addresses.length,
  connectSeconds,
  reloadMs: t1 - t0,
  slots: report.slots.map((s) => ({
    moved: s.moved,
    failed: s.failed.length,
    moveMs: Math.round(s.ms),
    cpuUsPerConnection: perConnection(s.cpuUs, s.moved),
    newWorkerMs: s.adoptMs === undefined ? null : Math.round(s.adoptMs),
    newWorkerCpuUsPerConnection: perConnection(s.adoptCpuUs, s.moved),
  })),
  p99RoundTripMs: { steady: p99(samples.filter((s) => s.at >= steadyFrom && s.at < t0).map((s) => s.ms)), duringReload: p99(samples.filter((s) => s.at >= t0 && s.at <= t1 + 200).map((s) => s.ms)) },
  workerRssMb: { freshStart: rssBefore.map(Math.round), afterReload: rssAfter.map(Math.round) },
  clientCloses: closes(),
  node: process.version,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(values.out!, { recursive: true });
writeFileSync(join(values.out!, N === 10_000 ? 'reload.json' : `reload-${N}.json`), `${JSON.stringify(result, null, 2)}\n`);
for (const ws of probes) ws.terminate();
proc.kill('SIGTERM');
process.exit(0);
