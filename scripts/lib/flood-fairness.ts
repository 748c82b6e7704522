/**
 * Fairness under a flood (issue 11): while F clients flood a server with tiny frames as fast
 * as they can (scripts/generators/flooder.ts, a process of its own), a probe connection does
 * echo round trips one at a time, and C new connections are opened, spread over the flood,
 * each given a deadline for its 101. Any echo server with a WebSocket echo at `path` will do
 * (Switchyard's default app, scripts/peers/ws-*.ts), so the same run compares them.
 *
 * Figures: the probe's round trips (count, p50/p99/max in ms) and the connects that got no
 * 101 within the deadline (refused, reset or timed out).
 */
import type { Socket } from 'node:net';
import { clientFrame, OPCODE, ServerFrameReader } from './frames.ts';
import { JsonLog } from './json-log.ts';
import { launch } from './processes.ts';
import { percentiles, type Percentiles } from './report.ts';
import { openWebSocket } from './upgrade.ts';
import { sleep } from './wait.ts';

export interface FairnessOptions {
  host: string;
  port: number;
  path: string;
  /** Flooding connections (one generator process). */
  flooders: number;
  /** Bytes of payload per flood frame (1: the issue's worst case). */
  frameSize: number;
  /** New connections during the flood, evenly spaced. */
  connects: number;
  durationMs: number;
  /** A new connection without its 101 by then has failed. */
  deadlineMs: number;
}

export interface FairnessResult {
  probe: Percentiles & { roundTrips: number };
  connects: { attempted: number; ok: number; failed: number; firstFailure: string | null; handshakeMs: Percentiles };
  flood: { connections: number; bytesSent: number; closedByServer: number };
}


/** Connects and upgrades; rejects with why, or after `deadlineMs`. Resolves with the socket and its handshake time. */
async function upgrade(o: FairnessOptions, deadlineMs: number): Promise<{ socket: Socket; ms: number }> {
  const r = await openWebSocket({ host: o.host, port: o.port, path: o.path, deadlineMs });
  if (r.ok) return { socket: r.socket, ms: r.ms };
  throw new Error(r.failure === 'timeout' ? `no 101 within ${deadlineMs} ms` : r.failure.startsWith('HTTP ') ? `answered ${r.failure}` : r.failure);
}

/** Echo round trips, one at a time, until `stop()`: each latency in ms. */
function probeLoop(socket: Socket): { samples: number[]; stop: () => void } {
  const samples: number[] = [];
  const message = clientFrame(OPCODE.text, 'probe-0123456789');
  const reader = new ServerFrameReader();
  let sentAt = 0;
  let stopped = false;
  const send = (): void => {
    if (stopped || socket.destroyed) return;
    sentAt = performance.now();
    socket.write(message);
  };
  socket.on('data', (chunk: Buffer) => {
    reader.read(chunk, (opcode) => {
      if (opcode !== OPCODE.text) return;
      samples.push(performance.now() - sentAt);
      send();
    });
  });
  socket.on('error', () => {});
  send();
  return { samples, stop: () => void (stopped = true) };
}

/** Starts the flooders' process and resolves once they are all flooding. */
async function startFlooders(o: FairnessOptions): Promise<{ stop: () => Promise<{ bytes: number; closed: number }> }> {
  const child = launch(process.execPath, ['--import', 'tsx', 'scripts/generators/flooder.ts', '--host', o.host, '--port', String(o.port), '--path', o.path, '--connections', String(o.flooders), '--size', String(o.frameSize)]);
  const log = new JsonLog(child.stdout!);
  const event = (name: string) => log.find((e) => e.event === name)?.e;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 20_000;
  while (event('flooding') === undefined) {
    const error = event('error');
    if (error || child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`flooders did not start: ${String(error?.message ?? (child.exitCode !== null ? `exited ${child.exitCode}` : 'timeout'))}`);
    }
    await sleep(10);
  }
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      const end = event('flooded');
      return { bytes: Number(end?.bytes ?? 0), closed: Number(end?.closed ?? 0) };
    },
  };
}

export async function measureFloodFairness(o: FairnessOptions): Promise<FairnessResult> {
  const probeSocket = (await upgrade(o, 10_000)).socket;
  const flooders = await startFlooders(o);
  const probe = probeLoop(probeSocket);
  const handshakes: number[] = [];
  const failures: string[] = [];
  const attempts: Array<Promise<void>> = [];
  const spacing = o.durationMs / (o.connects + 1);
  for (let i = 0; i < o.connects; i++) {
    await sleep(spacing);
    attempts.push(
      upgrade(o, o.deadlineMs).then(
        ({ socket, ms }) => {
          handshakes.push(ms);
          socket.destroy();
        },
        (err: Error) => void failures.push(err.message),
      ),
    );
  }
  await sleep(spacing);
  probe.stop();
  await Promise.all(attempts);
  const flood = await flooders.stop();
  probeSocket.destroy();
  return {
    probe: { roundTrips: probe.samples.length, ...percentiles(probe.samples) },
    connects: { attempted: o.connects, ok: handshakes.length, failed: failures.length, firstFailure: failures[0] ?? null, handshakeMs: percentiles(handshakes) },
    flood: { connections: o.flooders, bytesSent: flood.bytes, closedByServer: flood.closed },
  };
}
