/**
 * Which transport carries messages between workers: measured, not guessed.
 *   npm run bench:bus -- [--repeats 3] [--seconds 2] [--rates 5000,20000] [--handoff-ms 1] [--quick] [--out bench]
 *
 * A real node:cluster master with 2 workers (serialization 'advanced', as src/master uses).
 * Worker A (slot 0) sends pushes with a 64-byte payload to worker B (slot 1) over:
 *   bus            the EmbeddedBus Unix-socket mesh (A -> B directly)
 *   ipc            a relay through the master over cluster IPC (A -> master -> B, process.send)
 *   ipc+handoff    the same relay while the master hands sockets to the workers (a local
 *                  net.Server it connects to in a loop, one connection every --handoff-ms,
 *                  alternating workers): relayed messages queue behind the handle in flight
 *                  on B's channel until B's ACK
 *   bus+handoff    the bus under the same hand-off load (it never touches the IPC channel)
 * For each: throughput (A sends for --seconds as fast as the transport's back-pressure allows;
 * messages B received per second until the last one arrived) and one-way latency at fixed
 * rates (A stamps each payload with CLOCK_MONOTONIC, which every process shares; B subtracts).
 * The scenario order rotates every repeat; figures are medians over repeats.
 *
 * Prints a table, then one JSON object as its last line; writes <out>/bus.json (with every
 * run). Loopback and a temp dir only; a ceiling bounds the run; workers die with the master.
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ArgReader } from './lib/options.ts';
import { ROOT, superviseScript } from './lib/processes.ts';
import { HandoffLoad } from './lib/bus-bench-handoff.ts';
import { MSG_BYTES, workerMain, type Control, type Latency, type Transport } from './lib/bus-bench-worker.ts';
import { median as medianOrNull, round, textTable } from './lib/report.ts';
import { sleep } from './lib/wait.ts';

const NAME = 'bench-bus';
const USAGE = 'npm run bench:bus -- [--repeats 3] [--seconds 2] [--rates 5000,20000] [--handoff-ms 1] [--quick] [--out bench]';

interface Scenario {
  name: string;
  transport: Transport;
  handoff: boolean;
}
const SCENARIOS: Scenario[] = [
  { name: 'bus', transport: 'bus', handoff: false },
  { name: 'ipc', transport: 'ipc', handoff: false },
  { name: 'ipc+handoff', transport: 'ipc', handoff: true },
  { name: 'bus+handoff', transport: 'bus', handoff: true },
];

// ---------------------------------------------------------------------------------------------
// Master: relays, hands off sockets, runs the phases.

interface PhaseResult {
  scenario: string;
  rate: number;
  sent: number;
  received: number;
  outOfOrder: number;
  msgsPerSec: number;
  latency: Latency | null;
  handoffsPerSec: number;
  /** Mean and max ms from worker.send(msg, socket) until it was written: the wait behind the
   * handle before it on that channel (one handle in flight per channel, until its ACK). */
  handleSendMs: { mean: number; max: number } | null;
  /** Most messages seen waiting in the master's queue for B's channel (Node's internal
   * ChildProcess._handleQueue, sampled every 5 ms; 0 when it is not there). */
  maxQueuedBehindHandle: number;
}

class Master {
  private readonly waiters: Array<Map<string, (m: Control) => void>> = [new Map(), new Map()];

  constructor(readonly workers: Worker[]) {
    workers.forEach((w, slot) =>
      w.on('message', (m: Control) => {
        if (m.c === 'relay') return void workers[1 - slot]!.send(m); // the relay under test
        const resolve = this.waiters[slot]!.get(m.c);
        this.waiters[slot]!.delete(m.c);
        resolve?.(m);
      }),
    );
  }

