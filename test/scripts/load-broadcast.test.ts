/**
 * Smoke test of the broadcast fan-out load script: `npm run load:broadcast -- --quick --out <tmp>`
 * starts its own 2-worker cluster (bench-app, round-robin) and generator processes, and its last
 * stdout line is the result JSON. Checks shape and sanity: every session got every broadcast
 * exactly once, the sessions split over both workers, the figures positive and ordered; never
 * speed (timings on a shared machine mean nothing). Bad flags exit 2 naming them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';

/** A quick run takes ~6 s alone (cluster start, 200 sessions, 8 broadcasts, 1 s sustained). */
const RUN_TIMEOUT_MS = 60_000;

const out = mkdtempSync(join(tmpdir(), 'load-broadcast-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run load:broadcast -- --quick', () => {
  it('reaches every session with every broadcast exactly once, over both workers', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const result = summaryOf(await runNpmScript('load:broadcast', ['--quick', '--out', out], RUN_TIMEOUT_MS));
    expect(result).toMatchObject({ event: 'load-broadcast', ok: true, exactlyOnce: true, errors: [] });
    expect(result.settings).toMatchObject({ quick: true, workers: 2, attached: false, sessions: 200 });
    expectPositive(result.durationSeconds, 'durationSeconds');

    // Exactly once: every session saw seq 0 .. issued-1 in order, nothing missing, twice or stray.
    const check = result.check as { sessions: number; complete: number; errors: number; strays: number; closedEarly: number; issued: number };
    expect(check.sessions).toBe(result.settings.sessions);
    expect(check.complete).toBe(check.sessions);
    expect(check).toMatchObject({ errors: 0, strays: 0, closedEarly: 0 });
    // The warm-up and measured fan-outs, then at least one sustained broadcast.
    expect(check.issued).toBeGreaterThan(result.settings.warmBroadcasts + result.settings.broadcasts);

    // Round-robin dispatch: the sessions split evenly over the two workers.
    const spread = result.sessionsPerWorker as number[];
    expect(spread).toHaveLength(2);
    expect(spread[0]! + spread[1]!).toBe(result.settings.sessions);
    expect(Math.abs(spread[0]! - spread[1]!)).toBeLessThanOrEqual(1);

    const f = result.medians.fanOut;
    for (const key of ['lastDeliveryMs', 'p50Ms', 'p99Ms', 'localLastMs', 'remoteLastMs', 'remoteP50Ms', 'serverWriteMs', 'minLastMs', 'maxLastMs']) expectPositive(f[key], `medians.fanOut.${key}`);
    expect(f.p50Ms).toBeLessThanOrEqual(f.p99Ms);
    expect(f.p99Ms).toBeLessThanOrEqual(f.lastDeliveryMs);
    expect(f.minLastMs).toBeLessThanOrEqual(f.maxLastMs);
    expectPositive(result.medians.sustained.broadcastsPerSecond, 'medians.sustained.broadcastsPerSecond');
    expectPositive(result.medians.sustained.deliveriesPerSecond, 'medians.sustained.deliveriesPerSecond');
    // 200 sessions: the 10,000-session target does not apply to a smoke run.
    expect(result.target).toMatchObject({ sessions: 10_000, lastDeliveryMs: 50, applicable: false, met: null });

    // The file went to --out and holds every fan-out and sustained run.
    expect(result.files).toEqual({ json: join(out, 'broadcast.json') });
    expect(existsSync(join(out, 'broadcast.json'))).toBe(true);
    const written = JSON.parse(readFileSync(join(out, 'broadcast.json'), 'utf8')) as { fanOuts: unknown[]; sustained: unknown[]; check: unknown };
    expect(written.fanOuts).toHaveLength(result.settings.broadcasts);
    expect(written.sustained).toHaveLength(result.settings.repeats);
    expect(written.check).toEqual(check);
  });

  it('a --quick run without --out writes to a temporary directory, never bench/broadcast.json', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const committed = join(process.cwd(), 'bench', 'broadcast.json');
    const before = existsSync(committed) ? readFileSync(committed, 'utf8') : null;
    const result = summaryOf(await runNpmScript('load:broadcast', ['--quick', '--sessions', '20', '--broadcasts', '1'], RUN_TIMEOUT_MS));
    const json = (result.files as { json: string }).json;
    expect(json.startsWith(tmpdir())).toBe(true);
    expect(existsSync(json)).toBe(true);
    rmSync(join(json, '..'), { recursive: true, force: true });
    expect(existsSync(committed) ? readFileSync(committed, 'utf8') : null).toBe(before);
  });

  it('exits 2 naming a bad flag', { timeout: 45_000 }, async () => {
    const r = await runNpmScript('load:broadcast', ['--sessions', '0', '--window', 'many'], 20_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--sessions 0');
    expect(r.stderr).toContain('--window many');
    expect(r.stdout.trim()).toBe('');
    const unknown = await runNpmScript('load:broadcast', ['--sesions', '10'], 20_000);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toContain('--sesions');
  });
});
