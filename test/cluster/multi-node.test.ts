import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, command, hello, startCluster, type Hello } from '../helpers/cluster.ts';
import { externalTool, killAll, type CliProcess } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { sampleUntil, until } from '../helpers/server.ts';

/** Removes every key the test cluster left (node-seq counters live on by design). */
const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');


describe.runIf(redis.run).each([false, true])('two nodes sharing one Redis (sharded pub/sub and hash-tagged keys: %s)', (sharded) => {
  let a: CliProcess;
  let b: CliProcess;
  let onA: Hello[];
  let onB: Hello[];
  const cluster = `sy-test-${randomBytes(4).toString('hex')}`;
  const keyPrefix = sharded ? `{${cluster}}` : cluster;

  beforeAll(async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const args = ['--workers', '2', '--dispatch-mode', '1', '--redis', REDIS_URL, '--cluster-name', cluster, '--node-ttl-ms', '1500', ...(sharded ? ['--redis-sharded'] : [])];
    [a, b] = await Promise.all([startCluster(args), startCluster(args)]);
    onA = [await hello(a.port), await hello(a.port)];
    onB = [await hello(b.port), await hello(b.port)];
  }, 40_000);
  afterAll(async () => {
    await closeAll([...(onA ?? []), ...(onB ?? [])]);
    await killAll();
    await deleteKeys(sharded ? `{${cluster}}` : cluster);
  });

  it('every Redis key of the cluster is under its prefix ({name} with --redis-sharded: one slot)', async () => {
    const client = new Redis(REDIS_URL);
    try {
      const tagged = await client.keys(`{${cluster}}:*`);
      const plain = await client.keys(`${cluster}:*`);
      expect((sharded ? tagged : plain).length).toBeGreaterThan(0);
      expect((sharded ? plain : tagged).length).toBe(0);
      expect((sharded ? tagged : plain).every((k) => k.startsWith(`${keyPrefix}:`))).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('the nodes got distinct node ids, encoded in their fds', () => {
    const nodeOf = (fd: number) => Math.floor(fd / 256) % 4096;
    const na = new Set(onA.map((c) => nodeOf(c.fd)));
    const nb = new Set(onB.map((c) => nodeOf(c.fd)));
    expect(na.size).toBe(1);
    expect(nb.size).toBe(1);
    expect([...na][0]).not.toBe([...nb][0]);
  });

  it('push from a worker of node A reaches a client of node B, in order', async () => {
    const target = onB[1]!;
    const before = target.messages.length;
    await command(onA[0]!, { cmd: 'push', fd: target.fd, n: 200, text: 'xn' });
    await until(() => target.messages.length - before >= 200, 10_000, 'cross-node pushes');
    expect(target.messages.slice(before, before + 200)).toEqual(Array.from({ length: 200 }, (_, i) => `xn:${i}`));
    expect(await command(onA[1]!, { cmd: 'pushAsync', fd: target.fd })).toBe('written');
    expect(await command(onA[1]!, { cmd: 'pushAsync', fd: target.fd + 2 ** 20 * 1000 })).toBe('unknown');
  });

  it('getClientInfo and disconnect-free queries work across nodes', async () => {
    const v = await command(onA[0]!, { cmd: 'info', fd: onB[0]!.fd });
    expect(v).toMatchObject({ exist: true, established: true, info: { fd: onB[0]!.fd } });
  });

  it('broadcast reaches every session of both nodes exactly once', async () => {
    const all = [...onA, ...onB];
    const marks = all.map((c) => c.messages.length);
    await command(onB[0]!, { cmd: 'broadcast', text: 'everyone' });
    await until(() => all.every((c, i) => c.messages.slice(marks[i]).includes('everyone')), 10_000, 'cross-node broadcast');
    await new Promise((r) => setTimeout(r, 200));
    for (const [i, c] of all.entries()) expect(c.messages.slice(marks[i]).filter((m) => m === 'everyone')).toHaveLength(1);
  });

  it('rooms span nodes: join a fd of the other node, push to the room', async () => {
    await command(onA[0]!, { cmd: 'join', fd: onB[1]!.fd, room: 'xroom' });
    await command(onA[0]!, { cmd: 'join', fd: onA[1]!.fd, room: 'xroom' });
    await new Promise((r) => setTimeout(r, 150));
    await command(onB[0]!, { cmd: 'room', room: 'xroom', text: 'room-x' });
    await until(() => onB[1]!.messages.includes('room-x') && onA[1]!.messages.includes('room-x'), 10_000, 'cross-node room');
    await new Promise((r) => setTimeout(r, 150));
    expect(onA[0]!.messages).not.toContain('room-x');
    expect(onB[0]!.messages).not.toContain('room-x');
  });

  it('stats() spans the nodes: per-node figures and cluster totals', async () => {
    // other nodes' figures are what they last published (every second)
    const s: any = await sampleUntil(async () => (await fetch(`http://127.0.0.1:${a.port}/stats`)).json() as Promise<any>, (x) => x.connections === 4, 6000, 200);
    expect(s.nodes).toHaveLength(2);
    expect(s.connections).toBe(4);
    expect(s.nodes.map((n: any) => n.connections)).toEqual([2, 2]);
    expect(s.workers).toHaveLength(2);
    expect(s.node).toBe(Math.floor(onA[0]!.fd / 256) % 4096);
  });

  it('sendMessage reaches a worker of the other node (workerId = node * 256 + slot)', async () => {
    const nodeB = Math.floor(onB[0]!.fd / 256) % 4096;
    const via = onA[0]!;
    const before = via.messages.length;
    expect(await command(via, { cmd: 'pipe', to: nodeB * 256 + 1, text: 'over redis' })).toBe(true);
    await until(() => via.messages.slice(before).some((m) => m.includes('"type":"pipe"')), 10_000, 'cross-node pipe');
    const p = JSON.parse(via.messages.slice(before).find((m) => m.includes('"type":"pipe"'))!);
    expect(p).toMatchObject({ type: 'pipe', at: 1, text: 'over redis' });
    expect(p.from).toBe(Math.floor(onA[0]!.fd / 256) % 4096 * 256 + onA[0]!.worker);
  });

  it('uids span nodes: bind on both nodes, find and push from either', async () => {
    await command(onA[0]!, { cmd: 'bind', fd: onA[1]!.fd, uid: 'bob' });
    await command(onA[0]!, { cmd: 'bind', fd: onB[1]!.fd, uid: 'bob' });
    const both = [onA[1]!.fd, onB[1]!.fd].sort((x, y) => x - y);
    const found: number[] = await sampleUntil(() => command(onB[0]!, { cmd: 'uid', uid: 'bob' }) as Promise<number[]>, (f) => f.length >= 2, 2000, 100);
    expect(found).toEqual(both);
    await command(onB[0]!, { cmd: 'pushUid', uid: 'bob', text: 'for-bob' });
    await until(() => onA[1]!.messages.includes('for-bob') && onB[1]!.messages.includes('for-bob'), 10_000, 'uid push across nodes');
    expect(onA[0]!.messages).not.toContain('for-bob');
  });

  it('connections spans the nodes', async () => {
    const all = await command(onA[0]!, { cmd: 'connections' });
    expect(all).toEqual([...onA, ...onB].map((c) => c.fd).sort((x, y) => x - y));
  });

  it('a node killed with kill -9 (master and workers) has its sessions purged within the node TTL', async () => {
    const s = (await (await fetch(`http://127.0.0.1:${b.port}/stats`)).json()) as { workers: Array<{ pid: number }> };
    const bFds = onB.map((c) => c.fd);
    await command(onA[0]!, { cmd: 'bind', fd: onB[0]!.fd, uid: 'carol' });
    await new Promise((r) => setTimeout(r, 200));
    for (const w of s.workers) process.kill(w.pid, 'SIGKILL');
    b.proc.kill('SIGKILL');
    const t0 = Date.now();
    await until(() => onB.every((c) => c.ws.readyState === WebSocket.CLOSED), 5000, 'node B clients dropped');
    let all: number[] = bFds;
    while (all.some((fd) => bFds.includes(fd)) && Date.now() - t0 < 10_000) {
      all = await command(onA[0]!, { cmd: 'connections' });
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(all.filter((fd) => bFds.includes(fd))).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1500 + 1000 + 3000);
    expect(await command(onA[0]!, { cmd: 'uid', uid: 'carol' })).toEqual([]);
    // and the push to a dead node's fd is a clear outcome, not a hang
    expect(['unknown', 'timeout']).toContain(await command(onA[0]!, { cmd: 'pushAsync', fd: bFds[0] }));
  }, 30_000);
});
