/**
 * /readyz with Redis: 200 only while the master and every live worker are connected (each
 * worker's Redis bus and session table, from its load reports), 503 naming Redis while the
 * private redis-server is down, 200 again once it is back; /healthz stays 200 throughout.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../helpers/cluster.ts';
import { executable, externalTool, killAll, type CliProcess } from '../helpers/process.ts';
import { PrivateRedis } from '../helpers/redis.ts';
import { sampleUntil } from '../helpers/server.ts';

const redisServer = externalTool('redis-server', executable('/usr/bin/redis-server'), 'apt-get install -y redis-server');

interface Ready {
  status: number;
  body: { ready: boolean; reason: string | null; redis?: boolean };
}

describe.runIf(redisServer.run)('/readyz follows Redis (a private redis-server)', () => {
  let redis: PrivateRedis;
  let node: CliProcess;
  let admin: string;

  beforeAll(async () => {
    if (!redisServer.available) throw new Error(redisServer.problem ?? 'redis-server missing');
    redis = await PrivateRedis.create();
    node = await startCluster(['--workers', '2', '--redis', redis.url, '--cluster-name', `ready-${randomBytes(3).toString('hex')}`, '--admin-port', '0']);
    const line = node.logs().find((e) => e.event === 'admin-listening');
    if (!line) throw new Error('no admin-listening line');
    admin = `http://127.0.0.1:${line.port as number}`;
  }, 40_000);
  afterAll(async () => {
    await killAll();
    await redis?.stop();
  });

  const ready = async (): Promise<Ready> => {
    const res = await fetch(`${admin}/readyz`);
    return { status: res.status, body: (await res.json()) as Ready['body'] };
  };

  it('503 naming Redis while it is down, 200 with redis: true before and after', async () => {
    const before = await sampleUntil(ready, (r) => r.status === 200, 10_000, 50);
    expect(before.body).toMatchObject({ ready: true, redis: true });

    await redis.stop();
    const down = await sampleUntil(ready, (r) => r.status === 503, 10_000, 50);
    expect(down.body.ready).toBe(false);
    expect(down.body.redis).toBe(false);
    expect(down.body.reason).toMatch(/Redis/);
    expect((await fetch(`${admin}/healthz`)).status).toBe(200);

    await redis.start();
    const back = await sampleUntil(ready, (r) => r.status === 200, 20_000, 100);
    expect(back.body).toMatchObject({ ready: true, redis: true, reason: null });
  }, 60_000);
});
