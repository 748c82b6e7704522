/**
 * Smoke test of the push benchmark: `npm run bench:push -- --quick --out <tmp>` starts its nodes
 * and clients, and the last stdout line is its summary JSON. Checks shape and sanity (positive
 * figures, every message delivered once), never speed: timings on a shared machine mean nothing.
 * (The broadcast benchmark is now `npm run load:broadcast`: test/scripts/load-broadcast.test.ts.)
 * The cross-node part of bench:push runs when Redis answers; otherwise the script skips it
 * with a notice, and so does this test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';
import { REDIS_URL, redisProbe } from '../helpers/redis.ts';

/** Each quick run takes ~10 s alone (more on a busy machine); past this it is killed. */
const RUN_TIMEOUT_MS = 45_000;

const out = mkdtempSync(join(tmpdir(), 'bench-push-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const redisUp = redisProbe() === null;

describe('benchmark scripts, --quick', () => {
  it(`bench:push measures same-worker, cross-worker${redisUp ? ' and cross-node' : ''} pushes`, { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const dir = join(out, 'push');
    const summary = summaryOf(await runNpmScript('bench:push', ['--quick', '--out', dir], RUN_TIMEOUT_MS, { REDIS_URL }));
    expect(summary).toMatchObject({ event: 'bench-push', ok: true, errors: [] });
    expect(summary).toHaveProperty('settings.quick', true);
    expect(summary).toHaveProperty('settings.repeats', 1);
    expectPositive(summary.durationSeconds, 'durationSeconds');

    const scenarios = redisUp ? ['same-worker', 'cross-worker', 'cross-node'] : ['same-worker', 'cross-worker'];
    expect(Object.keys(summary.medians).sort()).toEqual([...scenarios].sort());
    for (const sc of scenarios) {
      for (const key of ['pushesPerSecond', 'p50Ms', 'p99Ms', 'p999Ms', 'maxMs']) expectPositive(summary.medians[sc]?.[key], `medians.${sc}.${key}`);
      // p50 <= p99 <= p99.9 <= max: percentiles of one sample set.
      const m = summary.medians[sc];
      expect(m.p50Ms <= m.p99Ms && m.p99Ms <= m.p999Ms && m.p999Ms <= m.maxMs, JSON.stringify(m)).toBe(true);
    }
    expectPositive(summary.ratios.crossWorkerVsSameWorker, 'ratios.crossWorkerVsSameWorker');
    expect(typeof summary.targets.throughputRatio.met).toBe('boolean');
    expect(typeof summary.targets.crossWorkerP99.met).toBe('boolean');
    if (redisUp) {
      expectPositive(summary.ratios.crossNodeVsSameWorker, 'ratios.crossNodeVsSameWorker');
      expect(summary.skipped).toEqual([]);
    } else {
      expect(summary.ratios.crossNodeVsSameWorker).toBeNull();
      expect(summary.skipped.join(' ')).toMatch(/cross-node skipped/);
    }

    // The file went to --out, not bench/, and holds every run.
    expect(summary.files).toEqual({ json: join(dir, 'push.json') });
    const written = JSON.parse(readFileSync(join(dir, 'push.json'), 'utf8')) as { runs: Array<{ throughput: { orderErrors: number; delivered: number; count: number } }> };
    expect(written.runs).toHaveLength(scenarios.length);
    for (const run of written.runs) {
      expect(run.throughput.orderErrors).toBe(0);
      expect(run.throughput.delivered).toBe(run.throughput.count);
    }
  });
});
