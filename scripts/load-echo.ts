/**
 * Minimal echo load generator (raw sockets, pre-built masked frames), used to keep the hot
 * path honest while the full benchmark suite is built. Bounded in time; loopback only.
 *   tsx scripts/load-echo.ts --port 9501 --connections 64 --inflight 16 --size 32 --seconds 5
 * Prints one JSON object as its last line.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '9501' },
    path: { type: 'string', default: '/echo' },
    connections: { type: 'string', default: '64' },
    inflight: { type: 'string', default: '16' },
    size: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '5' },
  },
});
const port = Number(values.port);
const conns = Number(values.connections);
const inflight = Number(values.inflight);
const size = Number(values.size);
const seconds = Math.min(Number(values.seconds), 120);

function maskedFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const ext = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const f = Buffer.alloc(2 + ext + 4 + n);
  f[0] = 0x82;
  f[1] = 0x80 | (ext === 0 ? n : ext === 2 ? 126 : 127);
  if (ext === 2) f.writeUInt16BE(n, 2);
  if (ext === 8) f.writeBigUInt64BE(BigInt(n), 2);
  const mask = randomBytes(4);
  mask.copy(f, 2 + ext);
  for (let i = 0; i < n; i++) f[6 + ext + i] = payload[i]! ^ mask[i & 3]!;
  return f;
}

const frame = maskedFrame(randomBytes(size));
const batch = Buffer.concat(Array.from({ length: inflight }, () => frame));
const replyLen = 2 + (size < 126 ? 0 : size < 65536 ? 2 : 8) + size;
let received = 0;
let running = true;

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, values.host);
    s.setNoDelay(true);
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      if (!head.subarray(0, 12).toString().includes('101')) return reject(new Error(head.toString()));
      s.off('data', onData);
      let pending = head.length - end - 4;
      s.on('data', (chunk: Buffer) => {
        pending += chunk.length;
        const n = Math.floor(pending / replyLen);
        pending -= n * replyLen;
        received += n;
        if (running && n > 0) s.write(n === inflight ? batch : Buffer.concat(Array.from({ length: n }, () => frame)));
      });
      resolve(s);
    };
    s.on('data', onData);
    s.on('error', reject);
    s.write(`GET ${values.path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}

const sockets = await Promise.all(Array.from({ length: conns }, open));
for (const s of sockets) s.write(batch);
const warm = 1000;
await new Promise((r) => setTimeout(r, warm));
const start = received;
const t0 = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, seconds * 1000));
const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
const total = received - start;
running = false;
for (const s of sockets) s.destroy();
const result = { connections: conns, inflight, size, seconds: elapsed, messages: total, messagesPerSecond: Math.round(total / elapsed) };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
