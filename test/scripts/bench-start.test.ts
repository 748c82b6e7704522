/**
 * Smoke tests of `npm run bench:start` and `npm run bench:codec` with --quick into a temp dir:
 * shape and sanity of the figures (positive, the right servers and paths), never their size.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';

const out = mkdtempSync(join(tmpdir(), 'bench-start-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('start and codec figures, --quick', () => {
  it('bench:start measures start, respawn and idle RSS for each server', { timeout: 180_000 }, async () => {
    const summary = summaryOf(await runNpmScript('bench:start', ['--quick', '--out', out], 160_000));
    expect(summary.servers.map((s: { id: string }) => s.id)).toEqual(['switchyard', 'npm-start', 'tsx-src', 'ws-cluster']);
    for (const s of summary.servers) {
      expectPositive(s.startMs, `${s.id}.startMs`);
      expectPositive(s.rssMb, `${s.id}.rssMb`);
      if (s.id === 'ws-cluster') expect(s.respawnMs).toBe(null);
      else expectPositive(s.respawnMs, `${s.id}.respawnMs`);
    }
    expect(JSON.parse(readFileSync(join(out, 'start.json'), 'utf8'))).toEqual(summary);
  });

  it('bench:codec decodes a typical envelope on the shipped (pure JS) path and the native one', { timeout: 90_000 }, async () => {
    const summary = summaryOf(await runNpmScript('bench:codec', ['--quick', '--out', out], 80_000));
    expect(summary.shipped.native).toBe(false);
    expectPositive(summary.shipped.usPerDecode, 'shipped.usPerDecode');
    expectPositive(summary.native.usPerDecode, 'native.usPerDecode');
    expect(summary.envelopeBytes).toBeGreaterThan(120);
    expect(existsSync(join(out, 'codec.json'))).toBe(true);
  });
});
