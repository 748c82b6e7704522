/**
 * `npm run load:connect`: connection storm and capacity. Opens N WebSocket connections as fast
 * as the server takes them (--concurrency handshakes in flight), spread over source addresses
 * 127.0.0.2, .3, … (one address has ~28 k ephemeral ports) and over generator processes (one
 * process may hold at most 20,000 open files here).
 *   hold  (default) open N and keep them; after --settle seconds read the server's memory
 *         (RSS of master and workers, before opening and after) → bytes per idle connection;
 *         keep them --hold-seconds more; then close all (close frame, the server closes).
 *   storm each connection closed right after its 101: the pure handshake rate (N is then not
 *         bounded by open files).
 *
 *   npm run load:connect -- [--mode hold|storm] [--connections 10000] [--concurrency 200]
 *     [--addresses K] [--processes P] [--path /echo] [--settle 2] [--hold-seconds 0]
 *     [--port P [--host H] | --workers 2] [--duration 60] [--quick] [--pin]
 *
 * Defaults: --addresses so that none carries more than 20 k connections (at least 4);
 * --processes so that none holds more than 18 k sockets (at least 1; with 1 the generator runs
 * inside this process). Without --port it starts its own cluster (port 0) with
 * max(--workers, ceil(N / 18000)) workers in hold mode, --max-connection and
 * --max-pending-handshakes above what the run needs (the server's own caps are not what is
 * measured; any 503 it gives is still counted). --duration bounds the connect phase: no new
 * connection after it (in-flight ones get 15 s); the result says how many made it.
 * Each generator picks its local ports itself (see GeneratorPlan.ports in
 * lib/connect-generator.ts: the kernel's own pick slows to milliseconds per connection past
 * ~7,000 ports in use on an address).
 * The older flags still work: --max-seconds S is --duration S and, without --mode, means
 * storm mode (the older script's only mode); --hold is --mode hold.
 *
 * Progress every second on stderr; a table, then one JSON object as the last stdout line:
 *   event             'load-connect'
 *   ok                every connection opened, none failed, none dropped, all closed cleanly
 *   mode, settings    {mode, connections (asked), concurrency, addresses, processes, path,
 *                     duration, settle, holdSeconds, quick, pin, port (null: own cluster), workers (asked)}
 *   connections       101s received;  failed: handshakes without one;  failures {reason: count}
 *                     (`HTTP <status>`, an errno code such as ECONNRESET, `timeout`,
 *                     `closed before response`);  dropped: held connections the server closed early
 *   seconds           connect phase, start to the end of the last handshake
 *   handshakesPerSecond  connections / seconds
 *   timeToAllSeconds  start to the Nth 101 (null when fewer made it)
 *   latencyMs         {p50, p99, p999, max}, connect() to the 101
 *   memory            the server only: {rssBeforeBytes, rssAfterBytes, heldWhenMeasured,
 *                     bytesPerConnection (hold; null in storm), perProcess [{pid, role, rssBeforeBytes,
 *                     rssAfterBytes}]}; null when its processes cannot be found
 *   generator         this side, never mixed with the server's: {inProcess, portRetries (local
 *                     ports found taken and skipped), rssBeforeBytes, rssAfterBytes,
 *                     bytesPerConnection, perProcess [{pid, connections, rssBeforeBytes, rssAfterBytes}]}
 *   close             {clean, forced, seconds}
 *   workers, workersRaised, generatorProcesses, addresses (the source addresses)
 *   serverStats       own cluster: its /stats counts after the settle, connectionsPerWorker; else null
 *   targets           hold: {bytesPerConnection {limit, met}, heldConnections {target, met}}
 *                     (met null when not measurable); storm: null
 *   notes, machine
 * Exit 0 once measured (ok says whether all went well), 1 on error, 2 on bad flags or an
 * open-file limit too low for the plan. Loopback only; bounded in count and time; every
 * process started is ended on the way out (also on error and SIGINT).
 */
