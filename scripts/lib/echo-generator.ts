/**
 * An echo generator process: started by scripts/load-echo.ts (node --import tsx, with an IPC
 * channel), never by hand. It opens its share of the connections, then follows the
 * coordinator: `go` puts `inflight` messages in flight on each, `measure` starts the measured
 * window (counters and latency histogram reset), `stop` ends it and answers with the window's
 * result; then it closes everything and exits. It exits too if the coordinator goes away.
 *
 *   coordinator → generator: open(settings), go, measure, stop
 *   generator → coordinator: opened, tick (every second while running), result
 */
import { EchoConnection, ErrorLog, type Shared } from './echo-connection.ts';
import { EchoPlan, type EchoSettings } from './echo-plan.ts';
import { LatencyHistogram } from './latency-histogram.ts';

export interface GeneratorSettings extends EchoSettings {
  index: number;
  port: number;
  connections: number;
}

export type ToGenerator = { t: 'open'; settings: GeneratorSettings } | { t: 'go' } | { t: 'measure' } | { t: 'stop' };

export interface ErrorKind {
  kind: string;
  count: number;
  first: string;
}

export interface GeneratorResult {
  t: 'result';
  /** Replies in the measured window, and its length by this process's clock. */
  messages: number;
  seconds: number;
  /** CPU time of this process in the window (all its threads), seconds. */
  cpuSeconds: number;
  verified: number;
  compressed: number;
  /** Reads that brought replies, and writes, in the window. */
  reads: number;
  writes: number;
  latency: ReturnType<LatencyHistogram['toSparse']>;
  errors: ErrorKind[];
  open: number;
}

export type FromGenerator = { t: 'opened'; open: number; errors: number } | { t: 'tick'; second: number; messages: number; open: number; errors: number } | GeneratorResult;

/** Handshakes in flight at once per process (a burst of SYNs beyond the listen backlog is dropped and retried after 1 s). */
const OPENING_CONCURRENCY = 100;
/** Connection i is fully verified (every reply read as frames and compared) when i % VERIFY_EVERY === 0. */
const VERIFY_EVERY = 16;

let shared: Shared | null = null;
let connections: EchoConnection[] = [];
let tick: NodeJS.Timeout | null = null;
/** Counters and clock at the start of the measured window. */
let mark = { messages: 0, verified: 0, compressed: 0, reads: 0, writes: 0, t: 0, cpu: process.cpuUsage() };

const send = (m: FromGenerator, then?: () => void): void => {
  process.send!(m, undefined, undefined, () => then?.());
};

const errorKinds = (log: ErrorLog): ErrorKind[] => [...log.kinds].map(([kind, k]) => ({ kind, count: k.count, first: k.first }));

async function open(s: GeneratorSettings): Promise<void> {
  const sh: Shared = { plan: new EchoPlan(s), histogram: new LatencyHistogram(), errors: new ErrorLog(), running: false, stopping: false, messages: 0, verified: 0, compressed: 0, reads: 0, writes: 0, open: 0 };
  shared = sh;
  // Every socket reads into this one buffer: reads are handled one at a time, to the end.
  const readBuffer = Buffer.allocUnsafe(65_536);
  let next = 0;
  const lane = async () => {
    while (next < s.connections && !sh.stopping) {
      const i = next++;
      const c = new EchoConnection(`generator ${s.index}, connection ${i}`, sh, s.host, s.port, readBuffer, i % VERIFY_EVERY === 0);
      connections.push(c);
      await c.opened();
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPENING_CONCURRENCY, s.connections) }, lane));
  send({ t: 'opened', open: sh.open, errors: sh.errors.total });
}

function go(sh: Shared): void {
  sh.running = true;
  const now = performance.now();
  for (const c of connections) c.start(now);
  let second = 0;
  tick = setInterval(() => send({ t: 'tick', second: ++second, messages: sh.messages, open: sh.open, errors: sh.errors.total }), 1000);
}

function measure(sh: Shared): void {
  sh.histogram.reset();
  mark = { messages: sh.messages, verified: sh.verified, compressed: sh.compressed, reads: sh.reads, writes: sh.writes, t: performance.now(), cpu: process.cpuUsage() };
}

function stop(sh: Shared): void {
  const seconds = (performance.now() - mark.t) / 1000;
  const cpu = process.cpuUsage(mark.cpu);
  const result: GeneratorResult = {
    t: 'result',
    messages: sh.messages - mark.messages,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    verified: sh.verified - mark.verified,
    compressed: sh.compressed - mark.compressed,
    reads: sh.reads - mark.reads,
    writes: sh.writes - mark.writes,
    latency: sh.histogram.toSparse(),
    errors: errorKinds(sh.errors),
    open: sh.open,
  };
  sh.running = false;
  sh.stopping = true;
  if (tick) clearInterval(tick);
  for (const c of connections) c.stop();
  connections = [];
  send(result, () => process.exit(0));
}

process.on('disconnect', () => process.exit(1));
process.on('message', (m: ToGenerator) => {
  if (m.t === 'open') void open(m.settings);
  else if (shared === null) throw new Error(`"${m.t}" before "open"`);
  else if (m.t === 'go') go(shared);
  else if (m.t === 'measure') measure(shared);
  else stop(shared);
});
