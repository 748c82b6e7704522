import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Probe for externalTool(): null when Redis answers PING at REDIS_URL, else what is wrong.
 * Synchronous (it runs while vitest collects tests), in a child process with a deadline.
 */
export function redisProbe(): string | null {
  const url = new URL(REDIS_URL);
  const script = `const s=require('net').connect(${Number(url.port || 6379)},${JSON.stringify(url.hostname)});
s.on('connect',()=>s.write('PING\\r\\n'));s.on('data',(d)=>process.exit(String(d).startsWith('+PONG')?0:1));
s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),2000);`;
  const r = spawnSync(process.execPath, ['-e', script], { timeout: 5000 });
  return r.status === 0 ? null : `no Redis answering PING at ${REDIS_URL}`;
}

/** A private redis-server on a free port, for outage tests (never the shared one). */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  private constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  static async create(): Promise<PrivateRedis> {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const r = new PrivateRedis(port);
    await r.start();
    return r;
  }
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    process.once('exit', () => child.kill('SIGKILL')); // a crashed test file leaves no server behind
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
      child.once('error', (err) => reject(new Error(`cannot start redis-server (needed for the outage tests): ${err.message}`)));
    });
  }
  /** `kill -9`: no shutdown, no save; the port is free again once it has exited. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  /** SIGSTOP / SIGCONT: a server whose connections stay open while it answers nothing. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(signal);
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}
