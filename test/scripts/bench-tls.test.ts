/**
 * Smoke test of `npm run bench:tls -- --quick --out <tmp>`: Switchyard over wss and ws on
 * https.createServer (one process, node:cluster) each take the TLS handshake storm and both
 * echo sizes from the same generator; the summary JSON ends the output and tls.json is
 * written where asked. Shape and sanity only (positive figures), never speed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';

const SERVERS = ['switchyard-2w', 'ws-https-single', 'ws-https-cluster-2w'];
const METRICS = ['handshakesPerSecond', 'handshakeCpuUs', 'echo32PerSecond', 'echo32P99Ms', 'echo4kPerSecond', 'echo4kP99Ms'];
/** The quick run takes ~70 s on a busy 2-core machine; past this it is killed (and the test fails). */
const RUN_TIMEOUT_MS = 200_000;

const out = mkdtempSync(join(tmpdir(), 'bench-tls-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench:tls -- --quick', () => {
  it('measures every server over TLS and writes tls.json', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const summary = summaryOf(await runNpmScript('bench:tls', ['--quick', '--out', out], RUN_TIMEOUT_MS));
    expect(summary).toMatchObject({ event: 'bench-tls', ok: true, errors: [] });
    expect(summary.file).toBe(join(out, 'tls.json'));
    expect(Object.keys(summary.medians).sort()).toEqual([...SERVERS].sort());
    for (const server of SERVERS) for (const metric of METRICS) expectPositive(summary.medians[server]?.[metric], `medians.${server}.${metric}`);
    const written = JSON.parse(readFileSync(join(out, 'tls.json'), 'utf8')) as { runs: unknown[] };
    expect(written.runs).toHaveLength(SERVERS.length);
  });
});
