/**
 * switchyard/emitter from a process of its own (test/fixtures/emitter-child.mjs, the compiled
 * package entry) against a real two-node cluster on the real Redis, plain and sharded: each
 * call's effect is checked on real WebSocket clients of both nodes.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, command, hello, startCluster, type Hello } from '../helpers/cluster.ts';
import { externalTool, killAll, type CliProcess } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { until } from '../helpers/server.ts';
import { startEmitter, type EmitterChild } from './emitter-child.ts';

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const nodeOf = (fd: number): number => Math.floor(fd / 256) % 4096;
/** The same session id with another node (and seq 1, slot 0). */
const fdOn = (node: number, slot = 0): number => 2 ** 20 + node * 256 + slot;
const settle = (ms = 200) => new Promise((r) => setTimeout(r, ms));

describe.runIf(redis.run).each([false, true])('the emitter, from another process, against two nodes (sharded: %s)', (sharded) => {
  let a: CliProcess;
  let b: CliProcess;
  let onA: Hello[];
  let onB: Hello[];
  let emitter: EmitterChild;
  const cluster = `sy-test-em-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const args = ['--workers', '2', '--dispatch-mode', '1', '--redis', REDIS_URL, '--cluster-name', cluster, ...(sharded ? ['--redis-sharded'] : [])];
    [a, b] = await Promise.all([startCluster(args), startCluster(args)]);
    onA = [await hello(a.port), await hello(a.port)];
    onB = [await hello(b.port), await hello(b.port)];
    emitter = await startEmitter({ redis: REDIS_URL, clusterName: cluster, sharded });
    expect(emitter.started).toMatchObject({ ready: true });
  }, 60_000);
  afterAll(async () => {
    await emitter?.stop();
    await closeAll([...(onA ?? []), ...(onB ?? [])]);
    await killAll();
    await deleteKeys(sharded ? `{${cluster}}` : cluster);
  });

  it('has an address no worker has: a node number past 4095', () => {
    expect(emitter.started.address!.node).toBeGreaterThanOrEqual(4096);
    expect(emitter.started.address!.node).toBeLessThan(65536);
  });

  it('push reaches a session of either node, in order', async () => {
    for (const target of [onA[1]!, onB[0]!]) {
      const before = target.messages.length;
      for (let i = 0; i < 50; i++) expect(await emitter.call('push', target.fd, `em:${i}`)).toBe('forwarded');
      await until(() => target.messages.length - before >= 50, 10_000, 'emitter pushes');
      expect(target.messages.slice(before)).toEqual(Array.from({ length: 50 }, (_, i) => `em:${i}`));
    }
    expect(await emitter.call('push', 12, 'not an fd')).toBe('unknown');
  });

  it("pushAsync answers the owner's outcome; 'unknown' at once for an fd of a node that is not alive or a slot it lacks", async () => {
    const target = onB[1]!;
    expect(await emitter.call('pushAsync', target.fd, 'async hello')).toBe('written');
    await until(() => target.messages.includes('async hello'), 5000, 'pushAsync delivery');
    // A live node's worker that has no such session answers itself.
    expect(await emitter.call('pushAsync', target.fd + 2 ** 20 * 1000, 'x')).toBe('unknown');
    const live = new Set([nodeOf(onA[0]!.fd), nodeOf(onB[0]!.fd)]);
    const dead = [...Array(4096).keys()].find((n) => !live.has(n))!;
    const deadNode = await emitter.call('timed', 'pushAsync', fdOn(dead), 'x');
    expect(deadNode.value).toBe('unknown');
    expect(deadNode.ms).toBeLessThan(1000); // not busTimeoutMs (3 s)
    const noSuchSlot = await emitter.call('timed', 'pushAsync', fdOn(nodeOf(onA[0]!.fd), 7), 'x'); // node A has slots 0 and 1
    expect(noSuchSlot.value).toBe('unknown');
    expect(noSuchSlot.ms).toBeLessThan(1000);
  });

  it('broadcast reaches every session of both nodes exactly once, but the excepted', async () => {
    const all = [...onA, ...onB];
    const marks = all.map((c) => c.messages.length);
    expect(await emitter.call('broadcast', 'to everyone', { except: onA[0]!.fd })).toBe(true);
    const got = (c: Hello, i: number) => c.messages.slice(marks[i]).filter((m) => m === 'to everyone').length;
    await until(() => all.every((c, i) => c === onA[0] || got(c, i) === 1), 10_000, 'emitter broadcast');
    await settle();
    expect(all.map(got)).toEqual([0, 1, 1, 1]);
  });

  it('to(room).push reaches the room members of both nodes only', async () => {
    await command(onA[0]!, { cmd: 'join', fd: onA[1]!.fd, room: 'em-room' });
    await command(onA[0]!, { cmd: 'join', fd: onB[0]!.fd, room: 'em-room' });
    await command(onA[0]!, { cmd: 'join', fd: onB[1]!.fd, room: 'em-room' });
    await settle(150);
    expect(await emitter.call('room', 'em-room', [onB[1]!.fd], 'room news')).toBe(true);
    await until(() => onA[1]!.messages.includes('room news') && onB[0]!.messages.includes('room news'), 10_000, 'emitter room push');
    await settle();
    expect(onA[0]!.messages).not.toContain('room news');
    expect(onB[1]!.messages).not.toContain('room news'); // excepted
  });

  it('pushToUid reaches every session bound to the uid, on both nodes', async () => {
    await command(onA[0]!, { cmd: 'bind', fd: onA[0]!.fd, uid: 'em-user' });
    await command(onA[0]!, { cmd: 'bind', fd: onB[1]!.fd, uid: 'em-user' });
    await settle(150);
    expect(await emitter.call('pushToUid', 'em-user', 'for em-user')).toBe(true);
    await until(() => onA[0]!.messages.includes('for em-user') && onB[1]!.messages.includes('for em-user'), 10_000, 'emitter uid push');
    await settle();
    expect(onA[1]!.messages).not.toContain('for em-user');
    expect(onB[0]!.messages).not.toContain('for em-user');
  });

  it('disconnect closes a session of the other node with its code and reason; a bad code throws in the caller', async () => {
    expect(await emitter.call('disconnect', 1, 1005, '')).toMatchObject({ error: expect.stringMatching(/1005/) });
    const victim = await hello(b.port);
    expect(await emitter.call('disconnect', victim.fd, 4001, 'bye from cron')).toBe(true);
    expect(await victim.closed).toEqual({ code: 4001, reason: 'bye from cron' });
    expect(victim.ws.readyState).toBe(WebSocket.CLOSED);
  });

  it('close() ends the emitter: its process exits', async () => {
    const other = await startEmitter({ redis: REDIS_URL, clusterName: cluster, sharded });
    expect(other.started.address).not.toEqual(emitter.started.address); // numbered apart
    await other.stop();
    expect(other.proc.exitCode).toBe(0);
  });
});
