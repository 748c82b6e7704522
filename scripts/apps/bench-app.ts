/**
 * The app of the push and broadcast benchmarks (scripts/bench-push.ts, load-broadcast.ts).
 *
 * On open each client gets `{"fd","worker","node","pid"}`: who holds it, so a benchmark can
 * place its clients (round-robin dispatch) and address any of them. A "driver" client sends
 * JSON text commands:
 *
 *   {"cmd":"pushes","run":id,"to":fd|[fd,..],"count":N,"rate":R,"size":S,"window":W}
 *       push N binary messages of S bytes, round-robin over the targets (message i to
 *       to[i % k]), R per second in small batches per timer tick, or as fast as the bus and
 *       the window allow when R is 0. At most W messages per target go unacknowledged: a
 *       target acks with {"cmd":"ack","run":id,"driver":fd,"got":n} on its own connection
 *       (its worker forwards the ack to the driver's worker), so a slow reader slows the
 *       driver instead of overflowing its connection's buffer (pushes there would be dropped).
 *       W = 0: no window (the bus's own back-pressure only). When done, the driver gets
 *       {"type":"pushes-done","run","sent","refused","windowWaits","t0","t1","maxBehindMs","error"}.
 *   {"cmd":"broadcast","seq":k,"count":c,"size":S}
 *       c broadcasts, seq k..k+c-1, one per event-loop turn, to every session but the driver;
 *       then {"type":"broadcast-done","seq","count","failed","writeMs"}: writeMs is the time
 *       from the last one's stamp until this worker had written its own share to its sockets
 *       and handed the rest to the bus (the flushes queued on process.nextTick are done).
 *
 * Every message pushed or broadcast starts with a header (the rest is padding to S bytes):
 *
 *    0               4               8               12              16
 *   +---------------+---------------+---------------+---------------+
 *   | send time: s  | send time: ns | seq           | run id        |
 *   +---------------+---------------+---------------+---------------+
 *   all uint32 big-endian; send time = process.hrtime() just before push()/broadcast().
 *
 * process.hrtime() reads CLOCK_MONOTONIC, one clock for every process of the machine: a
 * receiver subtracts the stamp from its own hrtime for the one-way latency. seq counts per
 * target (pushes) or per cluster (broadcasts), so receivers check order and completeness.
 *
 * In the master, the `start` hook prints {"event":"bench-app-listening","port"}: benchmarks
 * run with --log-level warn, below the master's own "listening" line (info).
 */
import type { AppHost, ServerApi } from '../../src/worker/app-contract.ts';
import { nodeOf, slotOf } from '../../src/shared/session-id.ts';

export const HEADER_BYTES = 16;
/** A paced run sends at most this many per timer tick (catching up after a stall included):
 * 20 ms of the 20,000/s, so a stall cannot turn into one huge burst. */
const MAX_PER_TICK = 400;
/** An unpaced run yields to the event loop after this many pushes (the bus and the
 * connections flush once per turn). */
const UNPACED_BATCH = 512;
/** A run waiting this long for an ack (or for the bus to take a push) has lost its target. */
const STALL_LIMIT_MS = 10_000;
/** No run lasts longer than this, whatever it was asked. */
const RUN_LIMIT_MS = 120_000;

interface PushRun {
  id: number;
  driver: number;
  targets: number[];
  count: number;
  rate: number;
  size: number;
  window: number;
  sent: number;
  sentTo: number[];
  acked: number[];
  refused: number;
  windowWaits: number;
  maxBehindMs: number;
  t0: number;
  lastProgress: number;
  timer: NodeJS.Timeout | null;
  waitingForAck: boolean;
  finished: boolean;
}

/** Runs driven from this worker, by run id. */
const runs = new Map<number, PushRun>();
/** Broadcasts waiting for their turn: issued in order, one per event-loop turn. */
const broadcasts: Array<{ seq: number; size: number; driver: number; last: boolean; first: number; count: number }> = [];
let broadcastFailed = 0;
let pumping = false;

const nowNs = (): number => {
  const [s, ns] = process.hrtime();
  return s * 1e9 + ns;
};

/** One message: header stamped now, padding up to `size` (at least the header). */
function stamped(size: number, seq: number, run: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(HEADER_BYTES, size));
  if (buf.length > HEADER_BYTES) buf.fill(0x2e, HEADER_BYTES);
  const [s, ns] = process.hrtime();
  buf.writeUInt32BE(s, 0);
  buf.writeUInt32BE(ns, 4);
  buf.writeUInt32BE(seq >>> 0, 8);
  buf.writeUInt32BE(run >>> 0, 12);
  return buf;
}

