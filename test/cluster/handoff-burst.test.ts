import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFd } from '../../src/shared/session-id.ts';
import { stats } from '../helpers/cluster.ts';
import { killAll, startCli } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';

afterEach(() => killAll());

/** Bursts of upgrades, each against stopped workers: ~500 hand-offs per worker, ~280 fit in its pipe, the rest queue in the master. */
const WAVES = 2;
const WAVE = 1000;
/** Collections the master must have run with writes queued, per wave, before the workers resume. */
const GCS_PER_WAVE = 5;

/** How long a client may wait for its answer once the workers run again (generous: a loaded 2-core machine). */
const ANSWER_MS = 30_000;

type Outcome = { ok: true; fd: number; worker: number } | { ok: false; why: string };

/**
 * One client: connects, waits for the fixture's hello (which names its fd and worker), then
 * drops the connection. `giveUp()` settles a client still waiting as unanswered.
 */
function attempt(port: number): { outcome: Promise<Outcome>; giveUp(): void } {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  let settle!: (o: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => {
    let settled = false;
    settle = (o) => {
      if (settled) return;
      settled = true;
      ws.terminate();
      resolve(o);
    };
  });
  ws.once('message', (data: Buffer) => {
    const h = JSON.parse(data.toString()) as { fd: number; worker: number };
    settle({ ok: true, fd: h.fd, worker: h.worker });
  });
  ws.once('unexpected-response', (_req, res) => settle({ ok: false, why: `HTTP ${res.statusCode}` }));
  ws.once('error', (err) => settle({ ok: false, why: err.message }));
  ws.once('close', (code) => settle({ ok: false, why: `closed ${code} before the hello` }));
  return { outcome, giveUp: () => settle({ ok: false, why: 'no answer' }) };
}

describe('hand-off pipe under bursts with garbage-collector pressure', () => {
  it(`${WAVES} bursts of ${WAVE} upgrades against 2 stopped workers, GC in the master while writes queue: every one completes under its own fd`, async () => {
    const cli = await startCli(['--port', '0', '--app', 'test/fixtures/gc-pressure-app.ts', '--workers', '2', '--log-level', 'info'], 20_000);
    const pids = (await stats(cli.port)).workers.map((w) => w.pid);
    const gcs = () => cli.logs().filter((l) => l.event === 'fixture-gc').length;
    const outcomes: Outcome[] = [];
    for (let wave = 0; wave < WAVES; wave++) {
      // Stopped workers read nothing: their pipes fill, and the master's later writes wait in libuv's queue.
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      const before = gcs();
      const clients = Array.from({ length: WAVE }, () => attempt(cli.port));
      try {
        await until(() => gcs() >= before + GCS_PER_WAVE, 60_000, `${GCS_PER_WAVE} collections with hand-offs queued (the test's premise)`);
      } finally {
        for (const pid of pids) process.kill(pid, 'SIGCONT');
      }
      const timer = setTimeout(() => clients.forEach((c) => c.giveUp()), ANSWER_MS);
      outcomes.push(...(await Promise.all(clients.map((c) => c.outcome))));
      clearTimeout(timer);
    }

    const why = new Map<string, number>();
    for (const o of outcomes) if (!o.ok) why.set(o.why, (why.get(o.why) ?? 0) + 1);
    expect(Object.fromEntries(why)).toEqual({});
    const ok = outcomes.filter((o): o is { ok: true; fd: number; worker: number } => o.ok);
    expect(ok.length).toBe(WAVES * WAVE);
    // Every session id is a well-formed id of the worker that holds it, and no two are the same.
    expect(ok.filter((o) => decodeFd(o.fd)?.slot !== o.worker || decodeFd(o.fd)?.node !== 0)).toEqual([]);
    expect(new Set(ok.map((o) => o.fd)).size).toBe(WAVES * WAVE);

    const s = await stats(cli.port);
    expect({ missing: s.missing, handoffRejected: s.handoffRejected ?? 0, handoffFailed: s.handoffFailed }).toEqual({ missing: 0, handoffRejected: 0, handoffFailed: 0 });
    expect(cli.logs().filter((l) => l.event === 'handoff-rejected')).toEqual([]);
  }, 300_000);
});
