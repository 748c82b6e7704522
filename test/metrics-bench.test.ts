/** Smoke test of `npm run bench:metrics -- --quick --out DIR`: it runs, counts its connections in a scrape, and writes its figures. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPositiveNumber, runNpmScript } from './helpers/process.ts';

describe('bench:metrics', () => {
  it('measures scrapes with and without connections (--quick)', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-metrics-'));
    const r = await runNpmScript('bench:metrics', ['--quick', '--out', out], 100_000);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Record<string, { connections: number; medianMs: number; bytes: number; microsPerRender: number }>;
    expect(result.idle!.connections).toBe(0);
    expect(result.loaded!.connections).toBe(200);
    for (const f of [result.idle!, result.loaded!]) {
      expect(isPositiveNumber(f.medianMs)).toBe(true);
      expect(isPositiveNumber(f.bytes)).toBe(true);
    }
    expect(isPositiveNumber(result.render!.microsPerRender)).toBe(true);
  });
});
