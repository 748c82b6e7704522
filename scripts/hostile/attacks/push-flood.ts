/**
 * push-flood (Switchyard only; needs Redis at --redis / REDIS_URL, a random cluster name):
 * a worker of node A pushes 1,000,000 64-byte messages to a session on node B in one
 * synchronous loop. Figures: the sending worker's RSS growth (and node A's), the outcome of
 * every push as pushStatus() answered (whatever statuses the code in the tree has), the loop's
 * time, how many the session on node B received, and both nodes' push counters (/stats).
 */
import { mb } from '../watch.ts';
import { rssCell, runCase, type Attack, type AttackContext, type CaseResult } from '../attack.ts';
import { deleteKeys, redisClient } from '../../lib/redis.ts';
import { clusterName, crossNode, nodeSpec, pushStats, settle } from './cross-node.ts';

export const pushFlood: Attack = {
  name: 'push-flood',
  title: 'a worker pushes to a session on another node, in one loop',
  limitSeconds: (s) => 180 + s.pushes / 5000,
  async run(ctx: AttackContext) {
    if (!ctx.s.servers.includes('switchyard')) return { cases: [], table: [], notes: [], skipped: 'Switchyard only, and --servers leaves it out' };
    const client = await redisClient(ctx.s.redisUrl);
    if (client === null) return { cases: [], table: [], notes: [], skipped: `no Redis answering PING at ${ctx.s.redisUrl}` };
    const cluster = clusterName();
    const n = ctx.s.pushes;
    ctx.log(`push-flood: ${n} pushes from node A to node B in one loop (Redis ${ctx.s.redisUrl}, cluster ${cluster})`);
    try {
      const c = await runCase(ctx, 'push-flood', `${n} pushes`, nodeSpec('a', ctx.s.redisUrl, cluster), async (run) => {
        const x = await crossNode(ctx, run, nodeSpec('b', ctx.s.redisUrl, cluster));
        try {
          const sender = x.driver.hello.pid;
          x.driver.send({ cmd: 'flood', to: x.target.fd, count: n, size: 64 });
          const done = await Promise.race([x.driver.reply('flood-done', ctx.s.quick ? 30_000 : 180_000), run.watch.tripped.then(() => null)]).catch((err: Error) => ({ error: err.message }));
          const outcomes = (done as { outcomes?: Record<string, number> } | null)?.outcomes ?? null;
          // Deliveries go on after the loop (the bus writes what it queued once the loop lets
          // it): wait for all that were handed to the bus, or for 10 s without a new one.
          await settle(x.delivered, outcomes?.forwarded ?? n, ctx.s.quick ? 2000 : 10_000, ctx.s.quick ? 10_000 : 120_000, run.watch.tripped);
          const p = run.watch.process(sender);
          const [statsA, statsB] = await Promise.all([pushStats(run.side), pushStats(x.b)]);
          const r = await x.finish();
          const nodeBAlive = x.b.alive();
          await x.release();
          return {
            pushes: n,
            messageBytes: 64,
            pathWorkedBeforehand: x.pathWorks,
            outcomes,
            loopMs: (done as { loopMs?: number } | null)?.loopMs ?? null,
            floodError: (done as { error?: string } | null)?.error ?? null,
            senderWorker: p ? { pid: sender, baselineMB: mb(p.baseline), peakMB: mb(p.peak), growthMB: mb(p.peak - p.baseline) } : null,
            delivered: r.delivered,
            seqGaps: r.gaps,
            receiverClosedEarly: r.closedEarly,
            nodeBAlive,
            statsA,
            statsB,
          };
        } catch (err) {
          x.driver.close();
          await x.receiver.stop().catch(() => null);
          await x.release();
          throw err;
        }
      });
      const w = c.senderWorker as { growthMB: number; peakMB: number } | null | undefined;
      const outcomes = c.outcomes as Record<string, number> | null | undefined;
      const table = [
        ['pushes', 'sender worker RSS growth (peak)', 'node A RSS growth', 'outcomes (pushStatus)', 'loop ms', 'delivered on node B'],
        [String(n), w ? `+${w.growthMB} MB (${w.peakMB} MB)` : 'n/a', rssCell(c), outcomes ? Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ') : String(c.floodError ?? c.error ?? 'none'), String(c.loopMs ?? 'n/a'), String(c.delivered ?? 'n/a')],
      ];
      return { cases: [c] as CaseResult[], table, notes: ['Switchyard only (ws has no cross-node push); both nodes 1 worker, hostile-app'] };
    } finally {
      await deleteKeys(client, cluster).catch(() => 0);
      client.disconnect();
    }
  },
};
