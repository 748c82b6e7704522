/**
 * Smoke test of the suite: `npm run bench -- --quick --out <tmp>` starts Switchyard, ws and ws
 * under node:cluster, runs every generator against each, and ends with the summary JSON; it
 * writes results.json, results.md and the SVG chart. Checks shape and sanity (positive
 * figures, ratios against each baseline, a chart with a line per server), never speed:
 * timings on a shared CI machine mean nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';

const SERVERS = ['switchyard-2w', 'ws-single', 'ws-cluster-2w'];
const METRICS = ['handshakesPerSecond', 'echo32PerSecond', 'echo32P99Ms', 'echo4kPerSecond', 'echo4kP99Ms'];
/** The quick run takes ~50 s alone; past this it is killed (and the test fails). */
const RUN_TIMEOUT_MS = 150_000;

const out = mkdtempSync(join(tmpdir(), 'bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('measures every server, writes results.json/.md/.svg and ends with the summary JSON', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const summary = summaryOf(await runNpmScript('bench', ['--quick', '--out', out], RUN_TIMEOUT_MS));
    expect(summary).toMatchObject({ event: 'bench', ok: true, errors: [] });
    expect(summary).toHaveProperty('settings.quick', true);
    expectPositive(summary.durationSeconds, 'durationSeconds');

    expect(Object.keys(summary.medians).sort()).toEqual([...SERVERS].sort());
    for (const server of SERVERS) {
      // A difference of two RSS readings: 200 connections (--quick) are within GC noise, so
      // only its presence is checked; its size is the full run's business.
      expect(Number.isFinite(summary.medians[server]?.idleBytesPerConnection), `medians.${server}.idleBytesPerConnection`).toBe(true);
      for (const metric of METRICS) {
        expectPositive(summary.medians[server]?.[metric], `medians.${server}.${metric}`);
        expectPositive(summary.ratios[server]?.vsWsSingle?.[metric], `ratios.${server}.vsWsSingle.${metric}`);
        expectPositive(summary.ratios[server]?.vsWsCluster?.[metric], `ratios.${server}.vsWsCluster.${metric}`);
      }
      for (const c of summary.settings.sweep as number[]) {
        expectPositive(summary.sweep[server]?.[c]?.messagesPerSecond, `sweep.${server}.${c}.messagesPerSecond`);
        expectPositive(summary.sweep[server]?.[c]?.p99Ms, `sweep.${server}.${c}.p99Ms`);
      }
    }
    // Each baseline against itself is exactly 1; every target is judged.
    expect(summary.ratios['ws-single'].vsWsSingle.echo32PerSecond).toBe(1);
    expect(summary.ratios['ws-cluster-2w'].vsWsCluster.handshakesPerSecond).toBe(1);
    expect(summary.targets.map((t: { id: string }) => t.id).sort()).toEqual(['echo32', 'echo4k', 'handshakes', 'idleMemory']);
    for (const t of summary.targets) expect(typeof t.met).toBe('boolean');

    // The files went to --out, not bench/.
    expect(summary.files).toEqual({ json: join(out, 'results.json'), md: join(out, 'results.md'), svg: join(out, 'results.svg') });
    const written = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: unknown[]; machine: Record<string, unknown> };
    expect(written.runs).toHaveLength(SERVERS.length);
    expect(String(written.machine.node)).toMatch(/^v\d+\./);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('| Switchyard, 2 workers |');
    const svg = readFileSync(join(out, 'results.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // Two panels (throughput, p99), one line per server in each.
    expect(svg.match(/<path /g)?.length).toBe(2 * SERVERS.length);
  });
});