import { readFileSync } from 'node:fs';
import { startGenerators } from './lib/connect-fleet.ts';
import { CLOSE_WAIT_MS, now, type ConnectMode, type GeneratorCounts, type GeneratorResult } from './lib/connect-generator.ts';
import { pinningProblem, pinSelf } from './lib/cpu.ts';
import { openFileLimit, raiseOpenFiles } from './lib/limits.ts';
import { rssBytes } from './lib/memory.ts';
import { ArgReader } from './lib/options.ts';
import { abort, isAborting, sleep, superviseScript } from './lib/processes.ts';
import { finish, fmtRate, machineInfo, percentiles, progressLog, round, textTable } from './lib/report.ts';
import { targetFor } from './lib/switchyard.ts';
import { processRows, splitEvenly, summaryRows, type ProcessMemory } from './lib/connect-report.ts';

const NAME = 'load-connect';
const USAGE = `usage: npm run load:connect -- [--mode hold|storm] [--connections N] [--concurrency C] [--addresses K]
  [--processes P] [--path /echo] [--settle S] [--hold-seconds S] [--port P [--host H] | --workers W]
  [--duration S] [--quick] [--pin]   (see the header of scripts/load-connect.ts)`;
/** Sockets one process (generator or worker) is planned to hold: under the 20,000-file hard limit, with room for the runtime's own. */
const SOCKETS_PER_PROCESS = 18_000;
/** Connections per source address by default: of its ~28 k ephemeral ports, room left for TIME_WAIT of earlier runs. */
const CONNECTIONS_PER_ADDRESS = 20_000;
/** Files a process has open besides its sockets (runtime, IPC, bus, logs), with room to spare. */
const FD_MARGIN = 256;
/** The issue's targets. */
const TARGET_BYTES_PER_CONNECTION = 4096;
const TARGET_HELD = 100_000;

/** The ephemeral port range, [low, high]: the local ports the generators use on each address. */
function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo !== undefined && hi !== undefined && hi >= lo) return [lo, hi];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

// ---------------------------------------------------------------------------------------------
// Settings

const args = new ArgReader(NAME, USAGE, {
  mode: { type: 'string' },
  connections: { type: 'string' },
  concurrency: { type: 'string' },
  addresses: { type: 'string' },
  processes: { type: 'string' },
  path: { type: 'string' },
  settle: { type: 'string' },
  'hold-seconds': { type: 'string' },
  'max-seconds': { type: 'string' },
  hold: { type: 'boolean' },
});
const common = args.common({ duration: 60, quickDuration: 10, maxDuration: 600 });
const legacy = args.values['max-seconds'] !== undefined;
const duration = legacy && args.values.duration === undefined ? args.number('max-seconds', 60, 0.5, 600, true) : common.duration;
if (args.flag('hold') && args.values.mode === 'storm') args.problems.push('--hold and --mode storm contradict each other');
const mode: ConnectMode = args.flag('hold') ? 'hold' : args.choice('mode', legacy ? 'storm' : 'hold', ['hold', 'storm'] as const);
const total = args.number('connections', common.quick ? 300 : 10_000, 1, 1_000_000);
const concurrency = Math.min(total, args.number('concurrency', common.quick ? 20 : 200, 1, 100_000));
/** Sockets open at once on the generators' side: all of them when held, the handshakes in flight otherwise. */
const heldAtOnce = mode === 'hold' ? total : concurrency;
const addressCount = args.number('addresses', Math.min(250, Math.max(4, Math.ceil(total / CONNECTIONS_PER_ADDRESS))), 1, 250);
const processes = args.number('processes', Math.max(1, Math.ceil(heldAtOnce / SOCKETS_PER_PROCESS)), 1, 64);
const path = args.string('path', '/echo');
if (!path.startsWith('/')) args.problems.push(`--path ${path}: expected a path starting with /`);
const settle = args.number('settle', common.quick ? 1 : 2, 0, 600, true);
const holdSeconds = args.number('hold-seconds', 0, 0, 3600, true);
const [portLow, portHigh] = ephemeralRange();
const ports = portHigh - portLow + 1;
if (Math.ceil(total / addressCount) > ports) {
  args.problems.push(`--addresses ${addressCount}: ${total} connections need at least ${Math.ceil(total / ports)} source addresses (${ports} ephemeral ports each)`);
}
if (processes > total) args.problems.push(`--processes ${processes}: more generator processes than --connections ${total}`);
args.done();

