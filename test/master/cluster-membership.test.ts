import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { joinCluster, type Membership } from '../../src/master/cluster/membership.ts';
import { resolveConfig } from '../../src/shared/config.ts';
import { executable, externalTool } from '../helpers/process.ts';
import { PrivateRedis } from '../helpers/redis.ts';
import { sampleUntil, until } from '../helpers/server.ts';

const redisServer = externalTool('redis-server', executable('/usr/bin/redis-server'), 'apt-get install -y redis-server');

/** A master's cluster membership against a private redis-server that loses everything it held. */
describe.runIf(redisServer.run)('cluster membership when Redis loses its data', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function setup(): Promise<{ server: PrivateRedis; m: Membership; admin: Redis }> {
    if (!redisServer.available) throw new Error(redisServer.problem ?? 'redis-server missing');
    const server = await PrivateRedis.create();
    cleanup.push(() => server.stop());
    // A long TTL: the periodic refresh (every 20 s) never runs within these tests.
    const config = resolveConfig({ redis: server.url, clusterName: 'ms', workers: 1, nodeTtlMs: 60_000 });
    const m = await joinCluster({ ...config, redis: server.url }, pino({ level: 'silent' }));
    cleanup.push(() => m.leave());
    const admin = new Redis(server.url);
    admin.on('error', () => {});
    cleanup.push(() => void admin.disconnect());
    return { server, m, admin };
  }

  it('session-id blocks never start again from 0 after the counter was lost (no fd reissued)', async () => {
    const { m, admin } = await setup();
    const first = m.seqBlock;
    const second = await m.nextSeqBlock();
    expect(second.first).toBe(first.last + 1);
    await admin.flushall();
    const third = await m.nextSeqBlock();
    expect(third.first).toBeGreaterThan(second.last);
  });

  it('after a restart that lost everything: the lease and the seq counter are back at once, and the workers are told', async () => {
    const { server, m, admin } = await setup();
    const restored: string[] = [];
    m.onRestored = (reason) => restored.push(reason);
    const block = await m.nextSeqBlock();
    await server.kill();
    await server.start();
    // Within a reconnect, not at the next refresh 20 s away: another node joining now must not take our id.
    await sampleUntil(() => admin.exists(`ms:node:${m.nodeId}`).catch(() => 0), (n) => n === 1, 10_000, 50);
    expect(await admin.exists(`ms:node:${m.nodeId}`)).toBe(1);
    await until(() => restored.length > 0, 5000, 'onRestored called');
    expect(Number(await admin.get(`ms:seq:${m.nodeId}`))).toBeGreaterThanOrEqual(block.last);
  });
});
