/**
 * The default app's POST /push/:fd tells a congested push from one that cannot be made:
 * 503 with Retry-After for `congested`, 503 without it for `timeout` / `unreachable`.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterKeys } from '../../src/shared/redis-keys.ts';
import { encodeFd } from '../../src/shared/session-id.ts';
import { externalTool, killAll, startCli } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');

describe.runIf(redis.run)('POST /push/:fd when the push cannot be made', () => {
  const cluster = `sy-test-congested-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await killAll();
    await deleteKeys(cluster);
  });

  it('congested: 503 with Retry-After: 1; timeout: 503 without it', async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const token = randomBytes(8).toString('hex');
    // One worker that lets one call await its answer; node 4000 holds a lease (so it counts as
    // alive: an fd of a dead node would answer 'unknown' at once) but no process subscribes for
    // it, so a push to its fd is published and waits for busTimeoutMs.
    const lease = new Redis(REDIS_URL);
    await lease.set(new ClusterKeys(cluster).node(4000), JSON.stringify({ token: 'test', info: { host: 'nowhere', pid: 0, workers: 1 } }), 'PX', 120_000);
    lease.disconnect();
    const cli = await startCli(['--port', '0', '--workers', '1', '--redis', REDIS_URL, '--cluster-name', cluster, '--bus-timeout-ms', '3000'], 30_000, {
      SWITCHYARD_ADMIN_TOKEN: token,
      SWITCHYARD_BUS_MAX_PENDING_REQUESTS: '1',
    });
    const post = (fd: number) => fetch(`http://127.0.0.1:${cli.port}/push/${fd}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: 'x' });
    const waiting = post(encodeFd(2 ** 20, 4000, 0));
    // Until the first call waits in the worker, a second one waits too (and ends as a timeout):
    // try again until one is answered at once.
    const tries: Array<Promise<Response | null>> = [];
    let second: Response | null = null;
    for (let i = 0; i < 20 && second === null; i++) {
      const attempt = post(encodeFd(2 ** 20 + 1 + i, 4000, 0)).catch(() => null);
      tries.push(attempt);
      second = await Promise.race([attempt, new Promise<null>((res) => setTimeout(() => res(null), 500))]);
    }
    expect(second?.status).toBe(503);
    expect(second!.headers.get('retry-after')).toBe('1');
    expect(await second!.json()).toMatchObject({ status: 'congested', worker: 0 });
    await Promise.all(tries);
    const first = await waiting;
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBeNull();
    expect(await first.json()).toMatchObject({ status: 'timeout' });
  }, 60_000);
});
