/**
 * TLS benchmark: Switchyard serving wss:// (TLS ended in its workers) against `ws` on
 * `https.createServer` (one process, and node:cluster with the same worker count), in the same
 * run, servers taking turns, on the same generator (scripts/lib/tls-load.ts).
 *   npm run bench:tls -- [--repeats N] [--duration S] [--workers W] [--quick] [--out DIR]
 *
 * Per server: handshakes/s (full TLS 1.3 handshake + upgrade, closed after the 101; ECDSA P-256
 * certificate), CPU per handshake (every process of the server, /proc ticks over the storm),
 * and echo throughput and p99 at 32 B and 4 KiB (64 connections × 16 in flight). Servers on
 * core 0, the generator on core 1 (taskset), as `npm run bench`. Figures are medians over
 * repeats. Writes <out>/tls.json (default bench/; --quick: a temporary directory); the table
 * and one JSON line (last) on stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { onCore, pinningProblem, pinSelf, processTicks, processTree, TICKS_PER_SECOND } from './lib/cpu.ts';
import { ArgReader } from './lib/options.ts';
import { launch, ROOT, stopGroup, superviseScript } from './lib/processes.ts';
import { finish, fmtMs, fmtRate, machineInfo, median, progressLog, round, textTable, markdownTable } from './lib/report.ts';
import { startServer, SWITCHYARD_CLI, SWITCHYARD_NODE_ARGS, type ServerProcess } from './lib/switchyard.ts';

const USAGE = `npm run bench:tls -- [--repeats N] [--duration S] [--workers W] [--quick] [--out DIR]
  --repeats   turns per server (default 1)
  --duration  seconds per echo measurement (default 4; 1 with --quick)
  --workers   Switchyard's and ws node:cluster's worker count (default 2)
  --out       where tls.json goes (default bench/; with --quick a temporary directory)`;

const args = new ArgReader('bench:tls', USAGE, { repeats: { type: 'string' }, out: { type: 'string' } });
const common = args.common({ duration: 4, quickDuration: 1, maxDuration: 30 });
const quick = common.quick;
const settings = {
  repeats: args.number('repeats', 1, 1, 5),
  seconds: common.duration,
  workers: common.workers,
  quick,
  storm: quick ? { connections: 200, concurrency: 20 } : { connections: 3000, concurrency: 50 },
  echo: { connections: quick ? 16 : 64, inflight: 16 },
};
const outDir = args.values.out !== undefined ? resolve(String(args.values.out)) : quick ? mkdtempSync(join(tmpdir(), 'switchyard-bench-tls-')) : join(ROOT, 'bench');
if (common.port !== null) args.problems.push('--port: bench:tls starts every server itself (with its certificate)');
args.done();

/** A self-signed ECDSA P-256 certificate for localhost, made with openssl in a temporary directory. */
function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { cert, key };
}

interface Spec {
  id: string;
  label: string;
  args: (files: { cert: string; key: string }) => string[];
}

const W = settings.workers;
const SERVERS: Spec[] = [
  {
    id: `switchyard-${W}w`,
    label: `Switchyard wss, ${W} worker${W > 1 ? 's' : ''}`,
    args: (f) => [...SWITCHYARD_NODE_ARGS, SWITCHYARD_CLI, '--port', '0', '--workers', String(W), '--log-level', 'info', '--max-connection', '200000', '--ssl-cert-file', f.cert, '--ssl-key-file', f.key],
  },
  { id: 'ws-https-single', label: 'ws on https.createServer, one process', args: (f) => ['--import', 'tsx', 'scripts/peers/ws-tls.ts', '--port', '0', '--cert', f.cert, '--key', f.key] },
  { id: `ws-https-cluster-${W}w`, label: `ws on https.createServer, node:cluster ${W} workers`, args: (f) => ['--import', 'tsx', 'scripts/peers/ws-tls.ts', '--port', '0', '--cert', f.cert, '--key', f.key, '--workers', String(W)] },
];

interface Load {
  result: Record<string, any>;
  /** CPU seconds of every process of the server over the load. */
  serverCpuSeconds: number;
}

