/**
 * HTTP-driven pushes across workers, every one accounted for:
 *   npm run load:push -- [--clients 200] [--rate 20000] [--connections 10] [--pipelining 1]
 *                        [--size 64] [--duration 10] [--workers 2] [--generators 1]
 *                        [--repeats 1] [--drain-ms 2000] [--warmup 1] [--pin] [--quick]
 *                        [--port P --token T]
 *
 * N WebSocket clients connect to `/chat` of the default app (round-robin dispatch spreads them
 * over every worker; the fd each is welcomed with names its worker), in receiver processes of
 * their own. Then autocannon POSTs `/push/:fd` with the admin token to the live fds in turn,
 * at --rate pushes/s, so most pushes cross workers. Every push carries an id and its send time
 * (process.hrtime: one monotonic clock for every process here):
 *   sent       requests autocannon wrote;
 *   delivered  distinct ids received by the fd they were pushed to (duplicates and deliveries
 *              to another fd are errors, never deliveries);
 *   dropped    the rest, each with its reason: the refusal (`404 unknown`, `503 timeout`,
 *              `200 dropped` (buffer full), ...), no response (timeout, connection error, in
 *              flight at the end), or accepted but not delivered within the drain (--drain-ms).
 * sent == delivered + dropped, or the run is not ok. Latency: HTTP (autocannon's clock, request
 * written to response read, accepted pushes) and delivery (request written to the client's
 * read), p50 to max, over all pushes and split same-worker / cross-worker: the response names
 * the worker that took the POST. Target of the issue: every push accounted for; p99 under
 * 10 ms at 20,000 pushes/s.
 *
 * Pacing is autocannon's overallRate: each connection may send rate/connections requests per
 * second, as fast as its responses come, then waits for the next second. A server faster than
 * the rate therefore sees bursts; one slower than it sets the pace (pushes/s below --rate).
 * After --duration no new request is written and the pending ones get their answers.
 *
 * With --port, a running cluster (its admin token from --token or SWITCHYARD_ADMIN_TOKEN);
 * otherwise our own, started with a generated token. Progress on stderr each second; a table,
 * then one JSON object as the last stdout line. Loopback only; bounded; every process started
 * is ended on the way out (also on error and SIGINT).
 */
import { randomBytes } from 'node:crypto';
import { slotOf } from '../src/shared/session-id.ts';
import { ChatReceivers, type ReceiverClient } from './lib/chat-receivers.ts';
import { cpuSampler, machineBusy, pinningProblem, pinSelf } from './lib/cpu.ts';
import { raiseOpenFiles } from './lib/limits.ts';
import { ArgReader } from './lib/options.ts';
import { isAborting, sleep, superviseScript } from './lib/processes.ts';
import { account, bump, type RunFigures } from './lib/push-accounting.ts';
import { PushDriver, type PushRun } from './lib/push-driver.ts';
import { finish, fmtMs, fmtRate, machineInfo, median, medianPcts, progressLog, round, textTable, type Pcts } from './lib/report.ts';
import { targetFor, type Target } from './lib/switchyard.ts';

const NAME = 'load-push';
const TARGET_RATE = 20_000;
const TARGET_P99_MS = 10;
const USAGE = `usage: npm run load:push -- [options]
  --clients N        /chat clients, spread over the workers (default 200; --quick 50)
  --rate R           pushes per second, 0 = as fast as possible (default 20000; --quick 5000)
  --connections C    autocannon HTTP connections (default 10)
  --pipelining P     requests in flight per connection (default 1)
  --size BYTES       push body size, at least 48 (default 64)
  --duration S       seconds of each measured run (default 10; --quick 1.5)
  --repeats N        measured runs; figures are their medians (default 1)
  --warmup S         unmeasured seconds first, for the JIT (default 1; --quick 0)
  --drain-ms MS      how long to wait for accepted pushes after the last response (default 2000)
  --generators G     receiver processes holding the clients (default 1)
  --workers W        workers of the cluster started here (default 2)
  --port P           use a running cluster instead (needs --token or SWITCHYARD_ADMIN_TOKEN)
  --token T          its admin token
  --pin              server on core 0, receivers and autocannon on core 1
  --quick            a short smoke run`;

