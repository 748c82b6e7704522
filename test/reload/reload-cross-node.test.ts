/**
 * Cross-node operations while a node reloads (issue 16), on a real Redis shared by two nodes
 * (node A's answers 150 ms late, see below): one client of node B drives, every 25 ms, operations on the connections of node A while A is
 * reloaded three times (each slot's connections move to a new worker):
 *   - pushAsync to each of them: in order, once, outcome never closed/unknown;
 *   - a broadcast: each client of A gets each one exactly once, in order;
 *   - room membership that moves with the connection: a room joined before, pushed every tick
 *     (each member gets every push once), and a room each of some clients joins and leaves on
 *     alternate ticks, pushed after each change (a member gets exactly the pushes made while
 *     joined: one Redis publisher, so B's join, leave and room push arrive in the order made);
 *   - disconnect (and close) of clients of A from the moment a new worker is up: each gets the
 *     close code asked for, exactly once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { externalTool, killAll } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { SlowRedis } from '../helpers/slow-redis.ts';
import { CrossNodeDriver, reloadUnderTraffic } from './cross-node-driver.ts';
import { connect, startReloadServer, until, whoami, type Client } from './reload-helpers.ts';

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const cluster = `sy-xreload-${randomBytes(4).toString('hex')}`;

let slow: SlowRedis | undefined;

afterAll(async () => {
  await killAll();
  await slow?.stop();
  await deleteKeys(cluster);
});

describe.runIf(redis.run)('cross-node operations during a reload (two nodes, one Redis)', () => {
  it('node B pushes, broadcasts, moves room membership and closes connections of node A while A reloads 3 times: each once, in order, the close code asked for', async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    // Node A hears Redis 150 ms late: each moving connection waits that long between its two
    // workers (its descriptor sent, its state not yet), and B's operations reach it meanwhile.
    const url = new URL(REDIS_URL);
    slow = await SlowRedis.start({ host: url.hostname, port: Number(url.port || 6379) });
    const args = ['--cluster-name', cluster, '--node-ttl-ms', '1500'];
    const [a, b] = await Promise.all([startReloadServer(['--redis', slow.url, ...args]), startReloadServer(['--redis', REDIS_URL, ...args])]);
    const onA: Client[] = [];
    for (let i = 0; i < 36; i++) onA.push(await connect(a.cli.port));
    const driver = new CrossNodeDriver(await connect(b.cli.port), onA);
    driver.joinAll();
    driver.tick();
    await until(() => driver.settled(), 20_000, 'the first round of operations');
    slow.delayMs = 150;
    let pids = new Set((await Promise.all(driver.plain.slice(0, 4).map(whoami))).map((w) => w.pid));
    for (let round = 2; round <= 4; round++) {
      await reloadUnderTraffic(a, driver, `v${round}`, 4);
      const who = await Promise.all(driver.plain.slice(0, 4).map(whoami));
      expect(new Set(who.map((w) => w.version))).toEqual(new Set([`v${round}`]));
      const now = new Set(who.map((w) => w.pid));
      expect([...now].filter((p) => pids.has(p))).toEqual([]);
      pids = now;
    }
    await until(() => driver.settled(), 20_000, 'every operation delivered');
    // Anything late or twice would come now.
    await new Promise((r) => setTimeout(r, 300));
    expect(driver.closed.length).toBeGreaterThanOrEqual(6);
    driver.check();
  }, 150_000);
});
