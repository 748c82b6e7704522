/**
 * Smoke test of `npm run hostile -- --quick --out <tmp>`: every attack runs once, briefly,
 * against Switchyard and ws (servers shared, attacks at once), and the last stdout line is the
 * result JSON. Checks shape and sanity — every attack present and not failed, every case with
 * its figures, counts non-negative and adding up, the files written to --out (never bench/) —
 * never speed or bounds: today's figures may be bad, and timings on a shared machine mean
 * nothing. The Redis attacks are skipped loudly without Redis / redis-server (under CI=true
 * they run and fail). Bad flags exit 2 naming them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executable, externalTool, runNpmScript } from '../helpers/process.ts';
import { REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { summaryOf } from '../helpers/script-result.ts';

/** About 30 s alone on a quiet machine, a minute or more on a busy one; past this it is killed. */
const RUN_TIMEOUT_MS = 150_000;
const ALL = ['deflate-flood', 'ping-flood', 'push-flood', 'handoff-burst', 'redis-restart', 'slow-http', 'garbage-head', 'flood-fairness', 'strictness'];

const redis = externalTool('Redis (hostile push-flood)', redisProbe, 'start redis-server or set REDIS_URL');
const redisServer = externalTool('redis-server (hostile redis-restart)', executable('/usr/bin/redis-server'), 'apt-get install -y redis-server');
const attacks = ALL.filter((a) => (a !== 'push-flood' || redis.run) && (a !== 'redis-restart' || redisServer.run));

const out = mkdtempSync(join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Case = Record<string, any>;

const isCount = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isAmount = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const sumOf = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);

function expectCounts(m: unknown, what: string): void {
  expect(m !== null && typeof m === 'object', what).toBe(true);
  for (const [k, v] of Object.entries(m as object)) expect(isCount(v), `${what}.${k} = ${String(v)}`).toBe(true);
}

/** A server's memory figures: present, non-negative, peak at or above baseline. */
function expectRss(c: Case): void {
  const r = c.rss;
  const what = `${c.attack} ${c.server} rss: ${JSON.stringify(r)}`;
  expect(r, what).not.toBeNull();
  expect(r.baselineMB > 0 && r.peakMB >= r.baselineMB && isAmount(r.growthMB), what).toBe(true);
  expect(r.finalMB === null || isAmount(r.finalMB), what).toBe(true);
  expect(typeof r.ceilingHit === 'boolean' && typeof r.exited === 'boolean' && Array.isArray(r.lost) && Array.isArray(r.seriesMB), what).toBe(true);
}

/** What each attack's cases must carry (figures that exist and add up). */
const CHECKS: Record<string, (c: Case, s: Record<string, any>) => void> = {
  'deflate-flood': (c) => {
    expectRss(c);
    for (const k of ['opened', 'acceptedBytes', 'acceptedFrames', 'receivedBytes', 'openAtStop', 'notNegotiated']) expect(isCount(c[k]), `${k} = ${c[k]}`).toBe(true);
    expect(c.frameBytes).toBeGreaterThan(0);
    expect(c.inflatesTo).toBeGreaterThan(c.frameBytes);
    expect(c.opened + sumOf(c.connectFailed)).toBe(c.clients);
    expect(typeof c.serverDid).toBe('string');
  },
  'ping-flood': (c) => {
    expectRss(c);
    expect(isCount(c.acceptedBytes) && isCount(c.pingsAccepted) && isCount(c.stalledMs)).toBe(true);
    expect(c.closeCode === null || isCount(c.closeCode)).toBe(true);
  },
  'push-flood': (c, s) => {
    expectRss(c);
    expectCounts(c.outcomes, 'outcomes');
    expect(sumOf(c.outcomes)).toBe(s.pushes);
    expect(isCount(c.delivered) && c.delivered <= s.pushes).toBe(true);
    expect(c.senderWorker.growthMB).toBeGreaterThanOrEqual(0);
  },
  'handoff-burst': (c, s) => {
    expectRss(c);
    expectCounts(c.failures, 'failures');
    expect(isCount(c.ok) && isCount(c.failed) && isCount(c.notStarted)).toBe(true);
    expect(c.ok + c.failed + c.notStarted).toBe(s.upgrades);
    expect(sumOf(c.failures)).toBe(c.failed);
    expect(isCount(c.echoConnections) && c.echoConnections <= 2).toBe(true);
  },
  'redis-restart': (c) => {
    expectRss(c);
    expect(Object.keys(c.phases)).toEqual(['before', 'outage', 'window1', 'window2', 'after']);
    for (const p of Object.values(c.phases) as Case[]) {
      expectCounts(p.outcomes, 'outcomes');
      expect(isCount(p.sent) && isCount(p.delivered)).toBe(true);
      expect(sumOf(p.outcomes)).toBe(p.sent);
    }
    expect(c.phases.before.sent).toBeGreaterThan(0);
    expect(c.phases.window2.sent).toBeGreaterThan(0);
  },
  'slow-http': (c, s) => {
    expectRss(c);
    for (const g of [c.heads, c.bodies]) {
      expect(isCount(g.openAtT) && isCount(g.closed) && g.openAtT + g.closed === g.sockets).toBe(true);
      expectCounts(g.statuses, 'statuses');
    }
    expect(c.heads.sockets + c.bodies.sockets + sumOf(c.connectFailed)).toBe(2 * s.slowSockets);
  },
  'garbage-head': (c) => {
    expect(c.answers).toHaveLength(3);
    for (const a of c.answers) expect((a.status === null || isCount(a.status)) && isAmount(a.ms) && typeof a.outcome === 'string').toBe(true);
  },
  'flood-fairness': (c) => {
    expectRss(c);
    expect(isCount(c.connects.attempted) && isCount(c.connects.ok) && c.connects.ok <= c.connects.attempted).toBe(true);
    expect(c.connects.ok + sumOf(c.connects.failed)).toBe(c.connects.attempted);
    expect(isCount(c.probe.samples) && isCount(c.acceptedBytes)).toBe(true);
  },
  strictness: (c) => {
    expect(c.answers.map((a: Case) => a.name)).toEqual(['valid upgrade (control)', 'duplicate Host', 'GET /echo HTTP/2.0', 'absolute-form GET http://host/echo']);
    // The control: a well-formed upgrade is upgraded by both servers (the harness works).
    expect(c.answers[0].status).toBe(101);
  },
};

