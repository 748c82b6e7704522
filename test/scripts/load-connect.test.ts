/**
 * Smoke tests of `npm run load:connect`: a quick hold run (connections opened, held, the
 * server's memory read before and after, all closed) and a quick storm run (each closed after
 * its 101), both against a cluster the script starts itself; and a bad flag refused with exit 2.
 * Checks the shape and sanity of the last stdout line (every connection accounted for), never
 * speed: timings on a shared machine mean nothing.
 */
import { describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/process.ts';
import { expectPositive, summaryOf } from '../helpers/script-result.ts';

/** A quick run takes ~5 s alone (more on a busy machine); past this it is killed. */
const RUN_TIMEOUT_MS = 60_000;

/** What both modes report: every connection asked for made it, the figures are sane. */
function expectCommon(s: Record<string, any>, mode: 'hold' | 'storm'): void {
  expect(s).toMatchObject({ event: 'load-connect', ok: true, mode, failed: 0, failures: {}, dropped: 0 });
  expect(s.settings).toMatchObject({ mode, quick: true, port: null });
  expect(s.connections).toBeGreaterThan(0);
  expect(s.connections).toBe(s.settings.connections);
  for (const key of ['seconds', 'handshakesPerSecond', 'timeToAllSeconds']) expectPositive(s[key], key);
  expect(s.timeToAllSeconds).toBeLessThanOrEqual(s.seconds);
  const l = s.latencyMs;
  for (const key of ['p50', 'p99', 'max']) expectPositive(l[key], `latencyMs.${key}`);
  expect(l.p50 <= l.p99 && l.p99 <= l.max, JSON.stringify(l)).toBe(true);
  expect(s.workers).toBe(2);
  expect(s.generatorProcesses).toBe(1);
  expect(s.addresses.length).toBeGreaterThanOrEqual(4);
  for (const a of s.addresses) expect(a).toMatch(/^127\.0\.0\.\d+$/);

  // Server memory: the master and both workers, read before and after.
  expect(s.memory.perProcess.map((p: { role: string }) => p.role)).toEqual(['master', 'worker', 'worker']);
  for (const p of s.memory.perProcess) {
    expectPositive(p.rssBeforeBytes, `rss before of ${p.role} ${p.pid}`);
    expectPositive(p.rssAfterBytes, `rss after of ${p.role} ${p.pid}`);
  }
  expectPositive(s.memory.rssBeforeBytes, 'memory.rssBeforeBytes');
  expectPositive(s.memory.rssAfterBytes, 'memory.rssAfterBytes');
  expect(s.memory.rssAfterBytes).toBe(s.memory.perProcess.reduce((n: number, p: { rssAfterBytes: number }) => n + p.rssAfterBytes, 0));
  // The generator's own figures, apart: here it runs inside the script (one process).
  expect(s.generator.inProcess).toBe(true);
  expect(s.generator.perProcess).toHaveLength(1);
  expect(s.generator.perProcess[0].connections).toBe(s.connections);
  expectPositive(s.generator.rssAfterBytes, 'generator.rssAfterBytes');

  // The server saw them all, and refused none.
  expect(s.serverStats).toMatchObject({ handshakes: s.connections, refused: 0, unavailable: 0, handoffFailed: 0, missing: 0 });
}

describe('load:connect, --quick', () => {
  it('hold: opens every connection, keeps them, reads the server memory, closes them all', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const s = summaryOf(await runNpmScript('load:connect', ['--quick'], RUN_TIMEOUT_MS));
    expectCommon(s, 'hold');
    expect(s.memory.heldWhenMeasured).toBe(s.connections);
    // Bytes per connection is a difference of two RSS readings: its size is not tested (a few
    // hundred connections can be lost in the noise), only that it was computed.
    expect(Number.isFinite(s.memory.bytesPerConnection)).toBe(true);
    expect(Number.isFinite(s.generator.bytesPerConnection)).toBe(true);
    // Held at the settle: the cluster's own count is ours; then every one closed cleanly.
    expect(s.serverStats.connections).toBe(s.connections);
    expect(s.serverStats.connectionsPerWorker.reduce((a: number, b: number) => a + b, 0)).toBe(s.connections);
    expect(s.close).toMatchObject({ clean: s.connections, forced: 0 });
    expect(typeof s.targets.bytesPerConnection.met).toBe('boolean');
    expect(s.targets.heldConnections.met).toBeNull();
  });

  it('storm: every connection closed right after its 101', { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const s = summaryOf(await runNpmScript('load:connect', ['--quick', '--mode', 'storm'], RUN_TIMEOUT_MS));
    expectCommon(s, 'storm');
    expect(s.memory.heldWhenMeasured).toBe(0);
    expect(s.memory.bytesPerConnection).toBeNull();
    expect(s.close).toMatchObject({ clean: 0, forced: 0 });
    expect(s.targets).toBeNull();
  });

  it('refuses a bad flag with exit 2, naming it', { timeout: 30_000 }, async () => {
    const r = await runNpmScript('load:connect', ['--quick', '--connections', '0', '--mode', 'sideways'], 25_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--connections 0/);
    expect(r.stderr).toMatch(/--mode sideways/);
    expect(r.stdout.trim()).toBe('');
  });
});
