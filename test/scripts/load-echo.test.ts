/**
 * Smoke tests of the echo load generator: `npm run load:echo -- --quick ...` starts its own
 * cluster and generator processes for about a second, and its last stdout line is the result
 * JSON. Checks shape and sanity (replies counted and verified, latency percentiles ordered, no
 * errors), never speed: timings on a shared machine mean nothing. Bad flags exit 2 naming them.
 * The generators' latency histogram is checked against known distributions.
 */
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../scripts/lib/latency-histogram.ts';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';

/** A quick run takes a few seconds alone (cluster start, 1 s of load); past this it is killed. */
const RUN_TIMEOUT_MS = 60_000;

/** What every successful run must show. */
function expectSaneRun(result: Record<string, any>, connections: number): void {
  expect(result).toMatchObject({ event: 'load-echo', ok: true, errors: [], connectionsOpen: connections });
  expect(result.settings.quick).toBe(true);
  expect(result.server.startedHere).toBe(true);
  expectPositive(result.seconds, 'seconds');
  expectPositive(result.messages, 'messages');
  expect(Number.isInteger(result.messages)).toBe(true);
  expectPositive(result.messagesPerSecond, 'messagesPerSecond');
  expectPositive(result.mbPerSecond, 'mbPerSecond');
  // Replies were compared with what was sent, not only counted.
  expectPositive(result.replies.verified, 'replies.verified');
  expect(result.replies.verified).toBeLessThanOrEqual(result.messages);
  const { p50, p99, p999, max } = result.latencyMs as { p50: number; p99: number; p999: number; max: number };
  for (const [k, v] of Object.entries({ p50, p99, p999, max })) expect(typeof v === 'number' && Number.isFinite(v) && v >= 0, `latencyMs.${k} = ${v}`).toBe(true);
  expect(p50).toBeLessThanOrEqual(p99);
  expect(p99).toBeLessThanOrEqual(p999);
  expect(p999).toBeLessThanOrEqual(max);
  expectPositive(result.cpuPercent.generators, 'cpuPercent.generators');
  expectPositive(result.generatorCapacityPerCore, 'generatorCapacityPerCore');
}

describe('npm run load:echo -- --quick', () => {
  it('binary echo over several generator processes', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const result = summaryOf(await runNpmScript('load:echo', ['--quick', '--connections', '16', '--processes', '2'], RUN_TIMEOUT_MS));
    expectSaneRun(result, 16);
    expect(result.settings).toMatchObject({ type: 'binary', deflate: false, size: 32, inflight: 16, processes: 2 });
    expect(result.replies.compressed).toBe(0);
  });

  it('text with permessage-deflate: compressed frames out, compressed replies read and inflated', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    // 2 KiB: above the server's default compressionThreshold (1 KiB), so replies come compressed.
    const result = summaryOf(await runNpmScript('load:echo', ['--quick', '--type', 'text', '--deflate', '--size', '2048', '--connections', '8', '--inflight', '4', '--seconds', '1'], RUN_TIMEOUT_MS));
    expectSaneRun(result, 8);
    expect(result.settings).toMatchObject({ type: 'text', deflate: true, size: 2048, duration: 1 });
    expect(result.replies.compressed).toBe(result.messages);
  });

  it('exits 2 naming a bad flag', { timeout: 30_000 }, async () => {
    const r = await runNpmScript('load:echo', ['--connections', '0', '--type', 'utf16'], 20_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--connections 0');
    expect(r.stderr).toContain('--type utf16');
    expect(r.stdout.trim()).toBe('');
  });
});

describe('LatencyHistogram (the generators\' latency record)', () => {
  it('gives percentiles within its resolution, the exact maximum, and merges', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    // 1 µs .. 100 ms, uniformly: the q-quantile is about q × 100 ms.
    for (let us = 1; us <= 100_000; us++) (us % 2 ? a : b).record(us / 1000, 1);
    const merged = new LatencyHistogram();
    merged.addSparse(a.toSparse());
    merged.addSparse(b.toSparse());
    expect(merged.total).toBe(100_000);
    const p = merged.percentiles();
    expect(p.p50).toBeCloseTo(50, 0);
    expect(Math.abs(p.p99 - 99) / 99).toBeLessThan(0.005);
    expect(Math.abs(p.p999 - 99.9) / 99.9).toBeLessThan(0.005);
    expect(p.max).toBe(100);
  });

  it('records a batch with one call, and sub-millisecond values to the microsecond', () => {
    const h = new LatencyHistogram();
    h.record(0.25, 999);
    h.record(7.5, 1);
    expect(h.percentiles()).toEqual({ p50: 0.25, p99: 0.25, p999: 0.25, max: 7.5 });
    h.reset();
    expect(h.total).toBe(0);
    expect(Number.isNaN(h.percentiles().p50)).toBe(true);
  });
});
