/**
 * handoff-burst: a burst of upgrades (12,000, 400 in flight, from 2 client processes over 4
 * source addresses, each connection closed after its 101) against 2 workers, while 2 other
 * clients echo ~10 MB/s of 64 KiB messages (garbage-collector pressure in the server).
 * Figures: connects ok / failed by reason (`HTTP <status>`, a reset or other errno,
 * `timeout` after 15 s, `closed before response`), handshakes/s, the echo load achieved,
 * server processes that died. The ws peer is ws under node:cluster.
 */
import { readFileSync } from 'node:fs';
import type { GeneratorPlan, GeneratorResult } from '../../lib/connect-generator.ts';
import { fmtRate, percentiles } from '../../lib/report.ts';
import { CONTROL_TIMEOUT_MS, inTurn, reasons, rssCell, runCase, specFor, sum, type Attack, type AttackContext } from '../attack.ts';
import type { EchoLoadParams, EchoLoadResult } from '../clients/misc.ts';
import type { Side } from '../servers.ts';

const ECHO_BYTES_PER_SECOND = 10e6;
const ECHO_MESSAGE = 64 * 1024;
const PROCESSES = 2;
const ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo !== undefined && hi !== undefined && hi > lo) return [lo, hi];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

export const handoffBurst: Attack = {
  name: 'handoff-burst',
  title: 'a burst of upgrades while other clients echo 10 MB/s',
  limitSeconds: (s) => (s.quick ? 1 : 2) * (s.upgrades / 200 + 60),
  async run(ctx: AttackContext) {
    ctx.log(`handoff-burst: ${ctx.s.upgrades} upgrades, ${ctx.s.upgradesInFlight} in flight, 2 clients echoing ${ECHO_BYTES_PER_SECOND / 1e6} MB/s`);
    const cases = await inTurn(ctx, ctx.s.servers, (kind) => runCase(ctx, 'handoff-burst', `${ctx.s.upgrades} upgrades`, specFor(kind, ctx.s.workers), ({ side }) => burst(ctx, side)));
    const table = [['server', 'connects ok / failed', 'failures', 'handshakes/s', 'connect p50 / p99 ms', 'echo MB/s meanwhile', 'RSS growth']];
    for (const c of cases) {
      const lat = c.latencyMs as { p50: number; p99: number } | undefined;
      table.push([
        c.server,
        c.ok === undefined ? String(c.error) : `${c.ok} / ${c.failed}`,
        c.failures ? reasons(c.failures as Record<string, number>) : 'n/a',
        fmtRate(c.handshakesPerSecond as number | undefined),
        lat ? `${lat.p50} / ${lat.p99}` : 'n/a',
        c.echoMBps === undefined ? 'n/a' : String(c.echoMBps),
        rssCell(c),
      ]);
    }
    return { cases, table, notes: ['each connection is closed right after its 101; a connect waits 15 s for its answer'] };
  },
};

async function burst(ctx: AttackContext, side: Side): Promise<Record<string, unknown>> {
  const echo = await ctx.pool.start<EchoLoadResult>('echo-load', {
    host: side.host,
    port: side.port,
    path: '/echo',
    connections: 2,
    size: ECHO_MESSAGE,
    bytesPerSecond: ECHO_BYTES_PER_SECOND,
    deadlineMs: CONTROL_TIMEOUT_MS,
  } satisfies EchoLoadParams);
  await echo.until((t) => (t as { sentBytes: number }).sentBytes > 0, CONTROL_TIMEOUT_MS + 5000, 'the echo load to start').catch(() => null);
  const [low, high] = ephemeralRange();
  const start = Math.floor(Math.random() * (high - low));
  const deadline = performance.timeOrigin + performance.now() + handoffBurst.limitSeconds(ctx.s) * 500;
  const jobs = await Promise.all(
    Array.from({ length: PROCESSES }, (_, index) => {
      const plan: GeneratorPlan = {
        host: side.host,
        port: side.port,
        path: '/echo',
        mode: 'storm',
        count: Math.floor(ctx.s.upgrades / PROCESSES) + (index < ctx.s.upgrades % PROCESSES ? 1 : 0),
        concurrency: Math.max(1, Math.floor(ctx.s.upgradesInFlight / PROCESSES)),
        addresses: ADDRESSES,
        addressOffset: index,
        ports: { low, high, start, index, stride: PROCESSES },
        deadline,
      };
      return ctx.pool.start<GeneratorResult>('storm', plan);
    }),
  );
  const results = await Promise.all(jobs.map((j) => j.result));
  const e = await echo.stop();
  const failures: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
  const ok = sum(results.map((r) => r.opened));
  const failed = sum(results.map((r) => r.failed));
  const seconds = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
  return {
    upgrades: ctx.s.upgrades,
    inFlight: ctx.s.upgradesInFlight,
    ok,
    failed,
    /** Upgrades not even started before the attack's deadline (half its time limit). */
    notStarted: ctx.s.upgrades - ok - failed,
    failures,
    portRetries: sum(results.map((r) => r.portRetries)),
    seconds: Math.round(seconds * 100) / 100,
    handshakesPerSecond: seconds > 0 ? Math.round(ok / seconds) : 0,
    latencyMs: percentiles(results.flatMap((r) => r.latenciesMs)),
    echoMBps: e.seconds > 0 ? Math.round((e.receivedBytes / e.seconds / 1e6) * 10) / 10 : 0,
    echoConnections: e.opened,
  };
}