// ---- settings

const args = new ArgReader(NAME, USAGE, {
  clients: { type: 'string' },
  rate: { type: 'string' },
  connections: { type: 'string' },
  pipelining: { type: 'string' },
  size: { type: 'string' },
  repeats: { type: 'string' },
  warmup: { type: 'string' },
  'drain-ms': { type: 'string' },
  generators: { type: 'string' },
  token: { type: 'string' },
});
const common = args.common({ duration: 10, quickDuration: 1.5, maxDuration: 300 });
const quick = common.quick;
const s = {
  clients: args.number('clients', quick ? 50 : 200, 1, 50_000),
  rate: args.number('rate', quick ? 5000 : TARGET_RATE, 0, 1_000_000),
  connections: args.number('connections', 10, 1, 1000),
  pipelining: args.number('pipelining', 1, 1, 64),
  size: args.number('size', 64, 48, 1 << 20),
  repeats: args.number('repeats', 1, 1, 20),
  warmup: args.number('warmup', quick ? 0 : 1, 0, 30, true),
  drainMs: args.number('drain-ms', 2000, 0, 60_000),
  generators: args.number('generators', 1, 1, 16),
  duration: common.duration,
  workers: common.workers,
  timeoutSeconds: 5,
};
const envToken = process.env.SWITCHYARD_ADMIN_TOKEN;
const token = args.string('token', common.port !== null ? (envToken ?? '') : randomBytes(16).toString('hex'));
if (common.port !== null && token === '') args.problems.push('--port needs the cluster admin token: --token T or SWITCHYARD_ADMIN_TOKEN');
args.done();

const ceilingSeconds = 120 + s.warmup * 2 + s.repeats * (s.duration * 2 + s.timeoutSeconds + s.drainMs / 1000 + 30);
superviseScript(NAME, ceilingSeconds);
const log = progressLog();

// ---- one measured run

/** Cross-worker pushes the owners have counted so far (the cluster's /stats), or null. */
async function remotePushes(target: Target): Promise<number | null> {
  try {
    const r = await fetch(`http://${target.host}:${target.port}/stats`, { signal: AbortSignal.timeout(3000) });
    const st = (await r.json()) as Record<string, unknown>;
    const keys = ['remotePushWritten', 'remotePushQueued', 'remotePushDropped', 'remotePushClosed', 'remotePushUnknown'];
    return keys.every((k) => typeof st[k] === 'number') ? keys.reduce((a, k) => a + (st[k] as number), 0) : null;
  } catch {
    return null;
  }
}

