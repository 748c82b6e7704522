import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emitter } from '../../src/emitter.ts';
import { keySlot } from '../../src/shared/bus/shard-map.ts';
import { closeAll, command, hello, startCluster, type Hello } from '../helpers/cluster.ts';
import { killAll, type CliProcess } from '../helpers/process.ts';
import { PrivateRedisCluster, redisServer } from '../helpers/redis-cluster.ts';
import { sampleUntil, until } from '../helpers/server.ts';

/**
 * Two Switchyard nodes (2 workers each) on a real 3-master Redis Cluster of our own: --redis
 * takes the seeds, the cluster is detected, and every cross-node operation works through
 * partitioned keys and sharded pub/sub. The faults are in redis-cluster-faults.test.ts.
 */
describe.runIf(redisServer.run)('two nodes on a real Redis Cluster (seeds, detected)', () => {
  let rc: PrivateRedisCluster;
  let a: CliProcess;
  let b: CliProcess;
  let onA: Hello[];
  let onB: Hello[];
  const name = `sy-rc-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    if (!redisServer.available) throw new Error(redisServer.problem ?? 'redis-server unavailable');
    rc = await PrivateRedisCluster.create();
    const args = ['--workers', '2', '--dispatch-mode', '1', '--redis', rc.seeds, '--cluster-name', name, '--node-ttl-ms', '1500'];
    [a, b] = await Promise.all([startCluster(args), startCluster(args)]);
    onA = [await hello(a.port), await hello(a.port)];
    onB = [await hello(b.port), await hello(b.port)];
  }, 60_000);
  afterAll(async () => {
    await closeAll([...(onA ?? []), ...(onB ?? [])]);
    await killAll();
    await rc?.stop();
  });

  it('says it runs on a Redis Cluster', () => {
    expect(a.logs().some((l) => l.event === 'redis-cluster')).toBe(true);
  });

  it('partitions keys by node: each node\'s sessions in its own tag, cluster-wide keys under {name}', async () => {
    const nodeOf = (fd: number) => Math.floor(fd / 256) % 4096;
    const client = new Cluster(rc.ports.slice(0, 3).map((port) => ({ host: '127.0.0.1', port })));
    try {
      for (const c of [...onA, ...onB]) {
        const key = `{${name}:n${nodeOf(c.fd)}}:s:${c.fd}`;
        await until(async () => (await client.exists(key)) === 1, 3000, `session hash ${key}`);
      }
      expect((await client.smembers(`{${name}}:sn`)).map(Number).sort()).toEqual([nodeOf(onA[0]!.fd), nodeOf(onB[0]!.fd)].sort());
    } finally {
      client.disconnect();
    }
    // Tags land in slots; the test is meaningful only if the nodes' partitions are not all cluster-wide's slot.
    expect(new Set([keySlot(`{${name}}`), keySlot(`{${name}:n${nodeOf(onA[0]!.fd)}}`)]).size).toBe(2);
  });

  it('push from a worker of node A reaches a client of node B, in order; pushAsync answers', async () => {
    const target = onB[1]!;
    const before = target.messages.length;
    await command(onA[0]!, { cmd: 'push', fd: target.fd, n: 200, text: 'xn' });
    await until(() => target.messages.length - before >= 200, 10_000, 'cross-node pushes');
    expect(target.messages.slice(before, before + 200)).toEqual(Array.from({ length: 200 }, (_, i) => `xn:${i}`));
    expect(await command(onA[1]!, { cmd: 'pushAsync', fd: target.fd })).toBe('written');
  });

  it('broadcast reaches every session of both nodes exactly once', async () => {
    const all = [...onA, ...onB];
    const marks = all.map((c) => c.messages.length);
    await command(onB[0]!, { cmd: 'broadcast', text: 'everyone' });
    await until(() => all.every((c, i) => c.messages.slice(marks[i]).includes('everyone')), 10_000, 'cross-node broadcast');
    await new Promise((r) => setTimeout(r, 200));
    for (const [i, c] of all.entries()) expect(c.messages.slice(marks[i]).filter((m) => m === 'everyone')).toHaveLength(1);
  });

  it('rooms and uids span nodes', async () => {
    await command(onA[0]!, { cmd: 'join', fd: onB[1]!.fd, room: 'xroom' });
    await command(onA[0]!, { cmd: 'join', fd: onA[1]!.fd, room: 'xroom' });
    await new Promise((r) => setTimeout(r, 150));
    await command(onB[0]!, { cmd: 'room', room: 'xroom', text: 'room-x' });
    await until(() => onB[1]!.messages.includes('room-x') && onA[1]!.messages.includes('room-x'), 10_000, 'cross-node room');
    await command(onA[0]!, { cmd: 'bind', fd: onA[1]!.fd, uid: 'bob' });
    await command(onA[0]!, { cmd: 'bind', fd: onB[1]!.fd, uid: 'bob' });
    const both = [onA[1]!.fd, onB[1]!.fd].sort((x, y) => x - y);
    const found: number[] = await sampleUntil(() => command(onB[0]!, { cmd: 'uid', uid: 'bob' }) as Promise<number[]>, (f) => f.length >= 2, 3000, 100);
    expect(found).toEqual(both);
    await command(onB[0]!, { cmd: 'pushUid', uid: 'bob', text: 'for-bob' });
    await until(() => onA[1]!.messages.includes('for-bob') && onB[1]!.messages.includes('for-bob'), 10_000, 'uid push across nodes');
  });

  it('the emitter finds the cluster from the seeds: push, pushAsync, room and broadcast reach node B', async () => {
    const emitter = new Emitter({ redis: rc.seeds, clusterName: name });
    try {
      await emitter.ready();
      const target = onB[0]!;
      const before = target.messages.length;
      expect(emitter.push(target.fd, 'from-emitter')).toBe('forwarded');
      expect(await emitter.pushAsync(target.fd, 'from-emitter-async')).toBe('written');
      emitter.broadcast('emitted-to-all');
      await until(() => ['from-emitter', 'from-emitter-async', 'emitted-to-all'].every((m) => target.messages.slice(before).includes(m)), 5000, 'emitter messages');
    } finally {
      await emitter.close();
    }
  });

  it('connections and stats span the nodes', async () => {
    expect(await command(onA[0]!, { cmd: 'connections' })).toEqual([...onA, ...onB].map((c) => c.fd).sort((x, y) => x - y));
    const s: any = await sampleUntil(async () => (await fetch(`http://127.0.0.1:${a.port}/stats`)).json() as Promise<any>, (x) => x.connections === 4, 6000, 200);
    expect(s.nodes).toHaveLength(2);
  });
});
