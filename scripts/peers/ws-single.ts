/**
 * Benchmark peer: a `ws` WebSocketServer echo in one process, configured as a user would run
 * it for this job (permessage-deflate off unless --deflate; every message sent back with its
 * own opcode), with `bufferutil` installed as ws's docs recommend.
 *   tsx scripts/peers/ws-single.ts --port 0 [--deflate] [--max-payload BYTES]
 * Prints `{"event":"listening","port":N,"masking":…}` once it listens (`masking`: what ws
 * masks and unmasks frames with, see wsMasking()). Stops on SIGTERM/SIGINT.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';

export interface EchoOptions {
  host: string;
  port: number;
  /** Only this path is upgraded (as Switchyard's default app serves `/echo`); others get 400. */
  path: string;
  /** permessage-deflate with ws's defaults (`perMessageDeflate: true`), as Switchyard offers it. */
  deflate: boolean;
  /** ws's maxPayload (its default, 100 MiB, when undefined): hostile runs give Switchyard's packageMaxLength. */
  maxPayload: number | undefined;
}

/**
 * What ws masks/unmasks with: `bufferutil (native)` when it loaded the bufferutil addon,
 * `node:http` when Node provides websocketMask, else `JavaScript`. Read from ws's own
 * lib/buffer-util.js (the module ws uses; not an exported path, so loaded by file name).
 */
export function wsMasking(): string {
  const require = createRequire(import.meta.url);
  const util = require(join(dirname(require.resolve('ws')), 'lib', 'buffer-util.js')) as { unmask: (...a: unknown[]) => void };
  const source = util.unmask.toString();
  if (source.includes('websocketUnmask')) return 'node:http';
  if (!source.includes('bufferUtil')) return 'JavaScript';
  const addon = require('bufferutil') as { unmask: (...a: unknown[]) => void };
  return addon.unmask.toString().includes('[native code]') ? 'bufferutil (native)' : 'bufferutil (its JavaScript fallback)';
}

/** Starts the echo server; resolves with the bound port. ws-cluster's workers call it too. */
export function listenEcho(options: EchoOptions): Promise<number> {
  const wss = new WebSocketServer({
    host: options.host,
    port: options.port,
    path: options.path,
    perMessageDeflate: options.deflate,
    ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
  });
  wss.on('connection', (ws) => {
    // A peer's protocol error is emitted here; without a listener it would crash the process.
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      wss.off('error', reject);
      const address = wss.address();
      resolve(typeof address === 'object' && address !== null ? address.port : options.port);
    });
  });
}

/**
 * `--host`, `--port` (0: any free port), `--path`, `--deflate`, `--max-payload`; `--workers`
 * (default 2) only for ws-cluster. Reports every bad flag at once and exits 2.
 */
export function parseEchoArgs(argv: string[], withWorkers = false): EchoOptions & { workers: number } {
  const problems: string[] = [];
  let values: { host?: string; port?: string; path?: string; workers?: string; deflate?: boolean; 'max-payload'?: string } = {};
  try {
    values = parseArgs({
      args: argv,
      options: { host: { type: 'string' }, port: { type: 'string' }, path: { type: 'string' }, workers: { type: 'string' }, deflate: { type: 'boolean' }, 'max-payload': { type: 'string' } },
    }).values;
  } catch (err) {
    problems.push((err as Error).message);
  }
  const port = Number(values.port ?? '9501');
  const workers = Number(values.workers ?? (withWorkers ? '2' : '1'));
  const maxPayload = values['max-payload'] === undefined ? undefined : Number(values['max-payload']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`--port ${values.port}: expected an integer 0..65535`);
  if (maxPayload !== undefined && (!Number.isSafeInteger(maxPayload) || maxPayload < 1)) problems.push(`--max-payload ${values['max-payload']}: expected a positive integer (bytes)`);
  if (!withWorkers && values.workers !== undefined) problems.push('--workers: only ws-cluster.ts takes it');
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) problems.push(`--workers ${values.workers}: expected an integer 1..64`);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(2);
  }
  return { host: values.host ?? '127.0.0.1', port, path: values.path ?? '/echo', workers, deflate: values.deflate === true, maxPayload };
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const options = parseEchoArgs(process.argv.slice(2));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
  try {
    const port = await listenEcho(options);
    process.stdout.write(`${JSON.stringify({ event: 'listening', port, masking: wsMasking() })}\n`);
  } catch (err) {
    process.stderr.write(`ws-single: cannot listen: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