  /** The next `c` message from a slot; rejects after `timeoutMs` (a stuck phase ends the run). */
  next<C extends Control['c']>(slot: number, c: C, timeoutMs = 60_000): Promise<Extract<Control, { c: C }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${c}' from worker ${slot} in ${timeoutMs} ms`)), timeoutMs);
      this.waiters[slot]!.set(c, (m) => {
        clearTimeout(timer);
        resolve(m as Extract<Control, { c: C }>);
      });
    });
  }

  async phase(sc: Scenario, rate: number, seconds: number, handoffMs: number): Promise<PhaseResult> {
    const [a, b] = this.workers as [Worker, Worker];
    const ready = this.next(1, 'ready');
    b.send({ c: 'reset', capacity: rate > 0 ? Math.ceil(rate * seconds * 1.2) + 1000 : 0 } satisfies Control);
    await ready;
    const load = sc.handoff ? await HandoffLoad.start(this.workers, handoffMs) : null;
    if (load) await sleep(300); // hand-offs under way before the first message
    const sentP = this.next(0, 'sent');
    a.send({ c: 'run', transport: sc.transport, rate, seconds } satisfies Control);
    const sent = await sentP;
    // Hand-offs stop with the send window: were they to go on, a relay that queues behind
    // them might never drain (each handle holds the channel until the worker's ACK).
    const handoffs = load ? await load.stop() : null;
    const gotP = this.next(1, 'got');
    b.send({ c: 'expect', count: sent.sent } satisfies Control);
    const got = await gotP;
    return {
      scenario: sc.name,
      rate,
      sent: sent.sent,
      received: got.received,
      outOfOrder: got.outOfOrder,
      msgsPerSec: Math.round(got.received / ((got.tLast - sent.t0) / 1e9)),
      latency: rate > 0 ? got.latency : null,
      handoffsPerSec: handoffs?.perSec ?? 0,
      handleSendMs: handoffs?.sendMs ?? null,
      maxQueuedBehindHandle: handoffs?.maxQueued ?? 0,
    };
  }
}

const median = (xs: number[]): number => medianOrNull(xs) ?? 0;

