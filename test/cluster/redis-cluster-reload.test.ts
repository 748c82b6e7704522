/**
 * A reload on a real Redis Cluster (issue 16): the broadcast channel ({P}:all) is a shard of its
 * own, in no order against the slot's channel, so a reload cuts it with a marker of its own
 * (bus-handover.ts). Node B broadcasts 10 messages every 25 ms (and pushes, and pushes to a
 * room) while node A reloads three times, its old workers stopped 40 ms of every 50 (SIGSTOP):
 * each client of A gets each broadcast exactly once, in order; B's disconnects of A's clients
 * meanwhile give each the close code asked for.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll } from '../helpers/process.ts';
import { PrivateRedisCluster, redisServer } from '../helpers/redis-cluster.ts';
import { CrossNodeDriver, reloadUnderTraffic } from '../reload/cross-node-driver.ts';
import { connect, startReloadServer, until, whoami, type Client } from '../reload/reload-helpers.ts';

let rc: PrivateRedisCluster | undefined;
beforeAll(async () => {
  if (!redisServer.run) return;
  if (!redisServer.available) throw new Error(redisServer.problem ?? 'redis-server unavailable');
  rc = await PrivateRedisCluster.create(1500);
}, 60_000);
afterAll(async () => {
  await killAll();
  await rc?.stop();
});

/** SIGSTOP `pids` for stopMs, SIGCONT for runMs, over and over (gone ones skipped) until the returned stop(). */
function stutter(pids: number[], stopMs: number, runMs: number): () => void {
  let on = true;
  const signal = (sig: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // exited: its slot moved
      }
    }
  };
  const cycle = (): void => {
    if (!on) return;
    signal('SIGSTOP');
    setTimeout(() => {
      signal('SIGCONT');
      setTimeout(cycle, runMs);
    }, stopMs);
  };
  cycle();
  return () => {
    on = false;
    signal('SIGCONT');
  };
}

describe.runIf(redisServer.run)('reload on a Redis Cluster (two nodes)', () => {
  it('node B broadcasts (10 per 25 ms), pushes and disconnects while node A reloads three times: each broadcast reaches each client once, in order', { timeout: 120_000 }, async () => {
    const args = ['--redis', rc!.seeds, '--cluster-name', `sy-rcr-${randomBytes(3).toString('hex')}`, '--node-ttl-ms', '1500'];
    const [a, b] = await Promise.all([startReloadServer(args), startReloadServer(args)]);
    expect(a.cli.logs().some((l) => l.event === 'redis-cluster')).toBe(true);
    const onA: Client[] = [];
    for (let i = 0; i < 24; i++) onA.push(await connect(a.cli.port));
    const driver = new CrossNodeDriver(await connect(b.cli.port), onA, { toggle: false, burst: 10 });
    driver.joinAll();
    // A join and a room push travel on two shards: let the joins land first.
    await new Promise((r) => setTimeout(r, 300));
    driver.tick();
    await until(() => driver.settled(), 20_000, 'the first round of operations');
    let pids = new Set((await Promise.all(driver.plain.map(whoami))).map((w) => w.pid));
    for (const version of ['v2', 'v3', 'v4']) {
      // The old workers stutter (stopped 40 ms of every 50): each reads its two subscriptions
      // in bursts, so the two streams interleave differently in the old and the new worker.
      const stop = stutter([...pids], 40, 10);
      try {
        await reloadUnderTraffic(a, driver, version, 3);
      } finally {
        stop();
      }
      const who = await Promise.all(driver.plain.map(whoami));
      expect(new Set(who.map((w) => w.version))).toEqual(new Set([version]));
      pids = new Set(who.map((w) => w.pid));
    }
    await until(() => driver.settled(), 20_000, 'every operation delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect(driver.closed.length).toBeGreaterThanOrEqual(3);
    driver.check();
  });
});
