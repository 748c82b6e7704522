/**
 * `npm run load:echo`: WebSocket echo load. C connections, W messages in flight on each, S
 * bytes per message, for T seconds after a warm-up; messages/s, MB/s, latency, CPU.
 *
 *   npm run load:echo -- [--connections 64] [--inflight 16] [--size 32] [--type binary|text]
 *                        [--deflate] [--processes 2] [--path /echo] [--duration 5] [--warmup 1]
 *                        [--port P | --workers 2] [--host 127.0.0.1] [--pin] [--quick]
 *                        [--cpu-prof DIR]
 *
 * Starts its own Switchyard cluster (`--workers`) unless given `--port` of a running server.
 * A coordinator (this process) starts `--processes` generator processes
 * (scripts/lib/echo-generator.ts, IPC for control and results) and splits the connections
 * among them, so that the generator is not what limits the rate. Each generator uses raw
 * sockets and one prebuilt buffer of W masked frames: every reply read re-sends as many
 * (scripts/lib/echo-connection.ts says how replies are counted, timed and verified).
 * `--deflate` offers permessage-deflate and sends every message compressed (the payload is
 * compressed once, frames carry RSV1); replies come compressed or not, as the server decides.
 * `--pin`: server on core 0, generators (and this process) on core 1, when taskset works; the
 * output says when pinning was asked for but is unavailable. `--seconds` is `--duration`.
 * `--cpu-prof DIR`: each generator process writes a V8 CPU profile there (node --cpu-prof).
 *
 * Figures, from the measured window only:
 *   messages/s   replies received per second (each one message sent and echoed)
 *   MB/s         payload bytes per second in one direction (10^6 bytes; as much comes back),
 *                uncompressed size
 *   latency      from the write of a batch to the read of each reply, ms (log-linear
 *                histogram, ~0.2 % resolution)
 *   CPU          % of one core: generators from their own rusage over the window; server
 *                (its master and workers) and the whole machine from /proc (cpuSampler)
 *   capacity     messages/s ÷ the generators' CPU in cores: what the generator could drive
 *                with one core to itself
 *
 * Last stdout line, one JSON object:
 *   { event: 'load-echo', ok, settings: {connections, inflight, size, type, deflate, processes,
 *     path, duration, warmup, cpuProf, quick, pin, workers, host, port},
 *     server: {startedHere, port}, pinning, connectionsOpen, seconds, messages,
 *     messagesPerSecond, mbPerSecond, latencyMs: {p50, p99, p999, max},
 *     cpuPercent: {generators, server, machine}, generatorCapacityPerCore,
 *     replies: {verified, compressed, perRead, perWrite}, errors: string[], machine }
 * replies.verified: replies whose payload was compared with the message sent (a sample, ~7 %
 * with the defaults; every reply's header is checked); perRead / perWrite: replies per read
 * and messages per write (at most --inflight: each write is one syscall).
 * `messagesPerSecond` and `latencyMs` are what scripts/bench.ts reads. `ok` is false
 * (and the exit code 1) when any error happened or no reply was measured; errors are refused
 * handshakes, closed connections, wrong replies, each kind with its count and first case.
 * Exit code 2: bad flags. Loopback only; bounded in time; every process started is ended.
 */
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromGenerator, GeneratorResult, GeneratorSettings, ToGenerator } from './lib/echo-generator.ts';
import { cpuSampler, onCore, pinningProblem, pinSelf } from './lib/cpu.ts';
import { serverFrameLength } from './lib/frames.ts';
import { LatencyHistogram } from './lib/latency-histogram.ts';
import { raiseOpenFiles } from './lib/limits.ts';
import { ArgReader } from './lib/options.ts';
import { abort, launch, sleep, superviseScript, until } from './lib/processes.ts';
import { finish, fmtMs, fmtRate, machineInfo, progressLog, round, textTable } from './lib/report.ts';
import { targetFor } from './lib/switchyard.ts';

