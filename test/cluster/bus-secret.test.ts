/**
 * --bus-secret on real nodes sharing the real Redis: the right secret works across nodes (and
 * from an emitter); a forged push published with a raw Redis client, a node with the wrong
 * secret and an emitter without one reach no session, and the receiving node logs the refusal.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/shared/bus/codec.ts';
import { BusMac, channelId, TRAILER_BYTES } from '../../src/shared/bus/mac.ts';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import { OPS } from '../../src/worker/cluster/cluster-ops.ts';
import { OpMessage } from '../../src/worker/cluster/op-kit.ts';
import { closeAll, command, hello, startCluster, stats, type Hello } from '../helpers/cluster.ts';
import { externalTool, killAll, type CliProcess } from '../helpers/process.ts';
import { REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { until } from '../helpers/server.ts';
import { startEmitter } from './emitter-child.ts';

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const SECRET = `right-${randomBytes(12).toString('hex')}`;
const WRONG = `wrong-${randomBytes(12).toString('hex')}`;
const nodeOf = (fd: number): number => Math.floor(fd / 256) % 4096;
const slotOf = (fd: number): number => fd % 256;
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
/** The admin server of a node started with --admin-port 0 (its admin-listening line names the port). */
function cliAdmin(cli: CliProcess): string {
  const line = cli.logs().find((e) => e.event === 'admin-listening');
  if (!line) throw new Error('no admin-listening line');
  return `http://127.0.0.1:${line.port as number}`;
}
const rejections = (cli: CliProcess) => cli.logs().filter((e) => e.event === 'bus-message-rejected');

