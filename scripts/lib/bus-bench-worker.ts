/**
 * The workers of `npm run bench:bus` (node:cluster workers of scripts/bench-bus.ts): A (slot 0)
 * sends 64-byte pushes to B (slot 1) over the EmbeddedBus mesh or relayed through the master
 * over IPC; B counts them, checks their order and measures one-way latency from the
 * CLOCK_MONOTONIC stamp in each payload.
 */
import type { Socket } from 'node:net';
import { pino } from 'pino';
import { EmbeddedBus } from '../../src/shared/bus/embedded-bus.ts';
import type { Incoming } from '../../src/shared/bus/types.ts';
import { OPS } from '../../src/worker/cluster/cluster-ops.ts';
import { OpMessage } from '../../src/worker/cluster/op-kit.ts';
import { pcts, type Pcts } from './report.ts';
import { sleep } from './wait.ts';

export const MSG_BYTES = 64;
export type Transport = 'bus' | 'ipc';

export type Latency = { n: number } & Pcts;
/** IPC between the bench master and its workers: control (outside measured windows) and relay. */
export type Control =
  | { c: 'ready' }
  | { c: 'reset'; capacity: number }
  | { c: 'run'; transport: Transport; rate: number; seconds: number }
  | { c: 'sent'; sent: number; t0: number }
  | { c: 'expect'; count: number }
  | { c: 'got'; received: number; tLast: number; outOfOrder: number; latency: Latency | null }
  | { c: 'handle' }
  | { c: 'relay'; fd: number; data: Buffer };

const nowNs = (): number => Number(process.hrtime.bigint());

export async function workerMain(): Promise<void> {
  const slot = Number(process.env.BENCH_SLOT);
  const bus = new EmbeddedBus({ self: { node: 0, slot }, slots: 2, dir: process.env.BENCH_DIR!, log: pino({ level: 'warn' }) });
  const peer = { node: 0, slot: 1 - slot };
  const tell = (m: Control): void => void process.send!(m);
  process.on('disconnect', () => process.exit(0));

  let received = 0;
  let lastFd = 0;
  let outOfOrder = 0;
  let tLast = 0;
  let expected = Infinity;
  let samples = new Float64Array(0);
  let timer: NodeJS.Timeout | undefined;
  const report = (): void => {
    clearTimeout(timer);
    expected = Infinity;
    tell({ c: 'got', received, tLast, outOfOrder, latency: summarize(samples.subarray(0, Math.min(received, samples.length))) });
  };
  const onPush = (fd: number, data: Buffer): void => {
    const t = nowNs();
    if (received < samples.length) samples[received] = t - Number(data.readBigUInt64BE(0));
    if (fd !== lastFd + 1) outOfOrder++;
    lastFd = fd;
    received++;
    tLast = t;
    if (received >= expected) report();
  };
  // As a worker decodes a push: the op's id, then its arguments (src/worker/cluster/cluster-ops.ts).
  const decodePush = (_: null, fd: number, data: string | Uint8Array): void => onPush(fd, data as Buffer);
  bus.onMessage = (msg: Incoming) => void (msg.body[0] === OPS.push.id && OPS.push.args.read(msg.body, 1, decodePush, null));

  process.on('message', (m: Control, handle?: Socket) => {
    switch (m.c) {
      case 'relay':
        return onPush(m.fd, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
      case 'handle':
        return void handle?.destroy(); // a hand-off: the socket itself is not the point
      case 'reset':
        [received, lastFd, outOfOrder, tLast, samples] = [0, 0, 0, 0, new Float64Array(m.capacity)];
        return tell({ c: 'ready' });
      case 'expect':
        expected = m.count;
        if (received >= expected) return report();
        timer = setTimeout(report, 15_000);
        return;
      case 'run':
        return void send(m.transport, m.rate, m.seconds).then((r) => tell({ c: 'sent', ...r }));
    }
  });

  /** Sends for `seconds`: as fast as back-pressure allows (rate 0) or at `rate` msgs/s. */
  async function send(transport: Transport, rate: number, seconds: number): Promise<{ sent: number; t0: number }> {
    let sent = 0;
    const one = (): boolean => {
      const data = Buffer.alloc(MSG_BYTES, 7);
      data.writeBigUInt64BE(process.hrtime.bigint(), 0);
      if (transport === 'bus') return bus.send(peer, new OpMessage(OPS.push, sent + 1, data, 2)) === 'ok' && ++sent > 0;
      sent++; // queued even when process.send returns false (that is its back-pressure hint)
      return process.send!({ c: 'relay', fd: sent, data } satisfies Control);
    };
    const t0 = nowNs();
    const end = t0 + seconds * 1e9;
    while (nowNs() < end) {
      if (rate === 0) {
        for (let i = 0; i < 512 && one(); i++);
        await new Promise((r) => setImmediate(r));
      } else {
        const due = Math.floor(((nowNs() - t0) / 1e9) * rate);
        while (sent < due && one());
        await sleep(1);
      }
    }
    return { sent, t0 };
  }

  await bus.start();
  if (!(await bus.waitForPeers(10_000))) throw new Error('bus mesh did not connect');
  tell({ c: 'ready' });
}

/** Percentiles in milliseconds of one-way latencies given in nanoseconds. */
function summarize(ns: Float64Array): Latency | null {
  const p = pcts(ns.map((x) => x / 1e6));
  return p === null ? null : { n: ns.length, ...p };
}

