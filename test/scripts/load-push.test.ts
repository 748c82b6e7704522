/**
 * Smoke test of `npm run load:push -- --quick`: it starts a 2-worker cluster, opens /chat
 * clients on both workers, has autocannon POST /push/:fd to them for ~1.5 s, and its last
 * stdout line is the summary JSON. Checks that every push is accounted for (sent == delivered
 * + dropped, every drop with its reason, nothing delivered twice or to the wrong fd), that the
 * clients and the HTTP requests spread over both workers, and that the figures are sane —
 * never speed: timings on a shared machine mean nothing.
 */
import { describe, expect, it } from 'vitest';
import { isPositiveNumber, runNpmScript } from '../helpers/process.ts';
import { summaryOf } from '../helpers/script-result.ts';

/** A quick run takes ~10 s alone (more on a busy machine); past this it is killed. */
const RUN_TIMEOUT_MS = 60_000;

interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

function expectPercentiles(p: Percentiles | null, what: string): void {
  expect(p, what).not.toBeNull();
  for (const k of ['p50', 'p90', 'p99', 'p999', 'max'] as const) expect(isPositiveNumber(p![k]), `${what}.${k} = ${p![k]}`).toBe(true);
  // Percentiles of one sample set are ordered.
  expect(p!.p50 <= p!.p90 && p!.p90 <= p!.p99 && p!.p99 <= p!.p999 && p!.p999 <= p!.max, `${what}: ${JSON.stringify(p)}`).toBe(true);
}

const sumOf = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

describe('load:push', () => {
  it('--quick: every push over HTTP accounted for, clients and requests on both workers', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const summary = summaryOf(await runNpmScript('load:push', ['--quick'], RUN_TIMEOUT_MS));
    const context = JSON.stringify(summary);
    expect(summary, context).toMatchObject({ event: 'load-push', ok: true, accounted: true, settings: { quick: true, workers: 2 } });

    // Accounting: sent == delivered + dropped, every drop with its reason.
    expect(summary.sent, context).toBeGreaterThan(0);
    expect(summary.delivered + summary.dropped, context).toBe(summary.sent);
    expect(sumOf(summary.drops), context).toBe(summary.dropped);
    for (const reason of Object.keys(summary.drops)) expect(reason.length, context).toBeGreaterThan(0);
    // A push the server accepted and never delivered is the failure this script exists to catch.
    expect(Object.keys(summary.drops).filter((r) => r.startsWith('accepted')), context).toEqual([]);
    expect(summary.errors, context).toMatchObject({ duplicates: 0, wrongFd: 0, unknownIds: 0, pairingErrors: 0, malformed: 0, clientsLost: 0 });
    expect(summary.http.accepted, context).toBeLessThanOrEqual(summary.http.responses);
    expect(summary.http.responses, context).toBeLessThanOrEqual(summary.sent);
    expect(sumOf(summary.http.statusCodes), context).toBe(summary.http.responses);

    // Spread: the clients' fds name both workers, evenly (round-robin), and so do the POSTs.
    const perWorker = summary.clients.perWorker as Record<string, number>;
    expect(Object.keys(perWorker).sort(), context).toEqual(['0', '1']);
    expect(sumOf(perWorker), context).toBe(summary.settings.clients);
    expect(Math.abs(perWorker['0']! - perWorker['1']!), context).toBeLessThanOrEqual(1);
    expect(summary.clients.fdWorkerMismatches, context).toBe(0);
    expect(Object.keys(summary.http.responsesPerWorker).sort(), context).toEqual(['0/0', '0/1']);

    // Cross-worker pushes as the responses named them, and as the owners counted them.
    expect(summary.crossWorker.basis, context).toBe('responses');
    expect(summary.crossWorker.share > 0 && summary.crossWorker.share < 1, context).toBe(true);
    expect(summary.crossWorker.pushes + summary.sameWorker.pushes, context).toBe(summary.http.responses);
    if (summary.http.responses === summary.sent) expect(summary.crossWorker.serverCounted, context).toBe(summary.crossWorker.pushes);

    for (const key of ['requestsPerSecond', 'pushesPerSecond', 'deliveredPerSecond']) expect(isPositiveNumber(summary[key]), `${key}: ${context}`).toBe(true);
    expectPercentiles(summary.httpLatencyMs, 'httpLatencyMs');
    expectPercentiles(summary.deliveryLatencyMs, 'deliveryLatencyMs');
    expectPercentiles(summary.crossWorker.deliveryLatencyMs, 'crossWorker.deliveryLatencyMs');
    expect(Object.keys(summary.cpuPercent).sort()).toEqual(['autocannon', 'generators', 'machine', 'server']);
    expect(typeof summary.targets.accounted.met).toBe('boolean');
  });

  it('a bad flag exits 2 naming it', { timeout: 30_000 }, async () => {
    const r = await runNpmScript('load:push', ['--quick', '--rate', 'fast', '--pipelining', '0'], 25_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--rate fast/);
    expect(r.stderr).toMatch(/--pipelining 0/);
  });

  it('--port without the admin token exits 2 naming --token', { timeout: 30_000 }, async () => {
    const r = await runNpmScript('load:push', ['--port', '9501'], 25_000, { SWITCHYARD_ADMIN_TOKEN: '' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--token/);
  });
});
