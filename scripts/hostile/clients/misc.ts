/**
 * The smaller roles:
 *   requests   raw byte strings, each on its own connection, all at once: the status each
 *              got and how long it took (garbage heads, strictness)
 *   receiver   one WebSocket session that counts what is pushed to it (hostile-app's stamped
 *              messages: deliveries bucketed by their send time)
 *   echo-load  background traffic: K connections echoing large binary messages at a fixed
 *              total rate (bytes/s), replies read and counted
 *   storm      a connection storm: load:connect's generator (lib/connect-generator.ts)
 */
import { ConnectGenerator, type GeneratorPlan, type GeneratorResult } from '../../lib/connect-generator.ts';
import { clientFrame, OPCODE, ServerFrameReader } from '../../lib/frames.ts';
import type { RoleContext } from '../protocol.ts';
import { openWebSocket } from '../../lib/upgrade.ts';
import { exchange, type Answer, type Endpoint } from './sockets.ts';

// ---- requests ---------------------------------------------------------------------------------

export interface RequestsParams extends Endpoint {
  requests: Array<{ name: string; base64: string }>;
  deadlineMs: number;
}

export type RequestsResult = Array<{ name: string } & Answer>;

export async function requests(p: RequestsParams): Promise<RequestsResult> {
  return Promise.all(p.requests.map(async (r) => ({ name: r.name, ...(await exchange(p, Buffer.from(r.base64, 'base64'), p.deadlineMs)) })));
}

// ---- receiver ---------------------------------------------------------------------------------

export interface ReceiverParams extends Endpoint {
  path: string;
  deadlineMs: number;
  /** Width of the send-time buckets, ms (hostile-app's BUCKET_MS). */
  bucketMs: number;
}

export interface Hello {
  fd: number;
  worker: number;
  node: number;
  pid: number;
}

export interface ReceiverResult {
  failure: string | null;
  hello: Hello | null;
  delivered: number;
  /** [bucket, count]: deliveries by send time (floor(monotonic ns / bucketMs ms)). */
  buckets: Array<[number, number]>;
  /** Messages whose seq was not the previous one's + 1 (loss or reordering shows here). */
  gaps: number;
  closedEarly: boolean;
}

export async function receiver(p: ReceiverParams, ctx: RoleContext): Promise<ReceiverResult> {
  const opened = await openWebSocket(p);
  if (!opened.ok) return { failure: opened.failure, hello: null, delivered: 0, buckets: [], gaps: 0, closedEarly: false };
  const s = opened.socket;
  let hello: Hello | null = null;
  let delivered = 0;
  let gaps = 0;
  let lastSeq = -1;
  let closedEarly = false;
  const buckets = new Map<number, number>();
  const perBucket = BigInt(p.bucketMs * 1e6);
  const reader = new ServerFrameReader();
  const onData = (d: Buffer): void => {
    reader.read(d, (opcode, payload) => {
      if (opcode === OPCODE.text && hello === null) {
        try {
          const h = JSON.parse(payload.toString()) as Hello & { type?: string };
          if (h.type === 'hello') hello = { fd: h.fd, worker: h.worker, node: h.node, pid: h.pid };
        } catch {
          // not the hello
        }
        return;
      }
      if (opcode !== OPCODE.binary || payload.length < 12) return;
      delivered++;
      const bucket = Number(payload.readBigUInt64BE(0) / perBucket);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      const seq = payload.readUInt32BE(8);
      if (seq !== lastSeq + 1) gaps++;
      lastSeq = seq;
    });
  };
  if (opened.rest.length > 0) onData(opened.rest);
  s.on('data', onData);
  s.on('error', () => {});
  s.once('close', () => (closedEarly = !ctx.isStopped()));
  const ticker = setInterval(() => ctx.tick({ hello, delivered }), 100);
  await ctx.stopped;
  clearInterval(ticker);
  s.destroy();
  return { failure: null, hello, delivered, buckets: [...buckets], gaps, closedEarly };
}

// ---- echo-load --------------------------------------------------------------------------------

export interface EchoLoadParams extends Endpoint {
  path: string;
  connections: number;
  size: number;
  /** Total payload bytes per second sent, all connections. */
  bytesPerSecond: number;
  deadlineMs: number;
}

export interface EchoLoadResult {
  opened: number;
  sentBytes: number;
  receivedBytes: number;
  seconds: number;
}

const ECHO_TICK_MS = 20;

export async function echoLoad(p: EchoLoadParams, ctx: RoleContext): Promise<EchoLoadResult> {
  const frame = clientFrame(OPCODE.binary, Buffer.alloc(p.size, 0x5a));
  const opened = await Promise.all(Array.from({ length: p.connections }, () => openWebSocket(p)));
  const sockets = opened.flatMap((o) => (o.ok ? [o.socket] : []));
  let sentBytes = 0;
  let receivedBytes = 0;
  for (const s of sockets) {
    s.on('data', (d: Buffer) => (receivedBytes += d.length));
    s.on('error', () => {});
  }
  const t0 = performance.now();
  let due = 0;
  const timer = setInterval(() => {
    // Messages due by now at the rate; a socket that does not keep up gets none this tick.
    due = Math.floor((((performance.now() - t0) / 1000) * p.bytesPerSecond) / p.size);
    for (let i = 0; sentBytes / p.size < due && sockets.length > 0; i++) {
      const s = sockets[i % sockets.length]!;
      if (s.destroyed || s.writableLength > 4 * p.size) break;
      s.write(frame);
      sentBytes += p.size;
    }
    ctx.tick({ sentBytes, receivedBytes });
  }, ECHO_TICK_MS);
  await ctx.stopped;
  clearInterval(timer);
  for (const s of sockets) s.destroy();
  return { opened: sockets.length, sentBytes, receivedBytes, seconds: Math.round(performance.now() - t0) / 1000 };
}

// ---- storm ------------------------------------------------------------------------------------

export async function storm(plan: GeneratorPlan, ctx: RoleContext): Promise<GeneratorResult> {
  const g = new ConnectGenerator(plan);
  const ticker = setInterval(() => ctx.tick(g.counts()), 250);
  const result = await g.run();
  clearInterval(ticker);
  return result;
}