async function runLoad(flags: Record<string, string | number>, server: ServerProcess, pin: boolean, timeoutMs: number): Promise<Load> {
  const argv = ['--import', 'tsx', 'scripts/lib/tls-load.ts', '--port', String(server.port)];
  for (const [k, v] of Object.entries(flags)) argv.push(`--${k}`, String(v));
  const [command, full] = onCore(pin ? 1 : null, argv);
  const pids = processTree(server.child.pid!);
  const ticks = () => pids.reduce((a, p) => a + processTicks(p), 0);
  const before = ticks();
  const child = launch(command, full, { group: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const timer = setTimeout(() => void stopGroup(child, 1000), timeoutMs);
  const code = await new Promise<number | null>((r) => child.once('close', r));
  clearTimeout(timer);
  const serverCpuSeconds = (ticks() - before) / TICKS_PER_SECOND;
  const last = stdout.trim().split('\n').pop() ?? '';
  let result: Record<string, any> | null = null;
  try {
    result = JSON.parse(last) as Record<string, any>;
  } catch {
    result = null;
  }
  if (code !== 0 || result === null) throw new Error(`tls-load ${JSON.stringify(flags)}: exit code ${code}\n${stderr.trim()}`);
  return { result, serverCpuSeconds };
}

type Metrics = { handshakesPerSecond?: number; handshakeCpuUs?: number; echo32PerSecond?: number; echo32P99Ms?: number; echo4kPerSecond?: number; echo4kP99Ms?: number };
const METRICS: Array<{ key: keyof Metrics; label: string; fmt: (v: number | null) => string }> = [
  { key: 'handshakesPerSecond', label: 'TLS handshakes/s', fmt: fmtRate },
  { key: 'handshakeCpuUs', label: 'server CPU µs per handshake', fmt: (v) => (v === null ? 'n/a' : `${Math.round(v)} µs`) },
  { key: 'echo32PerSecond', label: 'echo 32 B msg/s', fmt: fmtRate },
  { key: 'echo32P99Ms', label: 'echo 32 B p99 ms', fmt: (v) => fmtMs(v) },
  { key: 'echo4kPerSecond', label: 'echo 4 KiB msg/s', fmt: fmtRate },
  { key: 'echo4kP99Ms', label: 'echo 4 KiB p99 ms', fmt: (v) => fmtMs(v) },
];

async function measure(spec: Spec, files: { cert: string; key: string }, pin: boolean, progress: (m: string) => void): Promise<{ server: string; metrics: Metrics; error?: string }> {
  const metrics: Metrics = {};
  let server: ServerProcess | undefined;
  try {
    server = await startServer(spec.id, spec.args(files), { core: pin ? 0 : null });
    const storm = { mode: 'storm', concurrency: settings.storm.concurrency };
    await runLoad({ ...storm, connections: Math.min(300, settings.storm.connections) }, server, pin, 60_000); // warm-up
    const hs = await runLoad({ ...storm, connections: settings.storm.connections }, server, pin, 90_000);
    if (Number(hs.result.failed) > 0) throw new Error(`${hs.result.failed} handshakes failed: ${JSON.stringify(hs.result.failures)}`);
    metrics.handshakesPerSecond = Number(hs.result.handshakesPerSecond);
    metrics.handshakeCpuUs = (hs.serverCpuSeconds * 1e6) / Number(hs.result.connections);
    progress(`${spec.id}: ${fmtRate(metrics.handshakesPerSecond)} handshakes/s, ${Math.round(metrics.handshakeCpuUs)} µs CPU each`);
    for (const size of [32, 4096]) {
      const e = await runLoad({ mode: 'echo', connections: settings.echo.connections, inflight: settings.echo.inflight, size, duration: settings.seconds }, server, pin, (settings.seconds + 30) * 1000);
      const rate = Number(e.result.messagesPerSecond);
      const p99 = Number(e.result.latencyMs?.p99);
      if (size === 32) [metrics.echo32PerSecond, metrics.echo32P99Ms] = [rate, p99];
      else [metrics.echo4kPerSecond, metrics.echo4kP99Ms] = [rate, p99];
      progress(`${spec.id}: echo ${size} B ${fmtRate(rate)} msg/s, p99 ${fmtMs(p99)} ms`);
    }
    for (const [k, v] of Object.entries(metrics)) if (!(v > 0)) throw new Error(`${k} = ${v}`);
    return { server: spec.id, metrics };
  } catch (err) {
    progress(`${spec.id}: FAILED: ${(err as Error).message.split('\n')[0]}`);
    return { server: spec.id, metrics, error: (err as Error).message };
  } finally {
    if (server) await stopGroup(server.child);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  superviseScript('bench:tls', 120 + settings.repeats * SERVERS.length * (120 + 2 * settings.seconds));
  const progress = progressLog();
  const pinProblem = pinningProblem();
  const pin = pinProblem === null;
  if (!pin) progress(`WARNING: running unpinned: ${pinProblem}`);
  else pinSelf(1);
  const certDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-tls-cert-'));
  const files = makeCertificate(certDir);
  const runs: Array<{ repeat: number; server: string; metrics: Metrics; error?: string; loadAverage: number[] }> = [];
  try {
    for (let repeat = 0; repeat < settings.repeats; repeat++) {
      const order = SERVERS.map((_, i) => SERVERS[(i + repeat) % SERVERS.length]!);
      progress(`repeat ${repeat + 1}/${settings.repeats}: ${order.map((s) => s.id).join(', ')}`);
      for (const spec of order) {
        const run = await measure(spec, files, pin, (m) => progress(`  ${m}`));
        // The machine's 1-minute load average after the turn: above the core count, other
        // processes were competing with the server or the generator.
        runs.push({ repeat, ...run, loadAverage: loadavg().map((x) => round(x, 1)) });
      }
    }
  } finally {
    rmSync(certDir, { recursive: true, force: true });
  }
  const medians: Record<string, Record<string, number | null>> = {};
  for (const spec of SERVERS) {
    medians[spec.id] = {};
    for (const { key } of METRICS) {
      const m = median(runs.filter((r) => r.server === spec.id && !r.error).map((r) => r.metrics[key]).filter((x): x is number => x !== undefined));
      medians[spec.id]![key] = m === null ? null : round(m, 3);
    }
  }
  const rows = [['server', ...METRICS.map((m) => m.label)], ...SERVERS.map((s) => [s.label, ...METRICS.map((m) => m.fmt(medians[s.id]![m.key] ?? null))])];
  const errors = runs.filter((r) => r.error).map((r) => `${r.server}#${r.repeat + 1}: ${r.error!.split('\n')[0]}`);
  const info = machineInfo(pin ? 'servers on core 0, generator on core 1 (taskset)' : `none (${pinProblem})`);
  const how =
    `TLS 1.3, ECDSA P-256 self-signed certificate, no session resumption. Handshakes: ${settings.storm.connections} connections, ${settings.storm.concurrency} at a time, TLS + upgrade, closed after the 101; CPU is every server process's user+system time over the storm per handshake. ` +
    `Echo: ${settings.echo.connections} connections × ${settings.echo.inflight} binary messages in flight, ${settings.seconds} s after 1 s of warm-up. Servers on core 0, generator (one process) on core 1. Medians of ${settings.repeats} repeat(s).`;
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'tls.json');
  const durationSeconds = round((performance.now() - started) / 1000, 1);
  writeFileSync(file, `${JSON.stringify({ machine: info, settings, how, servers: SERVERS.map(({ id, label }) => ({ id, label })), medians, errors, durationSeconds, runs }, null, 2)}\n`);
  const loads = runs.map((r) => r.loadAverage[0]!);
  const loadNote = `Load average (1 min) after each turn: ${loads.join(', ')} on ${info.cpus} CPUs${Math.max(...loads) > Number(info.cpus) ? ' (CONTENDED: other processes shared the cores)' : ''}.`;
  writeFileSync(join(outDir, 'tls.md'), `# TLS benchmark\n\n${info.date} · ${info.cpuModel} (${info.cpus} CPUs) · Node ${info.node} · commit ${info.commit}\n\n${how}\n\n${loadNote}\n\n${markdownTable(rows)}\n`);
  const text = `${how}\n${loadNote}\n\n${textTable(rows)}\n${errors.length ? `\n${errors.length} run(s) failed:\n${errors.map((e) => `  ${e}`).join('\n')}\n` : ''}\nwrote ${file} in ${durationSeconds} s`;
  finish(text, { event: 'bench-tls', ok: errors.length === 0, pinned: pin, settings, medians, loadAverages: loads, errors, durationSeconds, file }, errors.length === 0 ? 0 : 1);
}

await main();
