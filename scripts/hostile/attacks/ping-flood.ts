/**
 * ping-flood: one client sends 125-byte pings as fast as the socket takes them and never
 * reads, so every pong the server owes it queues on the server. Switchyard runs with
 * `bufferFullPolicy` drop (the default) and close; ws has no such setting (one case).
 * Figures: server RSS growth, bytes the server accepted, and whether it closed the client
 * (close code, read after the attack behind the queued pongs, or how the socket ended) or
 * stopped reading from it.
 */
import { clientFrame, OPCODE } from '../../lib/frames.ts';
import { inTurn, rssCell, runCase, specFor, type Attack, type AttackContext, type CaseResult } from '../attack.ts';
import type { ServerKind } from '../servers.ts';
import { batchOf, floodStarted, mib, startFlood, stopFlood, verdict } from './flood-common.ts';

const PING = clientFrame(OPCODE.ping, Buffer.alloc(125, 0x70));

export const pingFlood: Attack = {
  name: 'ping-flood',
  title: '125-byte pings as fast as possible from a client that never reads',
  limitSeconds: (s) => 3 * (s.duration + s.afterSeconds + 25),
  async run(ctx: AttackContext) {
    const all: Array<{ kind: ServerKind; policy: string; args: string[] }> = [
      { kind: 'switchyard', policy: 'drop', args: [] },
      ...(ctx.s.quick ? [] : [{ kind: 'switchyard' as const, policy: 'close', args: ['--buffer-full-policy', 'close'] }]),
      { kind: 'ws', policy: 'n/a (ws has none)', args: [] },
    ];
    const plan = all.filter((p) => ctx.s.servers.includes(p.kind));
    const cases: CaseResult[] = await inTurn(ctx, plan, async ({ kind, policy, args }) => {
      ctx.log(`ping-flood on ${kind}${kind === 'switchyard' ? `, bufferFullPolicy ${policy}` : ''}`);
      return runCase(ctx, 'ping-flood', `policy ${policy}`, specFor(kind, ctx.s.workers, args), async ({ side, attackFor }) => {
        const jobs = await startFlood(ctx, side, 1, 1, {
          path: '/echo',
          batch: batchOf(PING).toString('base64'),
          read: 'paused',
          drainMs: ctx.s.quick ? 300 : 1500,
          deadlineMs: ctx.s.connectDeadlineMs,
        });
        await floodStarted(jobs, ctx.s.connectDeadlineMs + 5000);
        await attackFor(ctx.s.duration * 1000);
        const r = await stopFlood(jobs);
        return {
          bufferFullPolicy: kind === 'switchyard' ? policy : null,
          opened: r.opened,
          connectFailed: r.failed,
          acceptedBytes: r.accepted,
          pingsAccepted: Math.floor(r.accepted / PING.length),
          /** Pongs (and anything else) the client read after the attack, behind which a close frame may wait. */
          receivedAfterBytes: r.received,
          closeCode: r.ended[0]?.closeCode ?? r.closeCodesAtDrain[0] ?? null,
          ended: r.ended,
          openAtStop: r.openAtStop,
          stalledMs: r.stalledMs,
          serverDid: verdict(r),
        };
      });
    });
    const table = [['server', 'bufferFullPolicy', 'RSS growth', 'accepted', 'what the server did']];
    for (const c of cases) {
      table.push([c.server, String(c.bufferFullPolicy ?? 'n/a'), rssCell(c), c.acceptedBytes === undefined ? 'n/a' : `${mib(c.acceptedBytes as number)} MiB (${c.pingsAccepted} pings)`, String(c.serverDid ?? c.error ?? '')]);
    }
    return { cases, table, notes: ['the client never reads while flooding; afterwards it reads what was queued for up to 1.5 s to find a close frame behind the pongs'] };
  },
};
