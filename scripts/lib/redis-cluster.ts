/**
 * A real Redis Cluster of our own for tests and benchmarks: 6 redis-server processes (3 masters,
 * 3 replicas) on random free ports whose cluster-bus ports (+10000) are free too, in a temporary
 * directory, created with `redis-cli --cluster create`. Never the shared Redis. Every process is
 * stopped by its pid (stop(), and on process exit).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { launch } from './processes.ts';

const run = promisify(execFile);

/** Whether `port` (and nothing else) can be bound on loopback now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** `n` distinct ports p with p and p + 10000 free (the cluster bus), from 20000..55000. */
async function clusterPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < n && tries < 500; tries++) {
    const p = 20000 + Math.floor(Math.random() * 35000);
    if (ports.some((q) => Math.abs(q - p) < 2 || Math.abs(q + 10000 - p) < 2 || Math.abs(q - 10000 - p) < 2)) continue;
    if ((await portFree(p)) && (await portFree(p + 10000))) ports.push(p);
  }
  if (ports.length < n) throw new Error('no free ports for a Redis Cluster');
  return ports;
}

export interface ClusterNode {
  port: number;
  url: string;
}

export class PrivateRedisCluster {
  readonly dir: string;
  private readonly children = new Map<number, ChildProcess>();
  private readonly exitHook = (): void => {
    for (const c of this.children.values()) c.kill('SIGKILL');
  };

  private constructor(
    readonly ports: number[],
    readonly nodeTimeoutMs: number,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'sy-rcluster-'));
    process.once('exit', this.exitHook);
  }

  /** 6 nodes, 1 replica per master, node timeout `nodeTimeoutMs`; resolves when every node sees all 6 connected. */
  static async create(nodeTimeoutMs = 1500): Promise<PrivateRedisCluster> {
    const c = new PrivateRedisCluster(await clusterPorts(6), nodeTimeoutMs);
    try {
      await Promise.all(c.ports.map((p) => c.startNode(p)));
      await c.createCluster();
      return c;
    } catch (err) {
      await c.stop();
      throw err;
    }
  }

  /** The seeds as --redis takes them. */
  get seeds(): string {
    return this.ports.map((p) => `redis://127.0.0.1:${p}`).join(',');
  }

  /** A plain client of one node (disconnect it when done). */
  client(port: number): Redis {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, enableOfflineQueue: true });
    r.on('error', () => {});
    return r;
  }

  /** Runs one command on node `port`. */
  async call(port: number, ...args: Array<string | number>): Promise<unknown> {
    const r = this.client(port);
    try {
      return await r.call(String(args[0]), ...args.slice(1).map(String));
    } finally {
      r.disconnect();
    }
  }

  /** The masters now, each with its replicas and slot ranges (from CLUSTER SHARDS of a live node). */
  async masters(): Promise<Array<{ port: number; replicas: number[]; slots: Array<[number, number]> }>> {
    for (const p of this.livePorts()) {
      try {
        const nodes = String(await this.call(p, 'CLUSTER', 'NODES'));
        const lines = nodes.trim().split('\n').map((l) => l.split(' '));
        const masters = lines.filter((l) => l[2]!.includes('master') && !l[2]!.includes('fail') && l.length > 8);
        return masters.map((m) => ({
          port: Number(m[1]!.split(':')[1]!.split('@')[0]),
          replicas: lines.filter((l) => l[3] === m[0] && !l[2]!.includes('fail')).map((l) => Number(l[1]!.split(':')[1]!.split('@')[0])),
          slots: m.slice(8).filter((r) => /^\d/.test(r)).map((r) => {
            const [a, b] = r.split('-');
            return [Number(a), Number(b ?? a)] as [number, number];
          }),
        }));
      } catch {
        // that node cannot answer: ask the next
      }
    }
    throw new Error('no node answers CLUSTER NODES');
  }

  /** The master serving `slot` now. */
  async masterOf(slot: number): Promise<number> {
    const m = (await this.masters()).find((x) => x.slots.some(([a, b]) => slot >= a && slot <= b));
    if (!m) throw new Error(`no master serves slot ${slot}`);
    return m.port;
  }

  livePorts(): number[] {
    return this.ports.filter((p) => this.children.has(p));
  }

  /** Resolves once every live node says cluster_state:ok and sees every other live node connected. */
  async waitHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let why = '';
    while (Date.now() < deadline) {
      why = await this.unhealthy();
      if (why === '') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis cluster not healthy within ${timeoutMs} ms: ${why}`);
  }

  private async unhealthy(): Promise<string> {
    const live = this.livePorts();
    for (const p of live) {
      try {
        const info = String(await this.call(p, 'CLUSTER', 'INFO'));
        if (!info.includes('cluster_state:ok')) return `${p}: ${/cluster_state:\w+/.exec(info)?.[0]}`;
        const nodes = String(await this.call(p, 'CLUSTER', 'NODES')).trim().split('\n');
        const connected = nodes.filter((l) => l.includes(' connected') && !/fail/.test(l.split(' ')[2]!)).length;
        if (connected < live.length) return `${p} sees ${connected} of ${live.length} connected`;
      } catch (err) {
        return `${p}: ${(err as Error).message}`;
      }
    }
    return '';
  }

  /** kill -9 of one node. */
  async kill(port: number): Promise<void> {
    const child = this.children.get(port);
    this.children.delete(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  /** Starts a stopped node again (same port, same nodes.conf: it rejoins). */
  async restart(port: number): Promise<void> {
    await this.startNode(port);
  }

  /** Every node killed (-9); with `wipe`, their nodes.conf and data removed too (a cluster that lost everything). */
  async killAll(wipe = false): Promise<void> {
    await Promise.all(this.ports.map((p) => this.kill(p)));
    if (wipe) for (const f of readdirSync(this.dir)) rmSync(join(this.dir, f), { force: true, recursive: true });
  }

  /** Starts every node; after a wipe, creates the cluster anew. */
  async startAll(create = false): Promise<void> {
    await Promise.all(this.ports.map((p) => this.startNode(p)));
    if (create) await this.createCluster();
  }

  /** Every node stopped (kill -9) and the directory removed. */
  async stop(): Promise<void> {
    await this.killAll();
    process.removeListener('exit', this.exitHook);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async createCluster(): Promise<void> {
    const addrs = this.ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...addrs, '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
    await this.waitHealthy();
  }

  private async startNode(port: number): Promise<void> {
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', this.dir,
      '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(this.nodeTimeoutMs),
      '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', '--dbfilename', `dump-${port}.rdb`,
    ];
    const child = launch('redis-server', args, { group: true });
    this.children.set(port, child);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server ${port}: not ready within 10 s: ${out.slice(-300)}`)), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        out = (out + d.toString()).slice(-4000);
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server ${port} exited (${code}): ${out.slice(-300)}`));
      });
    });
  }
}
