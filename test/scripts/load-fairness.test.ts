/**
 * Smoke test of `npm run load:fairness -- --quick`: Switchyard and ws in turn, a second each of
 * two flooders, a probe and a few connects. Checks the result's shape and sanity (counts
 * non-negative, percentiles ordered, every connect accounted for), never speed or bounds.
 * Bad flags exit 2 naming them.
 */
import { describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { summaryOf } from '../helpers/script-result.ts';

const RUN_TIMEOUT_MS = 90_000;

function expectSaneResult(r: Record<string, any>): void {
  // A server the flood starves may answer no probe at all within the second: 0 is a result.
  expect(Number.isInteger(r.probe.roundTrips) && r.probe.roundTrips >= 0).toBe(true);
  if (r.probe.roundTrips > 0) {
    expect(r.probe.p50).toBeLessThanOrEqual(r.probe.p99);
    expect(r.probe.p99).toBeLessThanOrEqual(r.probe.max);
  }
  expect(r.connects.ok + r.connects.failed).toBe(r.connects.attempted);
  expect(r.flood.connections).toBe(2);
  expect(r.flood.bytesSent).toBeGreaterThan(0);
}

describe('npm run load:fairness -- --quick', () => {
  it('measures Switchyard and ws under the same flood', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const result = summaryOf(await runNpmScript('load:fairness', ['--quick', '--duration', '1'], RUN_TIMEOUT_MS));
    expect(result).toMatchObject({ event: 'load-fairness', ok: true, settings: { server: 'both', flooders: 2, connects: 4, quick: true } });
    expectSaneResult(result.results.switchyard);
    expectSaneResult(result.results.ws);
  });

  it('bad flags exit 2, naming them', async () => {
    const r = await runNpmScript('load:fairness', ['--flooders', '0', '--server', 'nginx'], 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--flooders 0');
    expect(r.stderr).toContain('--server nginx');
  });
});
