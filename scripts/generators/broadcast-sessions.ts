/**
 * A generator process of `npm run load:broadcast` (scripts/load-broadcast.ts starts it with an
 * IPC channel): holds its share of the sessions (at most a few thousand, on its own 127.0.0.x
 * source addresses) and checks every broadcast delivery.
 *
 * Lean on purpose: the fan-out time measured includes these processes reading thousands of
 * sockets on the same cores as the server, so a read costs no allocation. Every socket reads
 * into one shared buffer (net `onread`: no Buffer and no 'data' event per read), frames are
 * parsed in place, per-session state lives in typed arrays, and the arrival time is one
 * performance.now() per read. Only the rare frame split over two reads is copied.
 *
 * Each broadcast payload starts with bench-app's header (scripts/apps/bench-app.ts): send time
 * (s, ns of CLOCK_MONOTONIC), seq, run. Exactly once: a session must see seq 0, 1, 2, ... in
 * order; a seq ahead (missing) or behind (twice) is an error and is never counted delivered.
 * When every session of this generator has a seq, the parent gets {t:'complete'}.
 */
import { connect, type Socket } from 'node:net';
import { upgradeRequest } from '../lib/upgrade.ts';

export type ToGenerator =
  | { t: 'open'; host: string; port: number; sessions: number; addresses: string[]; concurrency: number; record: number; napMs: number }
  | { t: 'latencies' }
  | { t: 'final'; total: number };

export type FromGenerator =
  | { t: 'progress'; opened: number }
  | { t: 'opened'; opened: number; failed: number; workers: number[]; pids: number[]; firstError: string | null }
  /** Every session here has `seq`: `at` is the arrival of the last one, `stamp` the send time (ns). */
  | { t: 'complete'; seq: number; at: number; stamp: number }
  /** One-way latency in ms of each session (index order) for seq 0 .. record-1. */
  | { t: 'latencies'; record: number; sessions: number; ms: number[][] }
  | { t: 'final'; sessions: number; complete: number; errors: number; strays: number; closedEarly: number; closeFrames: number };

/** Completion counters per broadcast seq, in a ring: far more than a window ever has open. */
const RING = 4096;
const OPEN_TIMEOUT_MS = 15_000;
const HEAD_END = Buffer.from('\r\n\r\n');
const PHASE_HEAD = 0;
const PHASE_HELLO = 1;
const PHASE_OPEN = 2;
const PHASE_GONE = 3;

const tell = (m: FromGenerator): void => void process.send!(m);

function parseHello(text: string): { fd?: unknown; worker?: unknown; pid?: unknown } | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as { fd?: unknown; worker?: unknown; pid?: unknown }) : null;
  } catch {
    return null; // not JSON: not bench-app
  }
}

/**
 * performance.now() + originNs = CLOCK_MONOTONIC in ns (process.hrtime's clock, the server's
 * stamp), read without allocating. The tightest of a few paired readings: a first call of
 * either is slow (lazy set-up), which alone would skew every figure by about a millisecond.
 */
const originNs = (() => {
  const hr = () => {
    const [s, ns] = process.hrtime();
    return s * 1e9 + ns;
  };
  let best = Infinity;
  let origin = 0;
  for (let k = 0; k < 50; k++) {
    const before = hr();
    const now = performance.now();
    const after = hr();
    if (after - before < best) {
      best = after - before;
      origin = (before + after) / 2 - now * 1e6;
    }
  }
  return origin;
})();

