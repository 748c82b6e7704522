/**
 * Connection storm: opens N WebSocket connections as fast as the server takes them, C at a
 * time, spread over several source addresses (127.0.0.2, .3, ...) so one address's ephemeral
 * ports are not the limit. Reports handshakes/s. With --hold the connections stay open (then
 * N is bounded by this process's open-file limit); otherwise each closes after its 101.
 *   tsx scripts/load-connect.ts --port 9501 --connections 5000 --concurrency 200
 * Prints one JSON object as its last line. Loopback only; bounded in count and time.
 */
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9501' },
    path: { type: 'string', default: '/echo' },
    connections: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '200' },
    addresses: { type: 'string', default: '8' },
    hold: { type: 'boolean', default: false },
    'max-seconds': { type: 'string', default: '120' },
  },
});
const port = Number(values.port);
const total = Number(values.connections);
const concurrency = Number(values.concurrency);
const addresses = Array.from({ length: Number(values.addresses) }, (_, i) => `127.0.0.${i + 2}`);
const deadline = Date.now() + Number(values['max-seconds']) * 1000;
const request = (key: string) =>
  `GET ${values.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

let started = 0;
let done = 0;
let failed = 0;
const held: Array<import('node:net').Socket> = [];
const latencies: number[] = [];

function one(): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = connect({ port, host: '127.0.0.1', localAddress: addresses[started % addresses.length] });
    started++;
    let buf = '';
    const finish = (ok: boolean) => {
      if (ok) {
        done++;
        latencies.push(performance.now() - t0);
      } else failed++;
      if (!ok || !values.hold) s.destroy();
      else held.push(s);
      resolve();
    };
    s.setNoDelay(true);
    s.once('connect', () => s.write(request(randomBytes(16).toString('base64'))));
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n\r\n')) {
        s.removeAllListeners('data');
        finish(buf.startsWith('HTTP/1.1 101'));
      }
    });
    s.on('error', () => finish(false));
  });
}

async function lane(): Promise<void> {
  while (started < total && Date.now() < deadline) await one();
}

const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, lane));
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 100) / 100;
const result = { connections: done, failed, seconds: Math.round(seconds * 1000) / 1000, handshakesPerSecond: Math.round(done / seconds), p50ms: pct(0.5), p99ms: pct(0.99), held: held.length };
for (const s of held) s.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
