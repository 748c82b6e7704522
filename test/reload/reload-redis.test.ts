/**
 * Zero-drop reload with the Redis bus (issue 16): two nodes share one Redis; node A is reloaded
 * three times while node B's clients push sequenced messages (pushAsync, across the bus) at
 * connections held by A, and A's clients push at B's. Nothing lost, nothing twice, order kept,
 * and the sender's outcome for a moving fd is never `closed`/`unknown` (nor a bus failure).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { externalTool, killAll } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { connect, startReloadServer, until, whoami, type Client } from './reload-helpers.ts';

const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const cluster = `sy-reload-${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await killAll();
  await deleteKeys(cluster);
});

describe.runIf(redis.run)('reload with the Redis bus (two nodes)', () => {
  it('node A reloads 3 times while node B pushes at its connections and A pushes at B: none lost, none twice, in order, outcome never closed/unknown', async () => {
    if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
    const args = ['--redis', REDIS_URL, '--cluster-name', cluster, '--node-ttl-ms', '1500'];
    const [a, b] = await Promise.all([startReloadServer(args), startReloadServer(args)]);
    const N = 40;
    const onA: Client[] = [];
    const onB: Client[] = [];
    for (let i = 0; i < N; i++) {
      onA.push(await connect(a.cli.port));
      onB.push(await connect(b.cli.port));
    }
    let seq = 0;
    const tick = () => {
      seq++;
      for (let i = 0; i < N; i++) {
        const ca = onA[i]!;
        const cb = onB[i]!;
        ca.ws.send(`s:${++ca.sent}`);
        ca.ws.send(`pa:${cb.fd}:${seq}`);
        cb.ws.send(`pa:${ca.fd}:${seq}`);
      }
    };
    // A first round delivered both ways before anything moves.
    tick();
    await until(() => onA.every((c, i) => c.pushes.get(onB[i]!.fd)?.length === 1) && onB.every((c, i) => c.pushes.get(onA[i]!.fd)?.length === 1), 20_000, 'the first cross-node pushes');
    const traffic = setInterval(tick, 50);
    let pids = new Set((await Promise.all(onA.slice(0, 4).map(whoami))).map((w) => w.pid));
    try {
      for (let round = 2; round <= 4; round++) {
        a.setVersion(`v${round}`);
        const r = await a.reload();
        expect(r.code, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as { slots: Array<{ moved: number; failed: unknown[] }> };
        expect(report.slots.map((s) => s.failed)).toEqual([[], []]);
        expect(report.slots.reduce((n, s) => n + s.moved, 0)).toBe(N);
        const who = await Promise.all(onA.slice(0, 4).map(whoami));
        expect(new Set(who.map((w) => w.version))).toEqual(new Set([`v${round}`]));
        const now = new Set(who.map((w) => w.pid));
        expect([...now].filter((p) => pids.has(p))).toEqual([]);
        pids = now;
        // Some traffic after each move before the next one.
        const at = seq;
        await until(() => seq >= at + 5, 5_000, 'traffic after the reload');
      }
    } finally {
      clearInterval(traffic);
    }
    const last = seq;
    await until(() => onA.every((c) => c.echoes.length === c.sent), 20_000, 'every echo on A');
    await until(() => onA.every((c, i) => c.pushes.get(onB[i]!.fd)?.at(-1) === last) && onB.every((c, i) => c.pushes.get(onA[i]!.fd)?.at(-1) === last), 20_000, 'every cross-node push');
    const every = Array.from({ length: last }, (_, i) => i + 1);
    for (let i = 0; i < N; i++) {
      const ca = onA[i]!;
      const cb = onB[i]!;
      for (const c of [ca, cb]) {
        expect(c.closes).toEqual([]);
        expect(c.other.filter((t) => t.startsWith('bad'))).toEqual([]);
      }
      expect(ca.echoes).toEqual(Array.from({ length: ca.sent }, (_, k) => k + 1));
      expect(ca.pushes.get(cb.fd)).toEqual(every);
      expect(cb.pushes.get(ca.fd)).toEqual(every);
      expect([...ca.answeredBy].map((x) => x.split('/')[0])).toEqual(['v1', 'v2', 'v3', 'v4']);
    }
  }, 150_000);
});