const NAME = 'load:echo';
const GENERATOR = fileURLToPath(new URL('./lib/echo-generator.ts', import.meta.url));
const USAGE = `usage: npm run load:echo -- [--connections 64] [--inflight 16] [--size 32] [--type binary|text]
       [--deflate] [--processes 2] [--path /echo] [--duration 5 | --seconds 5] [--warmup 1]
       [--port P | --workers 2] [--host 127.0.0.1] [--pin] [--quick] [--cpu-prof DIR]`;
/** Connections per run: below one source address's ephemeral ports and the 20,000 open files a process may hold. */
const MAX_CONNECTIONS = 10_000;
/** Bytes of one prebuilt batch (W frames) per generator. */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;

// ---- settings ---------------------------------------------------------------------------------

const args = new ArgReader(NAME, USAGE, {
  connections: { type: 'string' },
  inflight: { type: 'string' },
  size: { type: 'string' },
  type: { type: 'string' },
  deflate: { type: 'boolean' },
  processes: { type: 'string' },
  path: { type: 'string' },
  warmup: { type: 'string' },
  seconds: { type: 'string' },
  'cpu-prof': { type: 'string' },
});
if (args.values.seconds !== undefined) {
  if (args.values.duration !== undefined) args.problems.push('--seconds and --duration: give one (--seconds is --duration)');
  else args.values.duration = args.values.seconds;
}
const common = args.common({ duration: 5, quickDuration: 1 });
const s = {
  connections: args.number('connections', 64, 1, MAX_CONNECTIONS),
  inflight: args.number('inflight', 16, 1, 1024),
  size: args.number('size', 32, 1, 1024 * 1024),
  type: args.choice('type', 'binary', ['binary', 'text'] as const),
  deflate: args.flag('deflate'),
  processes: args.number('processes', 2, 1, 16),
  path: args.string('path', '/echo'),
  duration: common.duration,
  warmup: args.number('warmup', common.quick ? 0 : 1, 0, 60, true),
  cpuProf: args.values['cpu-prof'] === undefined ? null : args.string('cpu-prof', ''),
};
if (!s.path.startsWith('/') || /\s/.test(s.path)) args.problems.push(`--path ${s.path}: expected an absolute path without spaces`);
if (s.processes > s.connections) args.problems.push(`--processes ${s.processes}: more than --connections ${s.connections}`);
if (s.inflight * (serverFrameLength(s.size) + 4) > MAX_BATCH_BYTES) args.problems.push(`--inflight ${s.inflight} × --size ${s.size}: over ${MAX_BATCH_BYTES >> 20} MiB in flight per connection`);
args.done();

superviseScript(NAME, s.warmup + s.duration + 120);
const log = progressLog();

// ---- pinning, limits, server ------------------------------------------------------------------

const pinProblem = common.pin ? pinningProblem() : null;
const pinned = common.pin && pinProblem === null;
const pinning = !common.pin
  ? 'off'
  : pinProblem !== null
    ? `asked for but unavailable (${pinProblem}): nothing pinned`
    : common.port === null
      ? 'server on core 0, generators on core 1'
      : 'generators on core 1 (the server was not started here: not pinned)';
if (common.pin) log(`pinning: ${pinning}`);
if (pinned) pinSelf(1);

const perProcess = Math.ceil(s.connections / s.processes);
const files = raiseOpenFiles(perProcess + 64);
if (files.problem) {
  // Nothing started yet: say why and stop.
  process.stderr.write(`${NAME}: each generator process ${files.problem}\n`);
  process.exit(1);
}

const target = await targetFor(common, { core: pinned ? 0 : null });
log(common.port === null ? `Switchyard (${common.workers} workers) listening on ${target.host}:${target.port}` : `server at ${target.host}:${target.port}`);

// ---- generators -------------------------------------------------------------------------------

