/**
 * The app of `npm run hostile`'s cross-node attacks (push-flood, redis-restart): the default
 * app's /echo, plus commands that make a worker push to another node's session.
 *
 * On open each client gets `{"type":"hello","fd","worker","node","pid"}`: who holds it, so the
 * script can address it and measure that worker's memory. A driver client sends JSON text:
 *
 *   {"cmd":"flood","to":fd,"count":N,"size":S}
 *       N pushes of S bytes to `to` in ONE synchronous loop (what an app that fans out a
 *       backlog does: nothing of the bus drains meanwhile), each message a new Buffer.
 *       Replies {"type":"flood-done","outcomes":{status: count},"loopMs"}: `outcomes` counts
 *       whatever pushStatus() answered (today forwarded / unreachable; newer code adds more).
 *   {"cmd":"pace","to":fd,"rate":R,"size":S}
 *       R pushes per second to `to` until "pace-stop", in batches every PACE_TICK_MS. Each
 *       message carries its send time, and its outcome is counted in the BUCKET_MS bucket of
 *       that send time, so the script can line outcomes and deliveries up with a Redis restart.
 *   {"cmd":"pace-stop"}
 *       Replies {"type":"pace-done","sent","buckets":[[bucket, {status: count}], ...]}.
 *
 * Every pushed message starts with a header (the rest is padding to S bytes):
 *
 *    0               8               12
 *   +---------------+---------------+
 *   | send time, ns | seq           |
 *   +---------------+---------------+
 *   send time: process.hrtime.bigint() (CLOCK_MONOTONIC, shared by every process of the
 *   machine) as a big-endian uint64; seq: uint32, per driver.
 *
 * GET /stats answers the cluster's figures (as the default app does).
 */
import type { AppHost, ServerApi } from '../../src/worker/app-contract.ts';

export const HEADER_BYTES = 12;
/** Outcome buckets of paced pushes, by send time. */
export const BUCKET_MS = 10;
const PACE_TICK_MS = 5;
/** A paced run stops by itself after this long, whatever the driver does. */
const PACE_LIMIT_MS = 120_000;
/** A flood asks for at most this many pushes. */
const MAX_FLOOD = 10_000_000;

interface Pace {
  driver: number;
  to: number;
  rate: number;
  size: number;
  sent: number;
  t0: number;
  timer: NodeJS.Timeout;
  buckets: Map<number, Record<string, number>>;
}

const paces = new Map<number, Pace>();

function stamped(size: number, seq: number): Buffer {
  const buf = Buffer.alloc(Math.max(HEADER_BYTES, size), 0x2e);
  buf.writeBigUInt64BE(process.hrtime.bigint(), 0);
  buf.writeUInt32BE(seq >>> 0, 8);
  return buf;
}

const int = (v: unknown, min: number, max: number, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;

export default function app(server: AppHost): void {
  server.on('open', (srv, req) => {
    srv.push(req.fd, JSON.stringify({ type: 'hello', fd: req.fd, worker: srv.workerId, node: srv.node, pid: process.pid }));
  });
  server.on('message', (srv, frame) => {
    if (typeof frame.data === 'string' && frame.data.startsWith('{"cmd"')) return command(srv, frame.fd, frame.data);
    srv.push(frame.fd, frame.data, frame.opcode);
  });
  server.on('close', (_srv, fd) => stopPace(null, fd));
  server.on('request', async (req, res, srv) => {
    const [code, body] = req.method === 'GET' && req.url === '/stats' ? [200, await srv.stats()] : [404, { error: 'not found' }];
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
}

function command(srv: ServerApi, fd: number, text: string): void {
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return; // not a command: the script only sends well-formed ones
  }
  const to = typeof c.to === 'number' && Number.isSafeInteger(c.to) ? c.to : -1;
  if (c.cmd === 'flood' && to >= 0) flood(srv, fd, to, int(c.count, 1, MAX_FLOOD, 1), int(c.size, 0, 1 << 20, 64));
  else if (c.cmd === 'pace' && to >= 0) startPace(srv, fd, to, int(c.rate, 1, 1_000_000, 100), int(c.size, 0, 1 << 20, 64));
  else if (c.cmd === 'pace-stop') stopPace(srv, fd);
}

function flood(srv: ServerApi, driver: number, to: number, count: number, size: number): void {
  const outcomes: Record<string, number> = {};
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const status: string = srv.pushStatus(to, stamped(size, i));
    outcomes[status] = (outcomes[status] ?? 0) + 1;
  }
  const loopMs = Math.round(performance.now() - t0);
  srv.push(driver, JSON.stringify({ type: 'flood-done', outcomes, loopMs }));
}

function startPace(srv: ServerApi, driver: number, to: number, rate: number, size: number): void {
  stopPace(null, driver);
  const p: Pace = { driver, to, rate, size, sent: 0, t0: performance.now(), timer: setInterval(() => paceStep(srv, p), PACE_TICK_MS), buckets: new Map() };
  paces.set(driver, p);
}

function paceStep(srv: ServerApi, p: Pace): void {
  const elapsed = performance.now() - p.t0;
  if (elapsed > PACE_LIMIT_MS) return stopPace(srv, p.driver);
  const due = Math.floor((elapsed / 1000) * p.rate);
  while (p.sent < due) {
    const message = stamped(p.size, p.sent);
    const status: string = srv.pushStatus(p.to, message);
    const bucket = Number(message.readBigUInt64BE(0) / BigInt(BUCKET_MS * 1e6));
    let counts = p.buckets.get(bucket);
    if (counts === undefined) p.buckets.set(bucket, (counts = {}));
    counts[status] = (counts[status] ?? 0) + 1;
    p.sent++;
  }
}

/** Ends a paced run; with `srv`, tells its driver what was sent and how each push went. */
function stopPace(srv: ServerApi | null, driver: number): void {
  const p = paces.get(driver);
  if (!p) return;
  clearInterval(p.timer);
  paces.delete(driver);
  srv?.push(driver, JSON.stringify({ type: 'pace-done', sent: p.sent, buckets: [...p.buckets] }));
}
