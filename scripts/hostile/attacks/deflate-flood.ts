/**
 * deflate-flood: clients negotiate permessage-deflate and send, as fast as the socket takes,
 * small compressed frames that inflate to ~1.9 MiB each (or 24-byte frames inflating to
 * ~2 KB), 1 and 20 clients. They read (and drop) what comes back, so the server's output
 * bound is not what is measured. Figures: server RSS growth during the attack, RSS
 * `afterSeconds` after the clients closed, and what the server did to the clients: bytes it
 * accepted, whether it paused (stopped reading) or closed them.
 */
import { inTurn, reasons, rssCell, runCase, specFor, type Attack, type AttackContext, type CaseResult } from '../attack.ts';
import { batchOf, compressedFrame, floodStarted, mib, startFlood, stopFlood, verdict } from './flood-common.ts';

const VARIANTS = [
  { id: '1.9MiB', inflated: Math.round(1.9 * 2 ** 20) },
  { id: '2KB', inflated: 2000 },
] as const;

export const deflateFlood: Attack = {
  name: 'deflate-flood',
  title: 'compressed frames that inflate 1000x, as fast as the socket takes them',
  limitSeconds: (s) => (s.quick ? 1 : 8) * (s.duration + s.afterSeconds + 25),
  async run(ctx: AttackContext) {
    const cases: CaseResult[] = [];
    const plan = ctx.s.quick ? [{ v: VARIANTS[0], clients: 1 }] : VARIANTS.flatMap((v) => [1, 20].map((clients) => ({ v, clients })));
    for (const { v, clients } of plan) {
      const frame = compressedFrame(v.inflated);
      const name = `${v.id} x${clients}`;
      ctx.log(`deflate-flood ${name}: ${frame.length}-byte frames inflating to ${v.inflated} bytes, ${clients} client(s)`);
      cases.push(
        ...(await inTurn(ctx, ctx.s.servers, (kind) =>
          runCase(ctx, 'deflate-flood', name, specFor(kind, ctx.s.workers), async ({ side, attackFor }) => {
            const jobs = await startFlood(ctx, side, clients, 2, {
              path: '/echo',
              batch: batchOf(frame).toString('base64'),
              extensions: 'permessage-deflate',
              requireExtension: 'permessage-deflate',
              read: 'parse',
              drainMs: 0,
              deadlineMs: ctx.s.connectDeadlineMs,
            });
            await floodStarted(jobs, ctx.s.connectDeadlineMs + 5000);
            await attackFor(ctx.s.duration * 1000);
            const r = await stopFlood(jobs);
            const frames = Math.floor(r.accepted / frame.length);
            return {
              frameBytes: frame.length,
              inflatesTo: v.inflated,
              clients,
              opened: r.opened,
              connectFailed: r.failed,
              notNegotiated: r.notNegotiated,
              acceptedBytes: r.accepted,
              acceptedFrames: frames,
              /** What the accepted frames inflate to: what the server was handed to inflate. */
              inflatedBytesAccepted: frames * v.inflated,
              receivedBytes: r.received,
              seconds: r.seconds,
              openAtStop: r.openAtStop,
              stalledMs: r.stalledMs,
              ended: r.ended,
              serverDid: verdict(r),
            };
          }),
        )),
      );
    }
    const table = [['case', 'server', 'RSS growth', `RSS ${ctx.s.afterSeconds} s after close`, 'accepted (inflates to)', 'what the server did']];
    for (const c of cases) {
      const accepted = c.error !== null && c.acceptedBytes === undefined ? c.error : `${mib(c.acceptedBytes as number)} MiB (${mib(c.inflatedBytesAccepted as number)} MiB)`;
      const after = c.rss?.finalMB == null ? 'n/a' : `${c.rss.finalMB} MB (base ${c.rss.baselineMB})`;
      const failed = c.connectFailed ? reasons(c.connectFailed as Record<string, number>) : 'none';
      table.push([c.case, c.server, rssCell(c), after, accepted, `${(c.serverDid as string | undefined) ?? c.error ?? ''}${failed !== 'none' ? `; connects failed: ${failed}` : ''}${c.notNegotiated ? `; ${c.notNegotiated} without deflate` : ''}`]);
    }
    return { cases, table, notes: ['accepted: bytes the server\'s kernel took from the clients; "paused": no write completed for 1 s or more at the end (the server stopped reading)'] };
  },
};