describe.runIf(redis.run)('the authenticated bus (--bus-secret) across real nodes', () => {
  let a: CliProcess;
  let b: CliProcess;
  let onA: Hello[];
  let onB: Hello[];
  const cluster = `sy-test-sec-${randomBytes(4).toString('hex')}`;
  const raw = new Redis(REDIS_URL, { lazyConnect: true });
  const args = ['--workers', '2', '--dispatch-mode', '1', '--redis', REDIS_URL, '--cluster-name', cluster, '--admin-port', '0'];

  beforeAll(async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    await raw.connect();
    [a, b] = await Promise.all([startCluster(args, { SWITCHYARD_BUS_SECRET: SECRET }), startCluster(args, { SWITCHYARD_BUS_SECRET: SECRET })]);
    onA = [await hello(a.port), await hello(a.port)];
    onB = [await hello(b.port), await hello(b.port)];
  }, 60_000);
  afterAll(async () => {
    await closeAll([...(onA ?? []), ...(onB ?? [])]);
    await killAll();
    const keys = await raw.keys(`${cluster}:*`);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
  });

  it('the right secret works across the two nodes: push, pushAsync, broadcast', async () => {
    const target = onB[1]!;
    await command(onA[0]!, { cmd: 'push', fd: target.fd, n: 20, text: 'signed' });
    await until(() => target.messages.filter((m) => m.startsWith('signed:')).length === 20, 10_000, 'signed cross-node pushes');
    expect(await command(onA[1]!, { cmd: 'pushAsync', fd: target.fd })).toBe('written');
    await command(onB[0]!, { cmd: 'broadcast', text: 'signed to all' });
    await until(() => [...onA, ...onB].every((c) => c.messages.includes('signed to all')), 10_000, 'signed broadcast');
    expect(rejections(a)).toEqual([]);
    expect(rejections(b)).toEqual([]);
  });

  it('a forged push published with a raw Redis client does not arrive; the same message signed with the secret does', async () => {
    const target = onA[1]!;
    const channel = `${cluster}:w:${nodeOf(target.fd)}:${slotOf(target.fd)}`;
    const forged = encodeEnvelope({ node: nodeOf(onB[0]!.fd), slot: 0 }, new OpMessage(OPS.push, target.fd, 'forged', Opcode.Text));
    expect(await raw.publish(channel, forged)).toBe(1); // a worker heard it
    expect(await raw.publish(`${cluster}:all`, encodeEnvelope({ node: 4000, slot: 0 }, new OpMessage(OPS.broadcast, 'forged to all', Opcode.Text, { except: [], room: undefined })))).toBeGreaterThan(0);
    // The control: the very same push, signed (as a node with the secret would), is delivered.
    const signed = encodeEnvelope({ node: nodeOf(onB[0]!.fd), slot: 0 }, new OpMessage(OPS.push, target.fd, 'genuine', Opcode.Text), TRAILER_BYTES);
    new BusMac(SECRET).sign(signed, channelId(channel));
    await raw.publish(channel, signed);
    await until(() => target.messages.includes('genuine'), 10_000, 'the signed control');
    await settle();
    expect([...onA, ...onB].some((c) => c.messages.some((m) => m.startsWith('forged')))).toBe(false);
    await until(() => rejections(a).length > 0, 5000, "node A's rejection log line");
    expect(rejections(a)[0]).toMatchObject({ why: 'unsigned', level: 40 });
    // Counted in the metrics: node A's worker that holds the fd dropped the push and the
    // broadcast, its other worker the broadcast (the signed control is not counted).
    const admin = cliAdmin(a);
    const rejected = async (): Promise<number> => {
      const text = await (await fetch(`${admin}/metrics?scope=node`)).text();
      return [...text.matchAll(/^switchyard_bus_messages_rejected_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    await until(async () => (await rejected()) >= 3, 5000, 'the rejections in /metrics');
    expect(await rejected()).toBe(3);
  });

  it('a node started with the wrong secret cannot push to the nodes with the right one (nor they to it)', async () => {
    const c = await startCluster([...args, '--bus-secret', WRONG]);
    const onC = await hello(c.port);
    try {
      const target = onA[0]!;
      await command(onC, { cmd: 'push', fd: target.fd, n: 5, text: 'from-wrong' });
      await command(onC, { cmd: 'broadcast', text: 'wrong to all' });
      await command(onA[1]!, { cmd: 'push', fd: onC.fd, n: 5, text: 'to-wrong' });
      // pushAsync from the wrong node: its request is dropped, so no answer ever comes.
      expect(await command(onC, { cmd: 'pushAsync', fd: target.fd }, 8000)).toBe('timeout');
      await command(onB[0]!, { cmd: 'push', fd: target.fd, n: 1, text: 'right-after' });
      await until(() => target.messages.includes('right-after:0'), 10_000, 'a right push after the wrong ones');
      await settle();
      expect(target.messages.some((m) => m.startsWith('from-wrong'))).toBe(false);
      expect([...onA, ...onB].some((x) => x.messages.includes('wrong to all'))).toBe(false);
      expect(onC.messages.some((m) => m.startsWith('to-wrong'))).toBe(false);
      expect(rejections(a).some((e) => e.why === 'bad-mac')).toBe(true);
      expect(rejections(c).some((e) => e.why === 'bad-mac')).toBe(true);
      // Given as a flag, the secret earns the master's warning and never reaches a worker's command line.
      expect(c.logs().some((e) => e.event === 'secret-on-command-line' && e.flag === '--bus-secret')).toBe(true);
      for (const w of (await stats(c.port)).workers) expect(readFileSync(`/proc/${w.pid}/cmdline`, 'utf8')).not.toContain(WRONG);
    } finally {
      await closeAll([onC]);
      await c.stop();
    }
  }, 40_000);

  it('an emitter with the secret reaches a session; one without it, or with the wrong one, does not', async () => {
    const target = onB[0]!;
    const right = await startEmitter({ redis: REDIS_URL, clusterName: cluster, busSecret: SECRET });
    const none = await startEmitter({ redis: REDIS_URL, clusterName: cluster });
    const wrong = await startEmitter({ redis: REDIS_URL, clusterName: cluster, busSecret: WRONG });
    try {
      expect(await none.call('push', target.fd, 'emitter without secret')).toBe('forwarded'); // Redis took it...
      expect(await wrong.call('push', target.fd, 'emitter wrong secret')).toBe('forwarded');
      expect(await right.call('pushAsync', target.fd, 'emitter with secret')).toBe('written'); // ...the reply is signed too
      await settle();
      expect(target.messages).toContain('emitter with secret');
      expect(target.messages).not.toContain('emitter without secret');
      expect(target.messages).not.toContain('emitter wrong secret');
    } finally {
      await Promise.all([right.stop(), none.stop(), wrong.stop()]);
    }
  }, 30_000);
});