const int = (v: unknown, min: number, max: number, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;

export default function app(server: AppHost): void {
  server.on('start', (_s, info) => {
    process.stdout.write(`${JSON.stringify({ event: 'bench-app-listening', port: info.port, workers: info.workers })}\n`);
  });
  server.on('open', (srv, req) => {
    srv.push(req.fd, JSON.stringify({ fd: req.fd, worker: srv.workerId, node: srv.node, pid: process.pid }));
  });
  server.on('message', (srv, frame) => {
    if (typeof frame.data !== 'string' || !frame.data.startsWith('{')) return;
    let c: Record<string, unknown>;
    try {
      c = JSON.parse(frame.data) as Record<string, unknown>;
    } catch {
      return; // not a command: benchmark clients only send well-formed ones
    }
    if (c.cmd === 'pushes') startPushes(srv, frame.fd, c);
    else if (c.cmd === 'ack') routeAck(srv, c);
    else if (c.cmd === 'broadcast') queueBroadcasts(srv, frame.fd, c);
  });
  // An ack forwarded by the target's worker (another worker, or another node).
  server.on('pipeMessage', (srv, _src, data) => onAck(srv, data as Record<string, unknown>));
  server.on('close', (_srv, fd) => {
    for (const run of runs.values()) if (run.driver === fd) finish(null, run, 'driver closed');
  });
}

// ---- pushes -------------------------------------------------------------------------------

function startPushes(srv: ServerApi, driver: number, c: Record<string, unknown>): void {
  const targets = (Array.isArray(c.to) ? c.to : [c.to]).filter((fd): fd is number => typeof fd === 'number' && Number.isSafeInteger(fd));
  const id = int(c.run, 0, 2 ** 32 - 1, -1);
  if (targets.length === 0 || id < 0 || runs.has(id)) {
    srv.push(driver, JSON.stringify({ type: 'pushes-done', run: c.run, sent: 0, error: 'bad pushes command (run id, targets)' }));
    return;
  }
  const run: PushRun = {
    id,
    driver,
    targets,
    count: int(c.count, 0, 1e8, 0),
    rate: int(c.rate, 0, 1e7, 0),
    size: int(c.size, 0, 1 << 20, 64),
    window: int(c.window, 0, 1e7, 0),
    sent: 0,
    sentTo: targets.map(() => 0),
    acked: targets.map(() => 0),
    refused: 0,
    windowWaits: 0,
    maxBehindMs: 0,
    t0: nowNs(),
    lastProgress: Date.now(),
    timer: null,
    waitingForAck: false,
    finished: false,
  };
  runs.set(id, run);
  step(srv, run);
}

/** Sends what is due now, then arms the next step (timer tick, next turn, or the next ack). */
function step(srv: ServerApi, run: PushRun): void {
  run.timer = null;
  run.waitingForAck = false;
  if (run.finished) return;
  const now = nowNs();
  const k = run.targets.length;
  let due = run.count;
  let budget = UNPACED_BATCH;
  if (run.rate > 0) {
    due = Math.min(run.count, Math.floor(((now - run.t0) / 1e9) * run.rate));
    budget = MAX_PER_TICK;
    // How far the driver is behind its schedule: the message due longest ago, not yet sent.
    if (due > run.sent) run.maxBehindMs = Math.max(run.maxBehindMs, (now - run.t0) / 1e6 - (run.sent / run.rate) * 1000);
  }
  let backoff = false;
  while (run.sent < due && budget-- > 0) {
    const j = run.sent % k;
    if (run.window > 0 && run.sentTo[j]! - run.acked[j]! >= run.window) {
      run.windowWaits++;
      run.waitingForAck = true;
      break;
    }
    const status = srv.pushStatus(run.targets[j]!, stamped(run.size, run.sentTo[j]!, run.id));
    if (status === 'written' || status === 'queued' || status === 'forwarded') {
      run.sentTo[j]!++;
      run.sent++;
      run.lastProgress = Date.now();
    } else if (status === 'dropped' || status === 'congested' || status === 'unreachable') {
      // Not taken (connection buffer or bus full, bus down): the same message goes again shortly.
      run.refused++;
      backoff = true;
      break;
    } else {
      return finish(srv, run, `target ${run.targets[j]} is ${status}`);
    }
  }
  if (run.sent >= run.count) return finish(srv, run, null);
  if (Date.now() - run.lastProgress > STALL_LIMIT_MS) return finish(srv, run, `no progress for ${STALL_LIMIT_MS} ms (window ${run.waitingForAck ? 'full' : 'open'})`);
  if ((now - run.t0) / 1e6 > RUN_LIMIT_MS) return finish(srv, run, `run longer than ${RUN_LIMIT_MS} ms`);
  if (run.waitingForAck) {
    // The ack resumes us; this timer only notices a run whose acks stopped.
    run.timer = setTimeout(() => step(srv, run), 250);
    return;
  }
  if (backoff || run.rate > 0) run.timer = setTimeout(() => step(srv, run), 1);
  else setImmediate(() => step(srv, run));
}

function finish(srv: ServerApi | null, run: PushRun, error: string | null): void {
  if (run.finished) return;
  run.finished = true;
  runs.delete(run.id);
  if (run.timer !== null) clearTimeout(run.timer);
  const done = { type: 'pushes-done', run: run.id, sent: run.sent, refused: run.refused, windowWaits: run.windowWaits, t0: run.t0, t1: nowNs(), maxBehindMs: Math.round(run.maxBehindMs * 1000) / 1000, error };
  srv?.push(run.driver, JSON.stringify(done));
}

/** An ack from a target's client: to the driver's worker (here, or over a bus). */
function routeAck(srv: ServerApi, c: Record<string, unknown>): void {
  const driver = c.driver;
  if (typeof driver !== 'number' || !Number.isSafeInteger(driver)) return;
  const owner = nodeOf(driver) * 256 + slotOf(driver);
  if (owner === srv.globalWorkerId) onAck(srv, c);
  else srv.sendMessage({ cmd: 'ack', run: c.run, target: c.target, got: c.got }, owner);
}

function onAck(srv: ServerApi, c: Record<string, unknown>): void {
  const run = typeof c.run === 'number' ? runs.get(c.run) : undefined;
  if (!run || typeof c.got !== 'number') return;
  const j = run.targets.indexOf(c.target as number);
  if (j < 0) return;
  run.acked[j] = Math.max(run.acked[j]!, c.got);
  run.lastProgress = Date.now();
  // Blocked on the target of the next message: resume once that one has room again.
  const next = run.sent % run.targets.length;
  if (run.waitingForAck && run.sentTo[next]! - run.acked[next]! < run.window) {
    if (run.timer !== null) clearTimeout(run.timer);
    run.timer = null;
    run.waitingForAck = false;
    setImmediate(() => step(srv, run));
  }
}

// ---- broadcasts ---------------------------------------------------------------------------

function queueBroadcasts(srv: ServerApi, driver: number, c: Record<string, unknown>): void {
  const first = int(c.seq, 0, 2 ** 32 - 1, 0);
  const count = int(c.count, 1, 100_000, 1);
  const size = int(c.size, 0, 1 << 20, 64);
  for (let i = 0; i < count; i++) broadcasts.push({ seq: first + i, size, driver, last: i === count - 1, first, count });
  if (!pumping) {
    pumping = true;
    setImmediate(() => pump(srv));
  }
}

/** One broadcast per turn: each is a separate write to every connection, as in an app that
 * broadcasts what it receives (several per turn would be coalesced into one write each). */
function pump(srv: ServerApi): void {
  const b = broadcasts.shift();
  if (!b) {
    pumping = false;
    return;
  }
  const payload = stamped(b.size, b.seq, 0);
  if (!srv.broadcast(payload, { except: b.driver })) broadcastFailed++;
  if (b.last) {
    const failed = broadcastFailed;
    broadcastFailed = 0;
    // Queued after the connections' and the bus's flushes (process.nextTick, in order): the
    // time this worker took to hand its own share to the kernel and the rest to the bus.
    process.nextTick(() => {
      const writeMs = (nowNs() - (payload.readUInt32BE(0) * 1e9 + payload.readUInt32BE(4))) / 1e6;
      srv.push(b.driver, JSON.stringify({ type: 'broadcast-done', seq: b.first, count: b.count, failed, writeMs: Math.round(writeMs * 1000) / 1000 }));
    });
  }
  setImmediate(() => pump(srv));
}
