/**
 * Smoke test of the cluster benchmark: `npm run bench:cluster -- --quick --out <tmp>` starts
 * all four servers and the generators, and its last stdout line is the summary JSON. Checks
 * shape and sanity (positive figures), never speed: timings on a shared CI machine mean nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPositiveNumber, runNpmScript } from '../helpers/process.ts';

const SERVERS = ['switchyard-1w', 'switchyard-2w', 'ws-single', 'ws-cluster-2w'];
const METRICS = ['handshakesPerSecond', 'echo32MessagesPerSecond', 'echo4kMessagesPerSecond'];
/** The quick run takes ~25 s alone; past this it is killed (and the test fails). */
const RUN_TIMEOUT_MS = 75_000;

const out = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));


function expectPositive(value: unknown, what: string): void {
  expect(isPositiveNumber(value), `${what} = ${String(value)}`).toBe(true);
}

describe('npm run bench:cluster -- --quick', () => {
  it('measures every server and ends with the summary JSON', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const r = await runNpmScript('bench:cluster', ['--quick', '--out', out], RUN_TIMEOUT_MS);
    const context = `exit ${r.code}\nstdout:\n${r.stdout.slice(-3000)}\nstderr:\n${r.stderr.slice(-3000)}`;
    expect(r.code, context).toBe(0);

    const last = r.stdout.trimEnd().split('\n').pop() ?? '';
    const summary = JSON.parse(last) as Record<string, unknown>;
    expect(summary).toMatchObject({ event: 'bench-cluster', ok: true, errors: [] });
    expect(summary).toHaveProperty('settings.quick', true);
    expect(summary).toHaveProperty('settings.repeats', 1);
    expectPositive(summary.durationSeconds, 'durationSeconds');

    const medians = summary.medians as Record<string, Record<string, unknown>>;
    const ratios = summary.ratios as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(medians).sort()).toEqual([...SERVERS].sort());
    for (const server of SERVERS) {
      for (const metric of METRICS) {
        expectPositive(medians[server]?.[metric], `medians.${server}.${metric}`);
        expectPositive(ratios[server]?.vsWsSingle?.[metric], `ratios.${server}.vsWsSingle.${metric}`);
        expectPositive(ratios[server]?.vsWsCluster?.[metric], `ratios.${server}.vsWsCluster.${metric}`);
      }
    }
    // Each baseline against itself is exactly 1.
    expect(ratios['ws-single']?.vsWsSingle?.echo32MessagesPerSecond).toBe(1);
    expect(ratios['ws-cluster-2w']?.vsWsCluster?.handshakesPerSecond).toBe(1);

    // The files went to --out, not bench/.
    expect(summary.files).toEqual({ json: join(out, 'cluster.json'), md: join(out, 'cluster.md') });
    const written = JSON.parse(readFileSync(join(out, 'cluster.json'), 'utf8')) as { runs: unknown[]; machine: Record<string, unknown> };
    expect(written.runs).toHaveLength(SERVERS.length);
    expect(String(written.machine.node)).toMatch(/^v\d+\./);
    expect(existsSync(join(out, 'cluster.md'))).toBe(true);
    expect(readFileSync(join(out, 'cluster.md'), 'utf8')).toContain('| Switchyard, 2 workers |');
  });
});