async function measure(target: Target, receivers: ChatReceivers, fds: number[], firstId: number, label: string): Promise<{ run: PushRun; figures: RunFigures }> {
  const before = await remotePushes(target);
  const sampler = cpuSampler({ server: target.pids(), generators: receivers.pids(), autocannon: [process.pid] });
  const driver = new PushDriver({ host: target.host, port: target.port, token, fds, rate: s.rate, connections: s.connections, pipelining: s.pipelining, size: s.size, seconds: s.duration, timeoutSeconds: s.timeoutSeconds, firstId, warm: false });
  let last = { sent: 0, responses: 0, delivered: 0, refused: 0, at: performance.now() };
  let asking = false;
  const ticker = setInterval(() => {
    if (asking) return;
    asking = true;
    void receivers
      .delivered()
      .then((delivered) => {
        const now = { sent: driver.sent, responses: driver.responses, delivered, refused: driver.responses - driver.accepted, at: performance.now() };
        const dt = (now.at - last.at) / 1000;
        const per = (k: 'sent' | 'responses' | 'delivered') => fmtRate((now[k] - last[k]) / dt);
        log(`${label}: ${per('sent')} pushes/s, ${per('responses')} responses/s (${now.refused} refused so far), ${per('delivered')} delivered/s, ${now.sent - now.delivered} not yet delivered`);
        last = now;
      })
      .catch(() => {})
      .finally(() => (asking = false));
  }, 1000);
  let run: PushRun;
  try {
    run = await driver.run();
  } finally {
    clearInterval(ticker);
  }
  const cpu = sampler();
  // Drain: wait for the pushes still on their way, up to --drain-ms.
  const drainStart = performance.now();
  for (let seen = -1, stableSince = drainStart; ; ) {
    const delivered = await receivers.delivered();
    const now = performance.now();
    if (delivered >= run.sent || now - drainStart >= s.drainMs) break;
    if (delivered !== seen) [seen, stableSince] = [delivered, now];
    // Every accepted push is in, and nothing more arrived for 300 ms: the rest is not coming.
    else if (delivered >= run.accepted && now - stableSince > 300) break;
    await sleep(20);
  }
  const drainMs = performance.now() - drainStart;
  const got = await receivers.collect();
  const after = await remotePushes(target);
  const figures = account(run, got, drainMs, cpu, before === null || after === null ? null : after - before);
  return { run, figures };
}

// ---- main

