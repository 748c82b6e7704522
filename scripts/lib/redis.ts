/**
 * Redis as the load scripts and the tests use it: a probe of the shared one that answers a
 * client or null, a run's keys deleted afterwards, and a private redis-server of our own.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { launch } from './processes.ts';

/** A client of the shared Redis, or null when it does not answer PING within 1.5 s. */
export async function redisClient(url: string): Promise<Redis | null> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') throw new Error('no PONG');
    return client;
  } catch {
    client.disconnect();
    return null;
  }
}

/** Deletes `prefix:*` (a cluster's keys); returns how many. */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  for (let i = 0; i < 10_000; i++) {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await client.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
}

/** Why `redis-server` cannot be run here, or null. */
export function redisServerProblem(): string | null {
  const r = spawnSync('redis-server', ['--version'], { timeout: 5000 });
  return r.error ? `redis-server not runnable (${r.error.message})` : r.status === 0 ? null : 'redis-server --version failed';
}

/** A port nobody listens on now (the kernel's pick, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * A redis-server of our own on a free port (no persistence), for outage tests and the
 * redis-restart attack: killed with SIGKILL, frozen with SIGSTOP, restarted on the same port.
 * Never the shared one.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  /** Starts it on its port; resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = launch('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { group: true });
    this.child = child;
    process.once('exit', () => child.kill('SIGKILL')); // a crashed test file or script leaves no server behind
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server: not ready within 10 s: ${out.slice(-300)}`)), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        out = (out + d.toString()).slice(-4000);
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot start redis-server: ${err.message}`));
      });
    });
  }

  /** `kill -9`: no shutdown, no save; resolves once it is gone (the port is free again). */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** SIGSTOP / SIGCONT: a server whose connections stay open while it answers nothing. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(signal);
  }

  /** SIGTERM, SIGKILL after 3 s. */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  }
}
