import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, command, hello, startCluster, type Hello } from '../helpers/cluster.ts';
import { executable, externalTool, killAll, type CliProcess } from '../helpers/process.ts';
import { PrivateRedis } from '../helpers/redis.ts';
import { sampleUntil, until } from '../helpers/server.ts';

const redisServer = externalTool('redis-server', executable('/usr/bin/redis-server'), 'apt-get install -y redis-server');

describe.runIf(redisServer.run)('Redis outage with two nodes (a private redis-server)', () => {
  let redis: PrivateRedis;
  let a: CliProcess;
  let b: CliProcess;
  let onA: Hello[];
  let onB: Hello[];

  beforeAll(async () => {
    if (!redisServer.available) throw new Error(redisServer.problem ?? 'redis-server missing');
    redis = await PrivateRedis.create();
    const args = ['--workers', '2', '--dispatch-mode', '1', '--redis', redis.url, '--cluster-name', `outage-${randomBytes(3).toString('hex')}`];
    [a, b] = await Promise.all([startCluster(args), startCluster(args)]);
    onA = [await hello(a.port), await hello(a.port)];
    onB = [await hello(b.port)];
  }, 40_000);
  afterAll(async () => {
    await closeAll([...(onA ?? []), ...(onB ?? [])]);
    await killAll();
    await redis?.stop();
  });

  it('local traffic keeps flowing, cross-node calls fail fast, and everything recovers without a restart', async () => {
    expect(await command(onA[0]!, { cmd: 'pushAsync', fd: onB[0]!.fd })).toBe('written');

    await redis.stop();
    // cross-worker on the same node: the embedded bus does not need Redis
    const before = onA[1]!.messages.length;
    await command(onA[0]!, { cmd: 'push', fd: onA[1]!.fd, n: 20, text: 'local' });
    await until(() => onA[1]!.messages.length - before >= 20, 5000, 'local pushes during the outage');
    // cross-node: a clear answer at once, not a hang
    const t0 = Date.now();
    const during = await command(onA[0]!, { cmd: 'pushAsync', fd: onB[0]!.fd });
    expect(during).toBe('unreachable');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await command(onA[0]!, { cmd: 'broadcast', text: 'partial' })).toBe(false);
    // the HTTP side still serves
    expect((await fetch(`http://127.0.0.1:${a.port}/stats`)).status).toBe(200);

    await redis.start();
    const after = await sampleUntil(() => command(onA[0]!, { cmd: 'pushAsync', fd: onB[0]!.fd }) as Promise<string>, (a) => a === 'written', 15_000, 200);
    expect(after).toBe('written');
    // and the other direction, and broadcasts. The private Redis restarted empty: node A looks
    // gone to B (its calls answer 'unknown') until A's master has reconnected and re-claimed its
    // lease, which it does at once on reconnect, but on its own reconnect schedule.
    const back = await sampleUntil(() => command(onB[0]!, { cmd: 'pushAsync', fd: onA[1]!.fd }) as Promise<string>, (a) => a === 'written', 15_000, 200);
    expect(back).toBe('written');
    const marks = [...onA, ...onB].map((c) => c.messages.length);
    await command(onB[0]!, { cmd: 'broadcast', text: 'back' });
    await until(() => [...onA, ...onB].every((c, i) => c.messages.slice(marks[i]).includes('back')), 10_000, 'broadcast after recovery');
  }, 60_000);
});
