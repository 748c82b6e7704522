/**
 * slow-http: sockets that hold the HTTP side of a server open by trickling one byte a second:
 * N that send one complete plain request (and read its answer) then trickle the next head,
 * and N that trickle a POST body. Figures per group: sockets still open at +T, when the
 * others were closed (first / median / last), how, and the statuses answered.
 */
import { quantile } from '../../lib/report.ts';
import { inTurn, rssCell, runCase, specFor, type Attack, type AttackContext, type CaseResult } from '../attack.ts';
import type { SlowHttpParams, SlowHttpResult, SlowSocket } from '../clients/slow-http.ts';

interface GroupFigures {
  sockets: number;
  openAtT: number;
  closed: number;
  /** Seconds from the start: first, median and last close (null when none closed). */
  closedAtSeconds: { first: number; median: number; last: number } | null;
  how: Record<string, number>;
  /** Answers by status (a socket's first answer and any it earned by trickling). */
  statuses: Record<string, number>;
}

function figures(sockets: SlowSocket[]): GroupFigures {
  const closed = sockets.filter((s) => s.closedAt !== null).map((s) => s.closedAt!).sort((a, b) => a - b);
  const how: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  for (const s of sockets) {
    if (s.how !== null) how[s.how] = (how[s.how] ?? 0) + 1;
    for (const st of s.statuses) statuses[st] = (statuses[st] ?? 0) + 1;
  }
  return {
    sockets: sockets.length,
    openAtT: sockets.length - closed.length,
    closed: closed.length,
    closedAtSeconds: closed.length === 0 ? null : { first: closed[0]!, median: quantile(closed, 0.5), last: closed.at(-1)! },
    how,
    statuses,
  };
}

const when = (g: GroupFigures | undefined): string => (g?.closedAtSeconds ? `${g.closedAtSeconds.first} / ${g.closedAtSeconds.median} / ${g.closedAtSeconds.last} s` : '-');
const answers = (g: GroupFigures | undefined): string => (g ? Object.entries(g.statuses).map(([k, n]) => `${k}×${n}`).join(' ') || 'none' : '-');

export const slowHttp: Attack = {
  name: 'slow-http',
  title: 'keep-alive heads and POST bodies trickled at one byte a second',
  limitSeconds: (s) => s.slowSeconds + 90,
  async run(ctx: AttackContext) {
    const n = ctx.s.slowSockets;
    ctx.log(`slow-http: ${n} trickled heads + ${n} trickled bodies, counted at +${ctx.s.slowSeconds} s`);
    const cases = await inTurn(ctx, ctx.s.servers, (kind) =>
      runCase(ctx, 'slow-http', `${n}+${n} sockets`, specFor(kind, ctx.s.workers), async ({ side, attackFor }) => {
        const job = await ctx.pool.start<SlowHttpResult>('slow-http', { host: side.host, port: side.port, heads: n, bodies: n, concurrency: 100 } satisfies SlowHttpParams);
        await attackFor(ctx.s.slowSeconds * 1000);
        const r = await job.stop();
        return {
          atSeconds: r.seconds,
          connectFailed: r.connectFailed,
          heads: figures(r.sockets.filter((s) => s.group === 'heads')),
          bodies: figures(r.sockets.filter((s) => s.group === 'bodies')),
        };
      }),
      true, // a trickle costs the servers nothing: both at once
    );
    const table = [['server', `heads open at +${ctx.s.slowSeconds} s`, 'heads closed at (first / median / last)', 'heads answered', `bodies open at +${ctx.s.slowSeconds} s`, 'bodies closed at', 'bodies answered', 'RSS growth']];
    for (const c of cases as CaseResult[]) {
      const h = c.heads as GroupFigures | undefined;
      const b = c.bodies as GroupFigures | undefined;
      table.push([c.server, h ? `${h.openAtT}/${h.sockets}` : String(c.error), when(h), answers(h), b ? `${b.openAtT}/${b.sockets}` : 'n/a', when(b), answers(b), rssCell(c)]);
    }
    return { cases, table, notes: ['heads: GET / answered, then the next head 1 byte/s; bodies: POST / with Content-Length 1000000, 1 byte/s; times from the first connect'] };
  },
};