async function masterMain(): Promise<void> {
  const args = new ArgReader(NAME, USAGE, { repeats: { type: 'string' }, seconds: { type: 'string' }, rates: { type: 'string' }, 'handoff-ms': { type: 'string' }, out: { type: 'string' } });
  for (const flag of ['port', 'host', 'workers', 'duration', 'pin']) if (args.values[flag] !== undefined) args.problems.push(`--${flag}: bench:bus starts its own two workers (see --help)`);
  const quick = args.flag('quick');
  const repeats = quick ? 1 : args.number('repeats', 3, 1, 15);
  const seconds = quick ? 1 : args.number('seconds', 2, 0.2, 60, true);
  const rates = args.string('rates', '5000,20000').split(',').map(Number);
  if (!rates.every((n) => Number.isInteger(n) && n > 0 && n <= 1_000_000)) args.problems.push(`--rates ${args.string('rates', '')}: expected messages per second, e.g. 5000,20000`);
  const handoffMs = args.number('handoff-ms', 1, 1, 1000);
  const out = resolve(args.string('out', join(ROOT, 'bench')));
  args.done();
  superviseScript(NAME, repeats * SCENARIOS.length * (1 + rates.length) * (seconds + 8) + 60);

  const loadBefore = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-bus-'));
  cluster.setupPrimary({ serialization: 'advanced' });
  const workers = [0, 1].map((slot) => cluster.fork({ BENCH_SLOT: String(slot), BENCH_DIR: dir }));
  const killAll = (): void => workers.forEach((w) => w.process.kill('SIGKILL'));
  process.on('exit', () => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const master = new Master(workers);
  await Promise.all([master.next(0, 'ready'), master.next(1, 'ready')]);
  process.stderr.write('warming up\n');
  for (const sc of SCENARIOS.slice(0, 2)) await master.phase(sc, 0, 0.5, handoffMs);

  const runs: PhaseResult[] = [];
  for (let r = 0; r < repeats; r++) {
    const order = SCENARIOS.map((_, i) => SCENARIOS[(i + r) % SCENARIOS.length]!);
    for (const sc of order) {
      for (const rate of [0, ...rates]) {
        const res = await master.phase(sc, rate, seconds, handoffMs);
        runs.push(res);
        process.stderr.write(`repeat ${r + 1}/${repeats} ${sc.name} ${rate ? `@${rate}/s` : 'max'}: ${res.msgsPerSec} msgs/s` + (res.latency ? ` p50 ${res.latency.p50} ms p99 ${res.latency.p99} ms` : '') + ` lost ${res.sent - res.received}\n`);
      }
    }
  }

  // One row per scenario and phase ('max' or a rate), each figure the median over repeats.
  const phases = ['max', ...rates.map(String)];
  const results = Object.fromEntries(
    SCENARIOS.map((sc) => [
      sc.name,
      Object.fromEntries(
        phases.map((phase) => {
          const xs = runs.filter((x) => x.scenario === sc.name && (phase === 'max' ? x.rate === 0 : x.rate === Number(phase)));
          const ls = xs.flatMap((x) => (x.latency ? [x.latency] : []));
          const hs = xs.flatMap((x) => (x.handleSendMs ? [x.handleSendMs] : []));
          return [
            phase,
            {
              msgsPerSec: median(xs.map((x) => x.msgsPerSec)),
              ...(ls.length ? { p50Ms: median(ls.map((l) => l.p50)), p99Ms: median(ls.map((l) => l.p99)), maxMs: median(ls.map((l) => l.max)) } : {}),
              lost: xs.reduce((n, x) => n + x.sent - x.received, 0),
              outOfOrder: xs.reduce((n, x) => n + x.outOfOrder, 0),
              ...(sc.handoff
                ? {
                    handoffsPerSec: median(xs.map((x) => x.handoffsPerSec)),
                    handleWaitMeanMs: median(hs.map((h) => h.mean)),
                    handleWaitMaxMs: median(hs.map((h) => h.max)),
                    maxQueuedBehindHandle: median(xs.map((x) => x.maxQueuedBehindHandle)),
                  }
                : {}),
            },
          ];
        }),
      ),
    ]),
  );

  type Row = Record<string, number | undefined>;
  const head = ['transport', 'phase', 'msgs/s', 'p50 ms', 'p99 ms', 'max ms', 'lost', 'handoffs/s', 'handle wait ms (mean/max)', 'queued behind handle'];
  const cell = (v: number | undefined): string => (v === undefined ? '-' : String(v));
  const rows = SCENARIOS.flatMap((sc) =>
    phases.map((phase) => {
      const x = results[sc.name]![phase] as Row;
      const wait = x.handleWaitMeanMs === undefined ? '-' : `${x.handleWaitMeanMs} / ${x.handleWaitMaxMs}`;
      return [sc.name, phase === 'max' ? 'max' : `@${phase}/s`, cell(x.msgsPerSec), cell(x.p50Ms), cell(x.p99Ms), cell(x.maxMs), cell(x.lost), cell(x.handoffsPerSec), wait, cell(x.maxQueuedBehindHandle)];
    }),
  );
  const summary = {
    bench: 'bus',
    payloadBytes: MSG_BYTES,
    repeats,
    seconds,
    rates,
    handoffEveryMs: handoffMs,
    node: process.version,
    cpus: cpus().length,
    /** 1-minute load average before and after: other work on the box skews every figure. */
    loadavg: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
    results,
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bus.json'), JSON.stringify({ ...summary, date: new Date().toISOString(), runs }, null, 2) + '\n');
  process.stdout.write(`${textTable([head, ...rows])}\n`);
  process.stdout.write(JSON.stringify(summary) + '\n');
  process.exit(0);
}

if (cluster.isPrimary) {
  masterMain().catch((err: unknown) => {
    process.stderr.write(`bench-bus failed: ${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
} else {
  workerMain().catch((err: unknown) => {
    process.stderr.write(`bench-bus worker failed: ${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
}
