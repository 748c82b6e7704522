/**
 * Smoke test of `npm run bench:proxy -- --quick` into a temp dir: every mode ran, every
 * handshake succeeded, the figures are positive (never their size).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';

const out = mkdtempSync(join(tmpdir(), 'bench-proxy-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench:proxy --quick', () => {
  it('measures handshakes/s and the master\'s CPU direct and through PROXY v1 and v2 headers', { timeout: 120_000 }, async () => {
    const summary = summaryOf(await runNpmScript('bench:proxy', ['--quick', '--out', out], 110_000));
    expect(summary.modes.map((m: { mode: string }) => m.mode)).toEqual(['direct', 'proxy-v1', 'proxy-v2']);
    for (const m of summary.modes) {
      expectPositive(m.handshakesPerSecond, `${m.mode}.handshakesPerSecond`);
      expect(m.failed).toBe(0);
    }
    expect(JSON.parse(readFileSync(join(out, 'proxy.json'), 'utf8'))).toEqual(summary);
  });
});