async function main(): Promise<void> {
  const open = await new Promise<Extract<ToGenerator, { t: 'open' }>>((resolve) => {
    const first = (m: ToGenerator) => {
      if (m.t !== 'open') return;
      process.off('message', first);
      resolve(m);
    };
    process.on('message', first);
  });
  const n = open.sessions;
  const record = open.record;
  const shared = Buffer.allocUnsafe(64 * 1024);
  const sockets: Array<Socket | null> = new Array<Socket | null>(n).fill(null);
  const phase = new Uint8Array(n);
  const next = new Int32Array(n);
  const workers = new Int32Array(n).fill(-1);
  const ring = new Int32Array(RING);
  /** latency[seq * n + i], ms, for seq < record. */
  const latency = new Float64Array(record * n);
  /** Bytes of a frame (or response head) split over reads, per session: rare, so copied. */
  const partial: Array<Buffer | null> = new Array<Buffer | null>(n).fill(null);
  const settle: Array<((err: Error | null) => void) | null> = new Array<((err: Error | null) => void) | null>(n).fill(null);
  const pids = new Set<number>();
  let errors = 0;
  let strays = 0;
  let closedEarly = 0;
  let closeFrames = 0;
  let finalSent = false;

  process.on('disconnect', () => {
    for (const s of sockets) s?.destroy();
    process.exit(0);
  });

  const deliver = (i: number, buf: Buffer, off: number, len: number, at: number): void => {
    if (len < 16) return void strays++;
    const seq = buf.readUInt32BE(off + 8);
    const expected = next[i]!;
    if (seq !== expected) {
      errors++;
      if (seq > expected) next[i] = seq + 1;
      return;
    }
    next[i] = seq + 1;
    const stamp = buf.readUInt32BE(off) * 1e9 + buf.readUInt32BE(off + 4);
    if (seq < record) latency[seq * n + i] = (at - stamp) / 1e6;
    const slot = seq % RING;
    if (++ring[slot]! === n) {
      // Every session has it (and, each seeing them in order, every earlier one).
      ring[slot] = 0;
      tell({ t: 'complete', seq, at, stamp });
    }
  };

  const hello = (i: number, text: string): void => {
    const h = parseHello(text);
    if (h === null || typeof h.fd !== 'number' || typeof h.worker !== 'number' || typeof h.pid !== 'number') {
      return settle[i]?.(new Error(`not bench-app's hello: ${JSON.stringify(text.slice(0, 80))}`));
    }
    workers[i] = h.worker;
    pids.add(h.pid);
    phase[i] = PHASE_OPEN;
    settle[i]?.(null);
  };

  /** Bytes `buf[0, end)` of session i: the response head, then server frames (RFC 6455 §5.2). */
  const consume = (i: number, buf: Buffer, end: number, at: number): void => {
    let off = 0;
    if (phase[i] === PHASE_HEAD) {
      const headEnd = buf.subarray(0, end).indexOf(HEAD_END);
      if (headEnd === -1) return void (partial[i] = Buffer.from(buf.subarray(0, end)));
      if (buf.toString('latin1', 0, 12) !== 'HTTP/1.1 101') {
        return settle[i]?.(new Error(`upgrade refused: ${buf.toString('latin1', 0, Math.min(headEnd, 120)).split('\r\n')[0]}`));
      }
      phase[i] = PHASE_HELLO;
      off = headEnd + 4;
    }
    while (end - off >= 2) {
      let len = buf[off + 1]! & 0x7f;
      let head = 2;
      if (len === 126) {
        if (end - off < 4) break;
        len = buf.readUInt16BE(off + 2);
        head = 4;
      } else if (len === 127) {
        if (end - off < 10) break;
        len = Number(buf.readBigUInt64BE(off + 2));
        head = 10;
      }
      if (end - off < head + len) break;
      const opcode = buf[off]! & 0x0f;
      const at0 = off + head;
      off = at0 + len;
      if (opcode === 2 && phase[i] === PHASE_OPEN) deliver(i, buf, at0, len, at);
      else if (opcode === 1 && phase[i] === PHASE_HELLO) hello(i, buf.toString('utf8', at0, at0 + len));
      else if (opcode === 8) closeFrames++;
      else if (opcode === 1 || opcode === 2) strays++;
      // pings (the server's heartbeat, when configured) need no answer for this short run
    }
    if (off < end) partial[i] = Buffer.from(buf.subarray(off, end));
  };

  // Reading in rounds: after a turn that read something, the process sleeps napMs before it
  // polls again, so the next poll finds many sockets ready. Without it, a reader faster than
  // the server wakes up (a context switch on each side) for nearly every delivery, on the
  // cores the server needs. An arrival is then stamped at most napMs late.
  const napCell = new Int32Array(new SharedArrayBuffer(4));
  let napArmed = false;
  const nap = (): void => {
    napArmed = false;
    Atomics.wait(napCell, 0, 0, open.napMs);
  };

  const onRead = (i: number, nread: number): void => {
    const at = originNs + performance.now() * 1e6;
    if (!napArmed && open.napMs > 0 && phase[i] === PHASE_OPEN) {
      napArmed = true;
      setImmediate(nap);
    }
    const rest = partial[i] ?? null;
    if (rest === null) return consume(i, shared, nread, at);
    partial[i] = null;
    const joined = Buffer.concat([rest, shared.subarray(0, nread)]);
    consume(i, joined, joined.length, at);
  };

  const openOne = (i: number, address: string | undefined): Promise<void> =>
    new Promise((resolve, reject) => {
      phase[i] = PHASE_HEAD;
      partial[i] = null;
      const socket = connect({
        host: open.host,
        port: open.port,
        ...(address ? { localAddress: address } : {}),
        onread: {
          buffer: shared,
          callback: (nread: number) => {
            onRead(i, nread);
            return true;
          },
        },
      });
      sockets[i] = socket;
      socket.setNoDelay(true);
      const timer = setTimeout(() => settle[i]?.(new Error(`no hello within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
      settle[i] = (err) => {
        settle[i] = null;
        clearTimeout(timer);
        if (err === null) return resolve();
        phase[i] = PHASE_GONE;
        socket.destroy();
        reject(err);
      };
      socket.once('connect', () => socket.write(upgradeRequest('/', { Host: open.host })));
      // A retry replaces sockets[i]: a dead attempt's late events must not touch the new one.
      socket.on('error', (err) => sockets[i] === socket && settle[i]?.(err));
      socket.on('close', () => {
        if (sockets[i] !== socket) return;
        settle[i]?.(new Error('closed during the handshake'));
        if (phase[i] === PHASE_OPEN && !finalSent) closedEarly++;
        phase[i] = PHASE_GONE;
      });
    });

  let started = 0;
  let opened = 0;
  let failed = 0;
  let firstError: string | null = null;
  const lane = async (): Promise<void> => {
    while (started < n) {
      const i = started++;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await openOne(i, open.addresses[i % open.addresses.length]);
          if (++opened % 500 === 0) tell({ t: 'progress', opened });
          break;
        } catch (err) {
          firstError ??= (err as Error).message;
          if (attempt === 2 || /hello|refused/.test((err as Error).message)) {
            failed++;
            break;
          }
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(open.concurrency, n) }, lane));
  tell({ t: 'opened', opened, failed, workers: Array.from(workers), pids: [...pids], firstError });

  process.on('message', (m: ToGenerator) => {
    if (m.t === 'latencies') {
      const ms: number[][] = [];
      for (let seq = 0; seq < record; seq++) ms.push(Array.from(latency.subarray(seq * n, (seq + 1) * n), (x) => Math.round(x * 1000) / 1000));
      tell({ t: 'latencies', record, sessions: n, ms });
    } else if (m.t === 'final') {
      let complete = 0;
      for (let i = 0; i < n; i++) if (next[i] === m.total) complete++;
      finalSent = true;
      tell({ t: 'final', sessions: n, complete, errors, strays, closedEarly, closeFrames });
    }
  });
}

await main();
