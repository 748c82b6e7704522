/**
 * Flooding clients, in a process of their own (their CPU is not the measuring process's):
 * `--connections` WebSocket connections that each send small masked binary frames as fast as
 * the socket takes them, and read (and drop) whatever comes back, so the server's echoes never
 * back up: what is measured is the server's reading, not a slow consumer.
 *
 *   tsx scripts/generators/flooder.ts --port P [--host 127.0.0.1] [--path /echo] [--connections 5] [--size 1]
 *
 * stdout, one JSON line each: {"event":"flooding","connections":N} once every connection is
 * upgraded and sending; {"event":"flooded","bytes":B,"closed":K} on SIGTERM, then it exits 0.
 * An upgrade that fails prints {"event":"error","message":...} and exits 1.
 */
import type { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { clientFrame, OPCODE } from '../lib/frames.ts';
import { Flooder } from '../lib/flooder.ts';
import { openWebSocket } from '../lib/upgrade.ts';

const { values } = parseArgs({
  options: { host: { type: 'string' }, port: { type: 'string' }, path: { type: 'string' }, connections: { type: 'string' }, size: { type: 'string' } },
});
const host = values.host ?? '127.0.0.1';
const port = Number(values.port);
const path = values.path ?? '/echo';
const connections = Number(values.connections ?? '5');
const size = Number(values.size ?? '1');
if (!Number.isInteger(port) || port < 1 || !Number.isInteger(connections) || connections < 1 || !Number.isInteger(size) || size < 0 || size > 125) {
  process.stderr.write('flooder: --port 1..65535, --connections >= 1, --size 0..125\n');
  process.exit(2);
}

const say = (event: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

/** 64 KiB of frames: one write is what one read of the server takes. */
const frame = clientFrame(OPCODE.binary, Buffer.alloc(size, 0x61));
const burst = Buffer.concat(Array.from({ length: Math.ceil((64 * 1024) / frame.length) }, () => frame));
const flooders: Flooder[] = [];
let closed = 0;

async function upgrade(): Promise<Socket> {
  const r = await openWebSocket({ host, port, path, deadlineMs: 10_000 });
  if (r.ok) return r.socket;
  throw new Error(r.failure === 'timeout' ? 'no 101 within 10 s' : r.failure.startsWith('HTTP ') ? `expected 101, got ${r.failure}` : r.failure);
}

/** Writes bursts while the socket takes them, a few per turn; waits for 'drain' when it does not. */
function flood(socket: Socket): void {
  socket.on('data', () => {}); // the echoes: read and dropped
  socket.on('error', () => {});
  socket.once('close', () => closed++);
  flooders.push(new Flooder(socket, burst, 8).start());
}

process.once('SIGTERM', () => {
  say({ event: 'flooded', bytes: flooders.reduce((a, f) => a + f.written, 0), closed });
  process.exit(0);
});

try {
  const sockets = await Promise.all(Array.from({ length: connections }, upgrade));
  for (const s of sockets) flood(s);
  say({ event: 'flooding', connections });
} catch (err) {
  say({ event: 'error', message: (err as Error).message });
  process.exit(1);
}
