/**
 * Redis for the cross-node attacks: a probe of the shared Redis (push-flood; its keys are
 * deleted afterwards), and a private `redis-server` on a free port that the redis-restart
 * attack kills with SIGKILL and restarts on the same port (never the shared one).
 */
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { deleteKeys, redisClient } from '../lib/redis.ts';
import { launch } from '../lib/processes.ts';

export { deleteKeys, redisClient };

/** Why `redis-server` cannot be run here, or null. */
export function redisServerProblem(): string | null {
  const r = spawnSync('redis-server', ['--version'], { timeout: 5000 });
  return r.error ? `redis-server not runnable (${r.error.message})` : r.status === 0 ? null : 'redis-server --version failed';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** A redis-server of our own (no persistence), in its own process group. */
export class PrivateRedisServer {
  private child: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedisServer> {
    const r = new PrivateRedisServer(await freePort());
    await r.start();
    return r;
  }

  /** Starts it on its port; resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = launch('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { group: true });
    this.child = child;
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
      child.stderr!.on('data', () => {});
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${out.slice(-300)}`));
      });
    });
  }

  /** kill -9, and wait until it is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  }
}
