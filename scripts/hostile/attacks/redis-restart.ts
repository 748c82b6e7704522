/**
 * redis-restart (Switchyard only; a private `redis-server` on a free port, started here): two
 * nodes, node A's worker pushing to a session on node B continuously (--push-rate per second,
 * each message stamped with its send time). After a warm-up the redis-server is killed with
 * SIGKILL, and restarted on the same port a moment later (empty: it keeps nothing on disk).
 * Figures per phase (by send time: before the kill, the outage, [0, 5 s) and [5 s, 25 s)
 * after the restart — shorter with --quick): pushes made, their outcomes as pushStatus()
 * answered, and how many of them node B's session received.
 */
import { BUCKET_MS } from '../../apps/hostile-app.ts';
import { CONTROL_TIMEOUT_MS, runCase, sum, type Attack, type AttackContext, type CaseResult } from '../attack.ts';
import { PrivateRedis, redisServerProblem } from '../../lib/redis.ts';
import { clusterName, crossNode, nodeSpec } from './cross-node.ts';

const PHASES = ['before', 'outage', 'window1', 'window2', 'after'] as const;
type Phase = (typeof PHASES)[number];

interface PhaseFigures {
  /** Seconds relative to the restart: [from, to). */
  from: number | null;
  to: number | null;
  sent: number;
  outcomes: Record<string, number>;
  delivered: number;
  /** delivered / sent (null when nothing was sent). */
  deliveredShare: number | null;
}

const nowNs = (): bigint => process.hrtime.bigint();

export const redisRestart: Attack = {
  name: 'redis-restart',
  title: 'the Redis of two nodes killed (-9) under load and restarted',
  limitSeconds: (s) => (s.quick ? 60 : 150),
  async run(ctx: AttackContext) {
    if (!ctx.s.servers.includes('switchyard')) return { cases: [], table: [], notes: [], skipped: 'Switchyard only, and --servers leaves it out' };
    const problem = redisServerProblem();
    if (problem !== null) return { cases: [], table: [], notes: [], skipped: problem };
    const t = ctx.s.quick ? { warm: 1, outage: 0.3, w1: 1, w2: 3, rate: 200, settle: 1 } : { warm: 3, outage: 1, w1: 5, w2: 25, rate: 500, settle: 3 };
    const redis = await PrivateRedis.create();
    const cluster = clusterName();
    ctx.log(`redis-restart: private redis-server on ${redis.port}, ${t.rate} pushes/s A -> B, kill -9 after ${t.warm} s, restart ${t.outage} s later, windows [0, ${t.w1}) and [${t.w1}, ${t.w2}) s`);
    try {
      const c = await runCase(ctx, 'redis-restart', `${t.rate}/s, windows ${t.w1} s and ${t.w2} s`, nodeSpec('a', redis.url, cluster), async (run) => {
        const x = await crossNode(ctx, run, nodeSpec('b', redis.url, cluster));
        try {
          x.driver.send({ cmd: 'pace', to: x.target.fd, rate: t.rate, size: 64 });
          await run.attackFor(t.warm * 1000);
          const killedAt = nowNs();
          await redis.kill();
          await run.attackFor(t.outage * 1000);
          await redis.start();
          const restartedAt = nowNs();
          ctx.log(`redis-restart: redis-server back after ${Number(restartedAt - killedAt) / 1e9} s`);
          await run.attackFor(t.w2 * 1000);
          x.driver.send({ cmd: 'pace-stop' });
          const done = await x.driver.reply('pace-done', CONTROL_TIMEOUT_MS).catch((err: Error) => ({ error: err.message }));
          await run.attackFor(t.settle * 1000);
          const r = await x.finish();
          const nodeBAlive = x.b.alive();
          await x.release();
          const sentBuckets = ((done as { buckets?: Array<[number, Record<string, number>]> }).buckets ?? []) as Array<[number, Record<string, number>]>;
          const bounds = { killedAt, restartedAt, w1: restartedAt + BigInt(t.w1 * 1e9), w2: restartedAt + BigInt(t.w2 * 1e9) };
          return {
            rate: t.rate,
            pathWorkedBeforehand: x.pathWorks,
            outageSeconds: Number(restartedAt - killedAt) / 1e9,
            paceError: (done as { error?: string }).error ?? null,
            phases: phases(sentBuckets, r.buckets, bounds, t),
            delivered: r.delivered,
            seqGaps: r.gaps,
            receiverClosedEarly: r.closedEarly,
            nodeBAlive,
          };
        } catch (err) {
          x.driver.close();
          await x.receiver.stop().catch(() => null);
          await x.release();
          throw err;
        }
      });
      const ph = c.phases as Record<Phase, PhaseFigures> | undefined;
      const table = [['phase (send time, s from the restart)', 'pushes', 'outcomes', 'delivered / sent']];
      for (const p of PHASES) {
        const f = ph?.[p];
        if (!f) continue;
        const range = p === 'before' ? 'before the kill' : p === 'outage' ? 'outage (killed, not yet back)' : p === 'after' ? `after ${f.from} s` : `[${f.from}, ${f.to})`;
        table.push([range, String(f.sent), Object.entries(f.outcomes).map(([k, v]) => `${k} ${v}`).join(', ') || '-', f.deliveredShare === null ? '-' : `${f.delivered} / ${f.sent} (${Math.round(f.deliveredShare * 100)} %)`]);
      }
      if (!ph) table.push(['n/a', '-', String(c.error ?? c.paceError), '-']);
      return { cases: [c] as CaseResult[], table, notes: ['Switchyard only; nodes of 1 worker over a private redis-server; phases by each push\'s send time'] };
    } finally {
      await redis.stop();
    }
  },
};

/** Sent (with outcomes) and delivered counts per phase, from buckets of send time. */
function phases(sent: Array<[number, Record<string, number>]>, delivered: Array<[number, number]>, b: { killedAt: bigint; restartedAt: bigint; w1: bigint; w2: bigint }, t: { w1: number; w2: number }): Record<Phase, PhaseFigures> {
  const phaseOf = (bucket: number): Phase => {
    const ns = BigInt(bucket) * BigInt(BUCKET_MS * 1e6);
    return ns < b.killedAt ? 'before' : ns < b.restartedAt ? 'outage' : ns < b.w1 ? 'window1' : ns < b.w2 ? 'window2' : 'after';
  };
  const out = {} as Record<Phase, PhaseFigures>;
  const range: Record<Phase, [number | null, number | null]> = { before: [null, null], outage: [null, 0], window1: [0, t.w1], window2: [t.w1, t.w2], after: [t.w2, null] };
  for (const p of PHASES) out[p] = { from: range[p][0], to: range[p][1], sent: 0, outcomes: {}, delivered: 0, deliveredShare: null };
  for (const [bucket, counts] of sent) {
    const f = out[phaseOf(bucket)];
    for (const [k, v] of Object.entries(counts)) f.outcomes[k] = (f.outcomes[k] ?? 0) + v;
    f.sent += sum(Object.values(counts));
  }
  // The warm-up pushes (before the paced ones) were delivered but are not in `sent`.
  const first = Math.min(...sent.map(([bucket]) => bucket));
  for (const [bucket, n] of delivered) if (bucket >= first) out[phaseOf(bucket)].delivered += n;
  for (const p of PHASES) out[p].deliveredShare = out[p].sent > 0 ? Math.round((out[p].delivered / out[p].sent) * 1000) / 1000 : null;
  return out;
}