describe('npm run hostile -- --quick', () => {
  it(`runs ${attacks.length === ALL.length ? 'every attack' : attacks.join(', ')} against Switchyard and ws`, { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
    const r = await runNpmScript('hostile', ['--quick', '--out', out, '--only', attacks.join(',')], RUN_TIMEOUT_MS, { REDIS_URL });
    const summary = summaryOf(r);
    const context = JSON.stringify(summary.errors);
    expect(summary, context).toMatchObject({ event: 'hostile', ok: true, errors: [], skipped: [] });
    expect(summary.settings).toMatchObject({ quick: true, out, only: attacks });
    expect(Object.keys(summary.attacks)).toEqual(attacks);

    for (const name of attacks) {
      const a = summary.attacks[name];
      expect(a, name).toMatchObject({ skipped: null, error: null });
      expect(a.title.length).toBeGreaterThan(0);
      expect(a.table.length, `${name} table`).toBeGreaterThan(1);
      expect(a.cases.length, `${name} cases`).toBeGreaterThan(0);
      const servers = new Set<string>();
      for (const c of a.cases as Case[]) {
        expect(c, name).toMatchObject({ attack: name, error: null });
        expect(['switchyard', 'ws']).toContain(c.server);
        servers.add(c.server);
        CHECKS[name]!(c, summary.settings);
      }
      // Both servers, except where ws has no counterpart (cross-node pushes).
      expect([...servers].sort(), name).toEqual(name === 'push-flood' || name === 'redis-restart' ? ['switchyard'] : ['switchyard', 'ws']);
    }
    // The ws peer runs as ws's docs recommend: bufferutil loaded, native.
    const wsCase = (summary.attacks['strictness'].cases as Case[]).find((c) => c.server === 'ws')!;
    expect(wsCase.serverLabel).toContain('bufferutil (native)');

    // Written to --out, not bench/: the same JSON, and the tables.
    expect(summary.files).toEqual({ json: join(out, 'hostile.json'), md: join(out, 'hostile.md') });
    expect(JSON.parse(readFileSync(summary.files.json, 'utf8'))).toEqual(summary);
    expect(readFileSync(summary.files.md, 'utf8')).toContain('## strictness');
    expect(existsSync(join(out, 'hostile.json'))).toBe(true);
  });

  it('exits 2 naming bad flags', { timeout: 30_000 }, async () => {
    const r = await runNpmScript('hostile', ['--only', 'deflate-flood,nope', '--duration', '0', '--port', '9501'], 25_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--only nope');
    expect(r.stderr).toContain('--duration 0');
    expect(r.stderr).toContain('--port');
    expect(r.stdout.trim()).toBe('');
  });
});