interface Generator {
  child: ChildProcess;
  opened: { open: number; errors: number } | null;
  tick: { second: number; messages: number; open: number; errors: number };
  result: GeneratorResult | null;
}

function startGenerator(index: number, connections: number): Generator {
  const prof = s.cpuProf === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(s.cpuProf)}`];
  const [command, argv] = onCore(pinned ? 1 : null, [...prof, '--import', 'tsx', GENERATOR]);
  const child = launch(command, argv, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const g: Generator = { child, opened: null, tick: { second: 0, messages: 0, open: 0, errors: 0 }, result: null };
  child.on('message', (m: FromGenerator) => {
    if (m.t === 'opened') {
      g.opened = m;
    } else if (m.t === 'tick') {
      g.tick = m;
      progress();
    } else {
      g.result = m;
    }
  });
  // 'close', not 'exit': 'exit' can come before the last IPC message (the result) is emitted.
  child.once('close', (code, signal) => {
    if (g.result === null) abort(`generator ${index} exited (code ${code}, signal ${signal}) before its result`, 1);
  });
  const settings: GeneratorSettings = { index, host: target.host, port: target.port, path: s.path, connections, inflight: s.inflight, size: s.size, type: s.type, deflate: s.deflate };
  child.send({ t: 'open', settings } satisfies ToGenerator);
  return g;
}

const generators = Array.from({ length: s.processes }, (_, i) => startGenerator(i, Math.floor(s.connections / s.processes) + (i < s.connections % s.processes ? 1 : 0)));
const tell = (m: ToGenerator) => generators.forEach((g) => g.child.send(m));
const sum = (f: (g: Generator) => number) => generators.reduce((a, g) => a + f(g), 0);

log(`opening ${s.connections} connections from ${s.processes} generator process${s.processes > 1 ? 'es' : ''}`);
await until(() => generators.every((g) => g.opened !== null), 60_000, 'the connections to open');
const connectionsOpen = sum((g) => g.opened!.open);
log(`${connectionsOpen} of ${s.connections} connections open${sum((g) => g.opened!.errors) > 0 ? ` (${sum((g) => g.opened!.errors)} failed)` : ''}`);

let stopped = false;
let last = { t: performance.now(), messages: 0, second: 0 };
/** A progress line once every generator has reported a new second (they tick every second from `go`). */
function progress(): void {
  const second = Math.min(...generators.map((g) => g.tick.second));
  if (second <= last.second || stopped) return;
  const now = { t: performance.now(), messages: sum((g) => g.tick.messages), second };
  const rate = ((now.messages - last.messages) / (now.t - last.t)) * 1000;
  last = now;
  const errors = sum((g) => g.tick.errors);
  log(`${second <= s.warmup ? 'warm-up' : 'measuring'}: ${fmtRate(rate)} msg/s, ${sum((g) => g.tick.open)} connections open${errors > 0 ? `, ${errors} errors` : ''}`);
}

let cpu: Record<string, number> = {};
if (connectionsOpen > 0) {
  tell({ t: 'go' });
  last = { t: performance.now(), messages: 0, second: 0 };
  await sleep(s.warmup * 1000);
  const sampler = cpuSampler({ server: target.pids() });
  tell({ t: 'measure' });
  await sleep(s.duration * 1000);
  cpu = sampler();
}
tell({ t: 'stop' });
stopped = true;
await until(() => generators.every((g) => g.result !== null), 30_000, 'the generators to report');
await target.stop();
await until(() => generators.every((g) => g.child.exitCode !== null || g.child.signalCode !== null), 10_000, 'the generators to exit');

// ---- result -----------------------------------------------------------------------------------

const results = generators.map((g) => g.result!);
const seconds = connectionsOpen > 0 ? results.reduce((a, r) => a + r.seconds, 0) / results.length : 0;
const messages = results.reduce((a, r) => a + r.messages, 0);
const histogram = new LatencyHistogram();
for (const r of results) histogram.addSparse(r.latency);
const latencyMs = histogram.percentiles();
const messagesPerSecond = connectionsOpen > 0 ? messages / seconds : 0;
const mbPerSecond = (messagesPerSecond * s.size) / 1e6;
const generatorCores = connectionsOpen > 0 ? results.reduce((a, r) => a + r.cpuSeconds, 0) / seconds : 0;
const generatorCapacityPerCore = generatorCores > 0 ? messagesPerSecond / generatorCores : null;
const cpuPercent = { generators: Math.round(generatorCores * 100), server: cpu.server ?? null, machine: cpu.machine ?? null };
const total = (f: (r: GeneratorResult) => number) => results.reduce((a, r) => a + f(r), 0);
const replies = {
  verified: total((r) => r.verified),
  compressed: total((r) => r.compressed),
  perRead: round(messages / Math.max(1, total((r) => r.reads)), 2),
  perWrite: round(messages / Math.max(1, total((r) => r.writes)), 2),
};

const kinds = new Map<string, { count: number; first: string }>();
for (const e of results.flatMap((r) => r.errors)) {
  const k = kinds.get(e.kind);
  if (k) k.count += e.count;
  else kinds.set(e.kind, { count: e.count, first: e.first });
}
const errors = [...kinds].map(([kind, k]) => `${kind}: ${k.count} (first: ${k.first})`);
if (messages === 0 && errors.length === 0) errors.push('no reply in the measured window');
const ok = errors.length === 0;

const what = `${s.connections} connections × ${s.inflight} in flight, ${s.size} B ${s.type}${s.deflate ? ', permessage-deflate offered' : ''}`;
const rows = [
  ['echo', what],
  ['server', common.port === null ? `Switchyard, ${common.workers} worker${common.workers > 1 ? 's' : ''} (started here)` : `${target.host}:${target.port}`],
  ['generators', `${s.processes} process${s.processes > 1 ? 'es' : ''}, ${connectionsOpen} connections open`],
  ['pinning', pinning],
  ['measured', `${seconds.toFixed(2)} s after ${s.warmup} s of warm-up`],
  ['messages', String(messages)],
  ['messages/s', fmtRate(messagesPerSecond)],
  ['MB/s (payload, one direction)', mbPerSecond.toFixed(2)],
  ['latency p50 / p99 / p99.9 / max', `${fmtMs(latencyMs.p50)} / ${fmtMs(latencyMs.p99)} / ${fmtMs(latencyMs.p999)} / ${fmtMs(latencyMs.max)} ms`],
  ['CPU, % of one core', `generators ${cpuPercent.generators}, server ${cpuPercent.server ?? 'n/a'}; machine ${cpuPercent.machine ?? 'n/a'} % busy`],
  ['generator capacity', `${fmtRate(generatorCapacityPerCore)} msg/s per core`],
  ['replies verified / compressed', `${replies.verified} / ${replies.compressed}`],
  ['replies per read / messages per write', `${replies.perRead} / ${replies.perWrite}`],
  ['errors', errors.length === 0 ? 'none' : String(errors.length)],
];
const summary = [textTable([['load:echo', ''], ...rows]), ...errors.map((e) => `error: ${e}`)].join('\n');
finish(
  summary,
  {
    event: 'load-echo',
    ok,
    settings: { ...s, quick: common.quick, pin: common.pin, workers: common.port === null ? common.workers : null, host: target.host, port: common.port },
    server: { startedHere: common.port === null, port: target.port },
    pinning,
    connectionsOpen,
    seconds: round(seconds),
    messages,
    messagesPerSecond: Math.round(messagesPerSecond),
    mbPerSecond: round(mbPerSecond),
    latencyMs,
    cpuPercent,
    generatorCapacityPerCore: generatorCapacityPerCore === null ? null : Math.round(generatorCapacityPerCore),
    replies,
    errors,
    machine: machineInfo(pinning),
  },
  ok ? 0 : 1,
);