const own = common.port === null;
const addresses = Array.from({ length: addressCount }, (_, i) => `127.0.0.${i + 2}`);
const neededWorkers = mode === 'hold' ? Math.ceil(total / SOCKETS_PER_PROCESS) : 1;
const workers = own ? Math.max(common.workers, neededWorkers) : null;
const notes: string[] = [];
if (own && workers !== common.workers) notes.push(`workers raised from ${common.workers} to ${workers} so that none holds more than ${SOCKETS_PER_PROCESS} connections`);

// Children (generators, the server) inherit this process's raised limit.
const perGenerator = Math.ceil(heldAtOnce / processes);
const needed = Math.max(
  perGenerator + FD_MARGIN,
  own && workers !== null ? Math.ceil(heldAtOnce / workers) + FD_MARGIN : 0,
  own ? concurrency + FD_MARGIN : 0, // the master: at most the handshakes in flight, before their hand-off
);
const files = raiseOpenFiles(needed);
if (files.problem) {
  const advice = perGenerator + FD_MARGIN > files.limit ? ` (a generator process would hold ${perGenerator}: give more --processes)` : ' (a server process would hold too many: give more --workers)';
  process.stderr.write(`${NAME}: ${files.problem}${advice}\n`);
  process.exit(2);
}

const ceiling = duration + 15 + (mode === 'hold' ? settle + holdSeconds + 25 : 0) + 120 + total / 2000;
superviseScript(NAME, Math.ceil(ceiling));
const progress = progressLog();

// ---------------------------------------------------------------------------------------------
// Server and generators

let pinning = 'off';
let serverCore: number | null = null;
if (common.pin) {
  const problem = pinningProblem();
  if (problem) notes.push(`--pin ignored: ${problem}`);
  else {
    serverCore = 0;
    pinning = 'server on core 0, generators on core 1';
  }
}
const serverFlags = own ? ['--max-connection', String(Math.max(100_000, total)), '--max-pending-handshakes', String(Math.max(4096, concurrency))] : [];
for (const n of notes) progress(`note: ${n}`);
const notesShown = notes.length;
progress(own ? `starting a cluster: ${workers} workers` : `attaching to ${common.host}:${common.port}`);
const target = await targetFor({ ...common, workers: workers ?? common.workers }, { core: serverCore, args: serverFlags });
let stopping = false;
target.child?.once('exit', (code, signal) => {
  if (!stopping) abort(`the server exited during the run (code ${code}, signal ${signal})\n${target.tail()}`, 1);
});
if (serverCore !== null) pinSelf(1);

const serverPids = target.pids();
const serverWorkers = own ? workers! : Math.max(0, serverPids.length - 1);
if (serverPids.length === 0) notes.push(`no process found listening on port ${target.port} (ss): server memory not measured`);
if (!own && mode === 'hold') {
  for (const pid of serverPids) {
    const limit = openFileLimit(pid);
    if (limit && limit.soft < Math.ceil(total / Math.max(1, serverWorkers))) notes.push(`server process ${pid} may open only ${limit.soft} files: it may not hold its share of ${total}`);
  }
}
for (const n of notes.slice(notesShown)) progress(`note: ${n}`);

progress(`${processes === 1 ? 'generator in this process' : `starting ${processes} generator processes`}; source addresses ${addresses[0]}-${addresses.at(-1)}`);
const generators = await startGenerators(processes);
const counts = (): GeneratorCounts => generators.map((g) => g.counts()).reduce((a, c) => ({ opened: a.opened + c.opened, failed: a.failed + c.failed, inflight: a.inflight + c.inflight, held: a.held + c.held, dropped: a.dropped + c.dropped }));
const memoryOf = (pids: number[]) => new Map(pids.map((pid) => [pid, rssBytes(pid)]));
const serverBefore = memoryOf(target.pids());
const generatorBefore = memoryOf(generators.map((g) => g.pid));

