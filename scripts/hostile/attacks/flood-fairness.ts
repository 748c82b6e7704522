/**
 * flood-fairness: 5 (and 50) clients flood 1-byte frames as fast as the socket takes them
 * (reading the echoes) on 2 workers; meanwhile a probe does echo round trips one after the
 * other, and new clients connect, 10 per second, each needing its 101 within the connect
 * deadline. The flood goes on until the last connect has its answer or its deadline, so
 * every connect is made under the flood. Figures: probe p50/p99 (a round trip unanswered at
 * the end counts with its age), connects ok / failed by reason, the flood's rate, RSS growth.
 */
import { clientFrame, OPCODE } from '../../lib/frames.ts';
import { percentiles } from '../../lib/report.ts';
import { inTurn, reasons, rssCell, runCase, specFor, type Attack, type AttackContext, type CaseResult } from '../attack.ts';
import type { Side } from '../servers.ts';
import type { ConnectorParams, ConnectorResult, ProbeParams, ProbeResult } from '../clients/probe.ts';
import { batchOf, floodStarted, mib, startFlood, stopFlood, verdict } from './flood-common.ts';

const BYTE_FRAME = clientFrame(OPCODE.binary, Buffer.of(0x42));
const CONNECTS_PER_SECOND = 10;

export const floodFairness: Attack = {
  name: 'flood-fairness',
  title: '1-byte frames as fast as possible from 5 and 50 clients: what a probe and new clients see',
  limitSeconds: (s) => (s.quick ? 1 : 4) * (s.duration + s.connectDeadlineMs / 1000 + s.afterSeconds + 30),
  async run(ctx: AttackContext) {
    const cases: CaseResult[] = [];
    for (const flooders of ctx.s.quick ? [5] : [5, 50]) {
      ctx.log(`flood-fairness: ${flooders} flooders, a probe, ${CONNECTS_PER_SECOND} connects/s`);
      cases.push(...(await inTurn(ctx, ctx.s.servers, (kind) => runCase(ctx, 'flood-fairness', `${flooders} flooders`, specFor(kind, ctx.s.workers), (run) => fairness(ctx, run.side, flooders, run.attackFor)))));
    }
    const table = [['flooders', 'server', 'probe p50 / p99 / max ms (round trips)', 'connects ok / failed', 'flood accepted', 'RSS growth']];
    for (const c of cases) {
      const p = c.probe as { p50: number; p99: number; max: number; samples: number; failure: string | null; unansweredMs: number | null } | undefined;
      const k = c.connects as ConnectorResult | undefined;
      table.push([
        c.case,
        c.server,
        p ? (p.failure ? `no connection (${p.failure})` : `${p.p50} / ${p.p99} / ${p.max} (${p.samples}${p.unansweredMs !== null ? ', last unanswered' : ''})`) : String(c.error ?? 'n/a'),
        k ? `${k.ok} / ${k.attempted - k.ok}${k.attempted > k.ok ? ` (${reasons(k.failed)})` : ''}` : 'n/a',
        c.acceptedBytes === undefined ? 'n/a' : `${mib(c.acceptedBytes as number)} MiB in ${c.floodSeconds} s`,
        rssCell(c),
      ]);
    }
    return { cases, table, notes: [`connect deadline ${ctx.s.connectDeadlineMs} ms; a probe round trip unanswered at the end counts as a sample of its age`] };
  },
};

async function fairness(ctx: AttackContext, side: Side, flooders: number, attackFor: (ms: number) => Promise<boolean>): Promise<Record<string, unknown>> {
  const at = { host: side.host, port: side.port, path: '/echo' };
  const jobs = await startFlood(ctx, side, flooders, 2, { path: '/echo', batch: batchOf(BYTE_FRAME).toString('base64'), read: 'count', drainMs: 0, deadlineMs: ctx.s.connectDeadlineMs });
  await floodStarted(jobs, ctx.s.connectDeadlineMs + 5000);
  const connects = Math.max(1, Math.round(ctx.s.duration * CONNECTS_PER_SECOND));
  const [probe, connector] = await Promise.all([
    ctx.pool.start<ProbeResult>('probe', { ...at, gapMs: 10, deadlineMs: ctx.s.connectDeadlineMs } satisfies ProbeParams),
    ctx.pool.start<ConnectorResult>('connector', { ...at, count: connects, intervalMs: 1000 / CONNECTS_PER_SECOND, deadlineMs: ctx.s.connectDeadlineMs } satisfies ConnectorParams),
  ]);
  // The measured time starts once the probe is connected (or has given up on its handshake).
  await probe.until((t) => (t as { open?: boolean }).open === true, ctx.s.connectDeadlineMs + 5000, 'the probe to connect').catch(() => null);
  const tripped = await attackFor(ctx.s.duration * 1000);
  const p = await probe.stop();
  // The flood lasts until every connect has its 101 or its deadline.
  const k = tripped ? await connector.stop() : await Promise.race([connector.result, attackFor(ctx.s.connectDeadlineMs + 5000).then(() => connector.stop())]);
  const f = await stopFlood(jobs);
  return {
    flooders,
    opened: f.opened,
    acceptedBytes: f.accepted,
    floodSeconds: f.seconds,
    framesPerSecond: f.seconds > 0 ? Math.round(f.accepted / BYTE_FRAME.length / f.seconds) : 0,
    serverDid: verdict(f),
    probe: { failure: p.failure, samples: p.samplesMs.length, unansweredMs: p.unansweredMs, closedEarly: p.closedEarly, ...percentiles(p.samplesMs) },
    connects: { ...k, latencyMs: percentiles(k.latenciesMs), latenciesMs: undefined },
  };
}
