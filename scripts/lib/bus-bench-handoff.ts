/**
 * The master's hand-off traffic in `npm run bench:bus`: connections to a local paused server,
 * each socket sent to a worker with worker.send(msg, socket), as the real master hands off
 * connections; how long each waited behind the handle before it on that channel.
 */
import type { Worker } from 'node:cluster';
import { connect, createServer, type AddressInfo } from 'node:net';
import type { Control } from './bus-bench-worker.ts';
import { round } from './report.ts';
import { sleep } from './wait.ts';

export /** The master's hand-off traffic: connect to a local paused server, send each socket to a worker. */
class HandoffLoad {
  private count = 0;
  private waitTotal = 0;
  private waitMax = 0;
  private outstanding = 0;
  private maxQueued = 0;
  private readonly started = Date.now();
  private timers: NodeJS.Timeout[] = [];

  private constructor(private readonly server: ReturnType<typeof createServer>) {}

  static async start(workers: Worker[], everyMs: number): Promise<HandoffLoad> {
    let next = 0;
    const server = createServer({ pauseOnConnect: true });
    const load = new HandoffLoad(server);
    server.on('connection', (socket) => {
      const t = performance.now();
      workers[next++ % workers.length]!.send({ c: 'handle' } satisfies Control, socket, (err) => {
        if (err) return void socket.destroy();
        const ms = performance.now() - t;
        load.count++;
        load.waitTotal += ms;
        load.waitMax = Math.max(load.waitMax, ms);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const receiver = workers[1]!.process as unknown as { _handleQueue?: unknown[] | null };
    load.timers.push(
      setInterval(() => {
        if (load.outstanding >= 64) return; // bounded: never a connection flood
        load.outstanding++;
        const client = connect(port, '127.0.0.1');
        client.on('error', () => {});
        client.on('close', () => load.outstanding--);
      }, everyMs),
      setInterval(() => (load.maxQueued = Math.max(load.maxQueued, receiver._handleQueue?.length ?? 0)), 5),
    );
    return load;
  }

  /** Stops connecting; resolves once the server is closed (every accepted socket handed off). */
  async stop(): Promise<{ perSec: number; sendMs: { mean: number; max: number }; maxQueued: number }> {
    this.timers.forEach(clearInterval);
    const seconds = (Date.now() - this.started) / 1000;
    const closed = new Promise((r) => this.server.close(r));
    await Promise.race([closed, sleep(5000)]);
    return {
      perSec: Math.round(this.count / seconds),
      sendMs: { mean: round(this.waitTotal / Math.max(1, this.count)), max: round(this.waitMax) },
      maxQueued: this.maxQueued,
    };
  }
}

