/**
 * The generator of bench:tls (one process; bench-tls.ts pins it to core 1): TLS clients of a
 * wss:// echo server written on node:tls and the raw frame kit, so every server is driven by
 * the same client code. Full TLS handshakes only (no session resumption), certificates not
 * checked (the server's are self-signed and a chain check would only load the client).
 *   storm: --connections N --concurrency C: each connection does TLS + the upgrade, and closes
 *          after its 101. Result: handshakesPerSecond, failed.
 *   echo:  --connections N --inflight M --size S --duration D: binary echo, M messages in
 *          flight per connection, counted for D seconds after 1 s of warm-up.
 * Prints one JSON line with the result.
 */
import { connect, type TLSSocket } from 'node:tls';
import { parseArgs } from 'node:util';
import { clientFrame, OPCODE, ServerFrameReader } from './frames.ts';
import { quantile } from './report.ts';
import { responseHead, upgradeRequest } from './upgrade.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    mode: { type: 'string' },
    connections: { type: 'string' },
    concurrency: { type: 'string' },
    inflight: { type: 'string' },
    size: { type: 'string' },
    duration: { type: 'string' },
  },
});
const port = Number(values.port);
const connections = Number(values.connections ?? '64');
const REQUEST = Buffer.from(upgradeRequest('/echo'));

function open(onOpen: (socket: TLSSocket, rest: Buffer) => void, onFail: (why: string) => void): void {
  const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
  socket.setNoDelay(true);
  let head = Buffer.alloc(0);
  let done = false;
  const fail = (why: string) => {
    if (done) return;
    done = true;
    socket.destroy();
    onFail(why);
  };
  socket.once('secureConnect', () => socket.write(REQUEST));
  socket.on('error', (err) => fail(err.message));
  socket.once('close', () => fail('closed before the 101'));
  const onData = (d: Buffer) => {
    head = Buffer.concat([head, d]);
    const h = responseHead(head);
    if (h === null) return;
    socket.off('data', onData);
    if (h.status !== 101) return fail(`status ${h.status}`);
    done = true;
    onOpen(socket, h.rest);
  };
  socket.on('data', onData);
}

async function storm(): Promise<Record<string, unknown>> {
  const concurrency = Math.min(connections, Number(values.concurrency ?? '50'));
  let started = 0;
  let ok = 0;
  let failed = 0;
  const why = new Map<string, number>();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const next = () => {
      if (ok + failed === connections) return resolve();
      if (started === connections) return;
      started++;
      open(
        (socket) => {
          ok++;
          socket.destroy();
          next();
        },
        (w) => {
          failed++;
          why.set(w, (why.get(w) ?? 0) + 1);
          next();
        },
      );
    };
    for (let i = 0; i < concurrency; i++) next();
  });
  const seconds = (performance.now() - t0) / 1000;
  return { mode: 'storm', connections: ok, failed, failures: Object.fromEntries(why), seconds, handshakesPerSecond: ok / seconds };
}

async function echo(): Promise<Record<string, unknown>> {
  const inflight = Number(values.inflight ?? '16');
  const size = Number(values.size ?? '32');
  const duration = Number(values.duration ?? '4');
  const frame = clientFrame(OPCODE.binary, Buffer.alloc(size, 0x61));
  const burst = Buffer.concat(Array.from({ length: inflight }, () => frame));
  let counting = false;
  let received = 0;
  const latencies: number[] = [];
  const sockets: TLSSocket[] = [];
  await Promise.all(
    Array.from({ length: connections }, () =>
      new Promise<void>((resolve, reject) => {
        open(
          (socket, rest) => {
            sockets.push(socket);
            const sentAt: number[] = [];
            const reader = new ServerFrameReader();
            const onFrames = (frames: ReturnType<ServerFrameReader['push']>) => {
              const now = performance.now();
              let n = 0;
              for (const f of frames) {
                if (f.opcode !== OPCODE.binary) continue;
                n++;
                const at = sentAt.shift()!;
                if (counting) {
                  received++;
                  if (latencies.length < 2_000_000) latencies.push(now - at);
                }
              }
              if (n > 0) {
                for (let i = 0; i < n; i++) sentAt.push(now);
                socket.write(n === inflight ? burst : Buffer.concat(Array.from({ length: n }, () => frame)));
              }
            };
            socket.on('data', (d: Buffer) => onFrames(reader.push(d)));
            const now = performance.now();
            for (let i = 0; i < inflight; i++) sentAt.push(now);
            socket.write(burst);
            if (rest.length > 0) onFrames(reader.push(rest));
            resolve();
          },
          (w) => reject(new Error(w)),
        );
      }),
    ),
  );
  await new Promise((r) => setTimeout(r, 1000));
  counting = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, duration * 1000));
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  for (const s of sockets) s.destroy();
  latencies.sort((a, b) => a - b);
  return { mode: 'echo', connections: sockets.length, size, inflight, seconds, messagesPerSecond: received / seconds, latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) } };
}

const result = values.mode === 'storm' ? await storm() : await echo();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
