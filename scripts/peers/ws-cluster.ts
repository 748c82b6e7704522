/**
 * Benchmark peer: the ws-single echo under node:cluster, N workers (default 2) sharing one port
 * through the primary's default scheduling (round-robin: the primary accepts, hands each
 * socket to a worker over IPC — the node:cluster equivalent of Switchyard's master).
 *   tsx scripts/peers/ws-cluster.ts --port 0 --workers 2 [--deflate] [--max-payload BYTES]
 * Prints `{"event":"listening","port":N,"workers":W,"masking":…}` once every worker listens. No supervision: a worker
 * that dies ends the peer (exit 1), so a benchmark never measures a degraded cluster.
 */
import cluster from 'node:cluster';
import { listenEcho, parseEchoArgs, wsMasking } from './ws-single.ts';

const options = parseEchoArgs(process.argv.slice(2), true);
/** Workers must all listen within this, or the peer gives up (a benchmark must not hang). */
const START_TIMEOUT_MS = 20_000;
/** Grace for workers to exit on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;

if (cluster.isPrimary) {
  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    if (workers.length === 0) process.exit(code);
    let left = workers.length;
    cluster.on('exit', () => {
      if (--left === 0) process.exit(code);
    });
    for (const w of workers) w.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of workers) w.process.kill('SIGKILL');
      process.exit(code);
    }, STOP_GRACE_MS).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => stop(0));

  const timer = setTimeout(() => {
    process.stderr.write(`ws-cluster: the workers did not all listen within ${START_TIMEOUT_MS} ms\n`);
    stop(1);
  }, START_TIMEOUT_MS);
  // In a cluster every worker's listen(0) gets the same port (the primary keys the shared
  // handle by address and port); check it rather than trust it.
  const ports = new Set<number>();
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    ports.add(address.port);
    if (++listening < options.workers) return;
    clearTimeout(timer);
    if (ports.size !== 1) {
      process.stderr.write(`ws-cluster: workers listen on different ports: ${[...ports].join(', ')}\n`);
      stop(1);
      return;
    }
    // The workers load the same ws and bufferutil as this process.
    process.stdout.write(`${JSON.stringify({ event: 'listening', port: [...ports][0], workers: options.workers, masking: wsMasking() })}\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`ws-cluster: worker ${worker.id} exited (code ${code}, signal ${signal}); stopping\n`);
    stop(1);
  });
  for (let i = 0; i < options.workers; i++) cluster.fork();
} else {
  // The primary stops us; when it dies the IPC channel closes and node:cluster exits the worker.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
  await listenEcho(options);
}
