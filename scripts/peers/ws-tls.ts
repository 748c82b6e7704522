/**
 * Benchmark peer for bench:tls: `ws` on `https.createServer` (TLS ended by Node's tls.Server,
 * as ws's README shows for wss), echoing every message with its own opcode, permessage-deflate
 * off, `bufferutil` installed as ws's docs recommend. One process, or node:cluster with
 * --workers N (the primary accepts and hands sockets round-robin to the workers).
 *   tsx scripts/peers/ws-tls.ts --port 0 --cert FILE --key FILE [--workers N]
 * Prints `{"event":"listening","port":N,"workers":W,"masking":…}` once every worker listens.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { wsMasking } from './ws-single.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, workers: { type: 'string' }, host: { type: 'string' } } });
const workers = Number(values.workers ?? '1');
const port = Number(values.port ?? '0');
const host = values.host ?? '127.0.0.1';
if (!values.cert || !values.key || !Number.isInteger(workers) || workers < 1 || workers > 64 || !Number.isInteger(port)) {
  process.stderr.write('usage: ws-tls.ts --port N --cert FILE --key FILE [--workers N]\n');
  process.exit(2);
}

function listen(): Promise<number> {
  const server = createServer({ cert: readFileSync(values.cert!), key: readFileSync(values.key!) });
  const wss = new WebSocketServer({ server, path: '/echo', perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  // A client that fails its TLS handshake must not end the process.
  server.on('tlsClientError', () => {});
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
if (workers === 1) {
  const bound = await listen();
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: bound, workers: 1, masking: wsMasking() })}\n`);
} else if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', (_w, address) => {
    if (++listening === workers) process.stdout.write(`${JSON.stringify({ event: 'listening', port: address.port, workers, masking: wsMasking() })}\n`);
  });
  cluster.on('exit', () => process.exit(1));
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  await listen();
}
