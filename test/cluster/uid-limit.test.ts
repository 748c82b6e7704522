/**
 * maxConnectionsPerUid over real sockets: a bind beyond the limit closes the uid's oldest
 * sessions with 4429, across the workers of a node and across two nodes sharing Redis.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, command, hello, startCluster, type Hello } from '../helpers/cluster.ts';
import { externalTool, killAll } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { sleep } from '../helpers/server.ts';

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const open: Hello[] = [];
afterEach(async () => {
  await closeAll(open.splice(0));
  await killAll();
});

/** Whether the client is still open after a moment (a close that is coming has had time to come). */
async function stillOpen(c: Hello): Promise<boolean> {
  return Promise.race([c.closed.then(() => false), sleep(300).then(() => true)]);
}

// Each test starts a cluster (the last one two): slow when the 2 cores are shared.
describe('maxConnectionsPerUid', { timeout: 90_000 }, () => {
  it('in one node: the bind beyond the limit closes the oldest session of that uid with 4429, wherever it lives', async () => {
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', 'round-robin', '--max-connections-per-uid', '2']);
    const c: Hello[] = [];
    for (let i = 0; i < 5; i++) c.push(await hello(cli.port));
    open.push(...c);
    expect(new Set(c.map((x) => x.worker)).size).toBe(2);
    const ctl = c[4]!;
    for (const x of c.slice(0, 3)) expect(await command(ctl, { cmd: 'bind', fd: x.fd, uid: 'alice' })).toBe(true);
    expect(await c[0]!.closed).toEqual({ code: 4429, reason: 'too many sessions for this uid' });
    expect(await stillOpen(c[1]!)).toBe(true);
    expect(await command(ctl, { cmd: 'uid', uid: 'alice' })).toEqual([c[1]!.fd, c[2]!.fd].sort((a, b) => a - b));
    // The next bind: the earliest connected of the uid's sessions goes.
    expect(await command(ctl, { cmd: 'bind', fd: c[3]!.fd, uid: 'alice' })).toBe(true);
    expect((await c[1]!.closed).code).toBe(4429);
    expect(await stillOpen(c[2]!)).toBe(true);
    expect(await stillOpen(c[3]!)).toBe(true);
    // Another uid has its own count.
    expect(await command(ctl, { cmd: 'bind', fd: ctl.fd, uid: 'bob' })).toBe(true);
    expect(await stillOpen(ctl)).toBe(true);
  });

  it('without the setting, binds are not limited', async () => {
    const cli = await startCluster(['--workers', '2']);
    const c: Hello[] = [];
    for (let i = 0; i < 4; i++) c.push(await hello(cli.port));
    open.push(...c);
    for (const x of c) await command(c[0]!, { cmd: 'bind', fd: x.fd, uid: 'alice' });
    expect((await command(c[0]!, { cmd: 'uid', uid: 'alice' })).length).toBe(4);
    expect(await stillOpen(c[0]!)).toBe(true);
  });

  it.runIf(redis.run)('across two nodes sharing Redis: a bind on node B closes the oldest session, on node A', async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const cluster = `sy-test-${randomBytes(4).toString('hex')}`;
    try {
      const args = ['--workers', '2', '--redis', REDIS_URL, '--cluster-name', cluster, '--max-connections-per-uid', '1'];
      const [a, b] = await Promise.all([startCluster(args), startCluster(args)]);
      const onA = await hello(a.port);
      const onB = await hello(b.port);
      open.push(onA, onB);
      expect(await command(onA, { cmd: 'bind', fd: onA.fd, uid: 'carol' })).toBe(true);
      expect(await stillOpen(onA)).toBe(true);
      expect(await command(onB, { cmd: 'bind', fd: onB.fd, uid: 'carol' })).toBe(true);
      expect(await onA.closed).toEqual({ code: 4429, reason: 'too many sessions for this uid' });
      expect(await stillOpen(onB)).toBe(true);
      expect(await command(onB, { cmd: 'uid', uid: 'carol' })).toEqual([onB.fd]);
    } finally {
      await deleteKeys(cluster);
    }
  });
});