// ---------------------------------------------------------------------------------------------
// Connect phase

progress(`${mode}: ${total} connections to ${target.host}:${target.port}${path}, ${concurrency} in flight, ${addressCount} addresses, ${processes} generator process(es)`);
const go = now();
const shares = splitEvenly(total, processes);
const portStart = Math.floor(Math.random() * ports); // a new place each run: the last run's TIME_WAITs are elsewhere
const lanes = splitEvenly(concurrency, processes);
let last = { t: go, opened: 0 };
const ticker = setInterval(() => {
  const c = counts();
  const t = now();
  const rate = ((c.opened - last.opened) * 1000) / (t - last.t);
  last = { t, opened: c.opened };
  progress(`opened ${c.opened}/${total} (${fmtRate(rate)}/s), failed ${c.failed}, in flight ${c.inflight}${mode === 'hold' ? `, held ${c.held}, dropped ${c.dropped}` : ''}`);
}, 1000);
const results: GeneratorResult[] = await Promise.all(
  generators.map((g, i) =>
    g.run({ host: target.host, port: target.port, path, mode, count: shares[i]!, concurrency: Math.max(1, lanes[i]!), addresses, addressOffset: i, ports: { low: portLow, high: portHigh, start: portStart, index: i, stride: processes }, deadline: go + duration * 1000 }),
  ),
);
clearInterval(ticker);
const ended = Math.max(...results.map((r) => r.endedAt));
const seconds = (ended - go) / 1000;
const connections = results.reduce((n, r) => n + r.opened, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const failures: Record<string, number> = {};
for (const r of results) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
const lastOpen = Math.max(0, ...results.map((r) => r.lastOpenAt));
const timeToAll = connections === total ? (lastOpen - go) / 1000 : null;
const handshakesPerSecond = seconds > 0 ? connections / seconds : 0;
const latencyMs = percentiles(results.flatMap((r) => r.latenciesMs));
progress(`${connections} opened in ${seconds.toFixed(2)} s (${fmtRate(handshakesPerSecond)}/s), ${failed} failed${failed ? ` ${JSON.stringify(failures)}` : ''}`);
if (connections < total) notes.push(`${total - connections} of ${total} not opened${now() >= go + duration * 1000 ? ` (--duration ${duration} s ran out)` : ''}`);
if (failures['HTTP 503']) notes.push(`the server answered 503 to ${failures['HTTP 503']} handshakes`);

// ---------------------------------------------------------------------------------------------
// Memory (hold: after the settle), hold, close

if (mode === 'hold' && settle > 0) {
  progress(`settling ${settle} s before reading memory`);
  await sleep(settle * 1000);
}
const heldWhenMeasured = mode === 'hold' ? counts().held : 0;
const serverAfter = memoryOf(target.pids());
const generatorAfter = memoryOf(generators.map((g) => g.pid));
const serverStats = own ? await fetchStats(target.host, target.port) : null;
if (holdSeconds > 0 && mode === 'hold') {
  progress(`holding ${heldWhenMeasured} connections for ${holdSeconds} s`);
  const until = now() + holdSeconds * 1000;
  while (now() < until && !isAborting()) {
    await sleep(Math.min(1000, until - now()));
    const c = counts();
    progress(`held ${c.held}, dropped ${c.dropped}`);
  }
}
const dropped = counts().dropped;
const closeStart = now();
if (mode === 'hold') progress(`closing ${counts().held} connections`);
const closed = await Promise.all(generators.map((g) => g.close()));
const close = { clean: closed.reduce((n, c) => n + c.clean, 0), forced: closed.reduce((n, c) => n + c.forced, 0), seconds: round((now() - closeStart) / 1000, 2) };
if (close.forced) notes.push(`${close.forced} connections did not see the server close within ${CLOSE_WAIT_MS / 1000} s of our close frame (destroyed)`);
stopping = true;
await target.stop();

// ---------------------------------------------------------------------------------------------
// Report

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const serverPerProcess: ProcessMemory[] = [...new Set([...serverBefore.keys(), ...serverAfter.keys()])].map((pid, i) => ({
  pid,
  role: i === 0 ? 'master' : 'worker',
  rssBeforeBytes: serverBefore.get(pid) ?? null,
  rssAfterBytes: serverAfter.get(pid) ?? null,
}));
const perConnection = (before: number, after: number) => (mode === 'hold' && heldWhenMeasured > 0 ? Math.round((after - before) / heldWhenMeasured) : null);
const memory =
  serverBefore.size === 0
    ? null
    : { rssBeforeBytes: sum(serverBefore), rssAfterBytes: sum(serverAfter), heldWhenMeasured, bytesPerConnection: perConnection(sum(serverBefore), sum(serverAfter)), perProcess: serverPerProcess };
const generator = {
  inProcess: processes === 1,
  portRetries: results.reduce((n, r) => n + r.portRetries, 0),
  rssBeforeBytes: sum(generatorBefore),
  rssAfterBytes: sum(generatorAfter),
  bytesPerConnection: perConnection(sum(generatorBefore), sum(generatorAfter)),
  perProcess: generators.map((g, i) => ({ pid: g.pid, connections: results[i]!.opened, rssBeforeBytes: generatorBefore.get(g.pid) ?? 0, rssAfterBytes: generatorAfter.get(g.pid) ?? 0 })),
};
const bpc = memory?.bytesPerConnection ?? null;
const targets =
  mode === 'hold'
    ? {
        bytesPerConnection: { limit: TARGET_BYTES_PER_CONNECTION, met: bpc === null ? null : bpc < TARGET_BYTES_PER_CONNECTION },
        heldConnections: { target: TARGET_HELD, met: total < TARGET_HELD ? null : heldWhenMeasured >= TARGET_HELD },
      }
    : null;
const ok = connections === total && failed === 0 && dropped === 0 && close.forced === 0;
const settings = { mode, connections: total, concurrency, addresses: addressCount, processes, path, duration, settle, holdSeconds, quick: common.quick, pin: common.pin, port: common.port, workers: common.workers };
const result = {
  event: 'load-connect',
  ok,
  mode,
  settings,
  connections,
  failed,
  failures,
  dropped,
  seconds: round(seconds),
  handshakesPerSecond: Math.round(handshakesPerSecond),
  timeToAllSeconds: timeToAll === null ? null : round(timeToAll),
  latencyMs,
  memory,
  generator,
  close,
  workers: serverWorkers,
  workersRaised: own && workers !== common.workers,
  generatorProcesses: processes,
  addresses,
  serverStats,
  targets,
  notes,
  machine: machineInfo(pinning),
};
const table = summaryRows({ mode, total, connections, failed, failures, dropped, seconds, handshakesPerSecond, timeToAll, latencyMs, memory, generator, close, workers: serverWorkers, processes, addressCount });
const perProcessTable = memory ? `\n\n${textTable(processRows(memory.perProcess))}` : '';
const noteText = notes.length ? `\n\n${notes.map((n) => `note: ${n}`).join('\n')}` : '';
finish(`load-connect (${mode}${ok ? '' : ', NOT OK'})\n${textTable(table)}${perProcessTable}${noteText}`, result, 0);

/** The cluster's own counts (default app's GET /stats), or null when it does not answer. */
async function fetchStats(host: string, port: number): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(`http://${host}:${port}/stats`, { signal: AbortSignal.timeout(5000) });
    const s = (await res.json()) as Record<string, unknown> & { workers?: Array<{ connections?: number }> };
    const pick = ['connections', 'accepted', 'handshakes', 'refused', 'unavailable', 'handoffFailed', 'missing', 'aborted'];
    return { ...Object.fromEntries(pick.map((k) => [k, s[k] ?? null])), connectionsPerWorker: (s.workers ?? []).map((w) => w.connections ?? null) };
  } catch {
    return null;
  }
}