/** One push first ("w": the clients do not count it): a wrong token or no admin endpoint stops here. */
async function probe(target: Target, fd: number): Promise<void> {
  const r = await fetch(`http://${target.host}:${target.port}/push/${fd}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: 'w probe', signal: AbortSignal.timeout(10_000) });
  const body = await r.text();
  if (r.status === 200) return;
  const why = r.status === 401 ? 'the cluster refused the admin token' : r.status === 404 && body.includes('admin') ? 'the cluster has no admin endpoints (started without --admin-token)' : 'the probe push failed';
  throw new Error(`${why}: POST /push/${fd} answered ${r.status} ${body.slice(0, 200)}`);
}

function spreadOf(clients: ReceiverClient[]): { perWorker: Record<string, number>; mismatched: number } {
  const perWorker: Record<string, number> = {};
  let mismatched = 0;
  const multiNode = clients.some((c) => c.node !== 0);
  for (const c of clients) {
    if (slotOf(c.fd) !== c.worker) mismatched++;
    bump(perWorker, multiNode ? `${c.node}/${slotOf(c.fd)}` : String(slotOf(c.fd)));
  }
  return { perWorker, mismatched };
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  const busyBefore = await machineBusy(500);
  if (busyBefore !== null && busyBefore > 15) log(`WARNING: the machine is ${busyBefore}% busy before we start: figures will be low and noisy`);
  const pinProblem = common.pin ? pinningProblem() : 'not asked (--pin)';
  const pinned = common.pin && pinProblem === null;
  if (common.pin && !pinned) log(`NOTICE: --pin ignored: ${pinProblem}`);
  if (pinned) pinSelf(1);
  const perProcess = Math.ceil(s.clients / s.generators);
  const files = raiseOpenFiles(Math.ceil(s.clients / (common.port === null ? Math.min(s.workers, s.generators) : s.generators)) + 256);
  if (files.problem) throw new Error(`open files: ${files.problem}; use fewer --clients or more --generators and --workers`);

  let target: Target | null = null;
  let receivers: ChatReceivers | null = null;
  const runs: RunFigures[] = [];
  let clients: ReceiverClient[] = [];
  let failures: Record<string, number> = {};
  try {
    log(common.port === null ? `starting a cluster of ${s.workers} workers (round-robin dispatch, admin token generated)` : `using the cluster on ${common.host}:${common.port}`);
    target = await targetFor(common, { dispatchMode: 1, env: { SWITCHYARD_ADMIN_TOKEN: token }, core: pinned ? 0 : null });
    log(`opening ${s.clients} /chat clients in ${s.generators} receiver process(es) (${perProcess} each)`);
    receivers = await ChatReceivers.start(s.generators, pinned ? 1 : null);
    const addresses = s.clients > 20_000 ? Array.from({ length: Math.ceil(s.clients / 20_000) }, (_, i) => `127.0.0.${i + 2}`) : [];
    ({ clients, failures } = await receivers.open({ host: target.host, port: target.port, count: s.clients, concurrency: 64, addresses }));
    if (clients.length === 0) throw new Error(`no /chat client could connect: ${JSON.stringify(failures)}`);
    const spread = spreadOf(clients);
    log(`${clients.length} clients open; per worker: ${Object.entries(spread.perWorker).map(([w, n]) => `${w}: ${n}`).join(', ')}${Object.keys(failures).length ? `; failures: ${JSON.stringify(failures)}` : ''}`);
    const fds = clients.map((c) => c.fd);
    await probe(target, fds[0]!);

    if (s.warmup > 0) {
      log(`warm-up: ${s.warmup} s, not measured`);
      const warm = new PushDriver({ host: target.host, port: target.port, token, fds, rate: s.rate, connections: s.connections, pipelining: s.pipelining, size: s.size, seconds: s.warmup, timeoutSeconds: s.timeoutSeconds, firstId: 0, warm: true });
      await warm.run();
      await sleep(200);
    }
    let nextId = 0;
    for (let r = 0; r < s.repeats && !isAborting(); r++) {
      const label = s.repeats > 1 ? `run ${r + 1}/${s.repeats}` : 'run';
      log(`${label}: ${s.rate > 0 ? `${s.rate} pushes/s` : 'as fast as possible'} for ${s.duration} s over ${s.connections} connection(s) × pipelining ${s.pipelining}`);
      const { run, figures } = await measure(target, receivers, fds, nextId, label);
      nextId += run.built;
      runs.push(figures);
      log(`${label}: sent ${figures.sent}, delivered ${figures.delivered}, dropped ${figures.dropped}${figures.dropped ? ` ${JSON.stringify(figures.drops)}` : ''}; drained in ${figures.drainMs} ms`);
    }
  } finally {
    log('stopping');
    await receivers?.close().catch(() => {});
    await target?.stop().catch(() => {});
  }
  return report(runs, clients, failures, busyBefore, pinned ? 'server on core 0, receivers and autocannon on core 1' : `none (${pinProblem})`, startedAt);
}

const sumValues = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

function report(runs: RunFigures[], clients: ReceiverClient[], failures: Record<string, number>, busyBefore: number | null, pinning: string, startedAt: number): number {
  const sum = (f: (r: RunFigures) => number) => runs.reduce((a, r) => a + f(r), 0);
  const merge = (f: (r: RunFigures) => Record<string, number>) => {
    const m: Record<string, number> = {};
    for (const r of runs) for (const [k, v] of Object.entries(f(r))) bump(m, k, v);
    return m;
  };
  const med = (f: (r: RunFigures) => number | null) => {
    const v = median(runs.map(f).filter((x): x is number => x !== null));
    return v === null ? null : round(v, 4);
  };
  const spread = spreadOf(clients);
  const workersSeen = Object.keys(spread.perWorker).length;
  const sent = sum((r) => r.sent);
  const delivered = sum((r) => r.delivered);
  const dropped = sum((r) => r.dropped);
  const errorKeys = ['duplicates', 'wrongFd', 'unknownIds', 'pairingErrors', 'malformed', 'lateAfterDrain', 'clientsLost'] as const;
  const errors = Object.fromEntries(errorKeys.map((k) => [k, sum((r) => r.errors[k])])) as Record<(typeof errorKeys)[number], number>;
  const expectedCrossShare = workersSeen > 1 ? round(1 - 1 / workersSeen, 4) : 0;
  const measuredShare = med((r) => r.crossWorkerShare);
  const everyWorkerHasClients = common.port !== null || clients.length < s.workers || workersSeen === s.workers;
  const accounted = runs.length === s.repeats && runs.every((r) => r.accounted) && sent === delivered + dropped;
  const ok = accounted && spread.mismatched === 0 && everyWorkerHasClients;
  const http = medianPcts(runs.map((r) => r.httpLatencyMs));
  const delivery = medianPcts(runs.map((r) => r.deliveryLatencyMs));
  const pushesPerSecond = med((r) => r.pushesPerSecond);
  const atTargetRate = s.rate === TARGET_RATE;
  const p99Met = !atTargetRate || http === null || delivery === null || pushesPerSecond === null ? null : pushesPerSecond >= 0.95 * TARGET_RATE && http.p99 < TARGET_P99_MS && delivery.p99 < TARGET_P99_MS;
  const side = (k: 'sameWorker' | 'crossWorker') => ({
    pushes: sum((r) => r[k].pushes),
    httpLatencyMs: medianPcts(runs.map((r) => r[k].httpLatencyMs)),
    deliveryLatencyMs: medianPcts(runs.map((r) => r[k].deliveryLatencyMs)),
  });
  const serverCounted = runs.every((r) => r.serverCountedCrossWorker !== null) ? sum((r) => r.serverCountedCrossWorker!) : null;
  const cpuKeys = ['server', 'generators', 'autocannon', 'machine'];
  const cpuPercent = Object.fromEntries(cpuKeys.map((k) => [k, med((r) => r.cpuPercent[k] ?? null)]));
  const acLatency = (k: 'p50' | 'p90' | 'p99' | 'max') => med((r) => r.autocannon.latencyMs[k]);

  const result = {
    event: NAME,
    ok,
    settings: { clients: s.clients, rate: s.rate, connections: s.connections, pipelining: s.pipelining, size: s.size, duration: s.duration, repeats: s.repeats, warmup: s.warmup, drainMs: s.drainMs, generators: s.generators, workers: common.port === null ? s.workers : null, port: common.port, dispatchMode: common.port === null ? 'round-robin' : null, quick },
    clients: { open: clients.length, failures, perWorker: spread.perWorker, fdWorkerMismatches: spread.mismatched, everyWorkerHasClients },
    sent,
    delivered,
    dropped,
    accounted,
    drops: merge((r) => r.drops),
    deliveredNotAccepted: merge((r) => r.deliveredNotAccepted),
    errors,
    http: { responses: sum((r) => r.http.responses), accepted: sum((r) => r.http.accepted), refused: sum((r) => r.http.refused), statusCodes: merge((r) => r.http.statusCodes), responsesPerWorker: merge((r) => r.http.responsesPerWorker) },
    requestsPerSecond: med((r) => r.requestsPerSecond),
    pushesPerSecond,
    deliveredPerSecond: med((r) => r.deliveredPerSecond),
    httpLatencyMs: http,
    deliveryLatencyMs: delivery,
    sameWorker: side('sameWorker'),
    crossWorker: { ...side('crossWorker'), share: measuredShare ?? expectedCrossShare, basis: measuredShare === null ? 'expected' : 'responses', expectedShare: expectedCrossShare, serverCounted },
    autocannonLatencyMs: { p50: acLatency('p50'), p90: acLatency('p90'), p99: acLatency('p99'), max: acLatency('max') },
    cpuPercent,
    targets: {
      accounted: { want: 'sent == delivered + dropped, every drop with its reason; no duplicate, wrong-fd or unknown delivery', met: accounted },
      p99: { want: `p99 < ${TARGET_P99_MS} ms (HTTP and delivery) at ${TARGET_RATE} pushes/s`, pushesPerSecond, httpP99Ms: http?.p99 ?? null, deliveryP99Ms: delivery?.p99 ?? null, met: p99Met },
    },
    busyPercentBeforeRun: busyBefore,
    machine: machineInfo(pinning),
    runs: s.repeats > 1 ? runs : undefined,
    durationSeconds: round((performance.now() - startedAt) / 1000, 1),
  };

  const lat = (name: string, p: Pcts | null) => [name, fmtMs(p?.p50), fmtMs(p?.p90), fmtMs(p?.p99), fmtMs(p?.p999), fmtMs(p?.max)];
  const latencyRows = [
    ['latency (ms)', 'p50', 'p90', 'p99', 'p99.9', 'max'],
    lat('HTTP, all pushes', http),
    lat('HTTP, same worker', result.sameWorker.httpLatencyMs),
    lat('HTTP, cross worker', result.crossWorker.httpLatencyMs),
    lat('delivery, all pushes', delivery),
    lat('delivery, same worker', result.sameWorker.deliveryLatencyMs),
    lat('delivery, cross worker', result.crossWorker.deliveryLatencyMs),
  ];
  const dropText = Object.entries(result.drops).map(([why, n]) => `${n} ${why}`).join('; ') || 'none';
  const rows = [
    ['', 'value'],
    ['clients per worker', Object.entries(spread.perWorker).map(([w, n]) => `${w}: ${n}`).join(', ') + (sumValues(failures) ? ` (${sumValues(failures)} failed to open)` : '')],
    ['pushes sent', String(sent)],
    ['delivered', String(delivered)],
    ['dropped', `${dropped} (${dropText})`],
    ['sent == delivered + dropped', accounted ? 'yes' : 'NO'],
    ['duplicates / wrong fd / unknown ids / pairing errors', `${errors.duplicates} / ${errors.wrongFd} / ${errors.unknownIds} / ${errors.pairingErrors}`],
    ['HTTP responses (refused)', `${result.http.responses} (${result.http.refused})`],
    ['requests/s', fmtRate(result.requestsPerSecond)],
    ['pushes delivered/s', fmtRate(result.deliveredPerSecond)],
    ['cross-worker share', `${((result.crossWorker.share ?? 0) * 100).toFixed(1)}% (${result.crossWorker.basis}; expected ${(expectedCrossShare * 100).toFixed(1)}%${serverCounted === null ? '' : `; owners counted ${serverCounted}`})`],
    ['CPU % server / generators / autocannon / machine', cpuKeys.map((k) => String(cpuPercent[k] ?? '-')).join(' / ')],
  ];
  const verdict = (met: boolean | null) => (met === null ? 'not measured (another --rate)' : met ? 'MET' : 'MISSED');
  const summary = [
    `${s.clients} /chat clients, autocannon ${s.connections} connection(s) × pipelining ${s.pipelining}, ${s.size}-byte pushes at ${s.rate > 0 ? `${s.rate}/s` : 'full speed'}, ${s.duration} s × ${s.repeats} run(s); medians over runs, counts summed.`,
    'HTTP latency: request written to response read (autocannon); delivery: request written to the client reading the push.',
    '',
    textTable(rows),
    '',
    textTable(latencyRows),
    '',
    `target: every push accounted for -> ${accounted ? 'MET' : 'MISSED'}`,
    `target: p99 < ${TARGET_P99_MS} ms at ${TARGET_RATE} pushes/s (HTTP ${fmtMs(http?.p99)} ms, delivery ${fmtMs(delivery?.p99)} ms at ${fmtRate(pushesPerSecond)} pushes/s) -> ${verdict(p99Met)}`,
    ...(busyBefore !== null && busyBefore > 15 ? [`WARNING: the machine was ${busyBefore}% busy before the run (other processes): figures are low and noisy`] : []),
  ].join('\n');
  finish(summary, result, ok ? 0 : 1);
  return ok ? 0 : 1;
}

main().catch((err: Error) => {
  if (isAborting()) return;
  process.stderr.write(`${NAME}: failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
