import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeAll, hello, startCluster, stats, type Hello } from '../helpers/cluster.ts';
import { killAll, isAlive } from '../helpers/process.ts';
import { sampleUntil, until } from '../helpers/server.ts';

afterEach(() => killAll());

/** Each client sends a numbered message every few ms and checks every echo comes back in order. */
function chatter(c: Hello): { stop: () => void; errors: string[]; echoed: () => number } {
  const errors: string[] = [];
  let sent = 0;
  let got = 0;
  c.ws.on('message', (d: Buffer) => {
    if (d.toString() !== String(got)) errors.push(`expected ${got}, got ${d.toString()}`);
    got++;
  });
  c.ws.on('error', (e) => errors.push(e.message));
  const timer = setInterval(() => {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(String(sent++));
  }, 5);
  return { stop: () => clearInterval(timer), errors, echoed: () => got };
}

describe('supervision', () => {
  it('kill -9 a worker under traffic: its clients drop, the others keep going, the slot respawns and takes connections', async () => {
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', '1']);
    const clients = await Promise.all(Array.from({ length: 8 }, () => hello(cli.port)));
    const victims = clients.filter((c) => c.worker === 0);
    const others = clients.filter((c) => c.worker === 1);
    expect(victims.length).toBe(4);
    const talk = others.map(chatter);
    const victimPid = victims[0]!.pid;
    await new Promise((r) => setTimeout(r, 200));
    process.kill(victimPid, 'SIGKILL');
    const drops = await Promise.all(victims.map((v) => v.closed));
    expect(drops.every((d) => d.code === 1006)).toBe(true);
    // the slot is back within a second (plus start-up time of a tsx worker on a busy box)
    await until(() => cli.logs().some((e) => e.event === 'worker-up' && e.slot === 0 && e.workerPid !== victimPid), 10_000, 'slot 0 respawned');
    const before = talk.map((t) => t.echoed());
    await new Promise((r) => setTimeout(r, 300));
    for (const [i, t] of talk.entries()) {
      t.stop();
      expect(t.errors).toEqual([]);
      expect(t.echoed()).toBeGreaterThan(before[i]!);
    }
    for (const o of others) expect(o.ws.readyState).toBe(WebSocket.OPEN);
    const fresh = await Promise.all(Array.from({ length: 4 }, () => hello(cli.port)));
    const onZero = fresh.filter((c) => c.worker === 0);
    expect(onZero.length).toBeGreaterThan(0);
    expect(onZero[0]!.pid).not.toBe(victimPid);
    const exit = cli.logs().find((e) => e.event === 'worker-exit' && e.workerPid === victimPid);
    expect(exit).toMatchObject({ slot: 0, signal: 'SIGKILL', level: 50 });
    expect(cli.logs().find((e) => e.event === 'hook-worker-error')).toMatchObject({ workerId: 0, pid: victimPid, signal: 'SIGKILL' });
    const s = await stats(cli.port);
    expect(s.workerRestarts).toBe(1);
    expect(s.workers[0]).toMatchObject({ id: 0, up: true, restarts: 1 });
    expect(s.workers[0]!.pid).not.toBe(victimPid);
    await closeAll([...others, ...fresh]);
  });

  it('SIGTERM: every client gets close 1001, workers stop, the master exits 0 within maxWaitTime', async () => {
    const cli = await startCluster(['--workers', '2', '--max-wait-time', '2']);
    const clients = await Promise.all(Array.from({ length: 6 }, () => hello(cli.port)));
    const pids = [...new Set(clients.map((c) => c.pid))];
    const t0 = Date.now();
    const code = await cli.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000 + 2000);
    const closes = await Promise.all(clients.map((c) => c.closed));
    expect(closes.map((c) => c.code)).toEqual(Array(6).fill(1001));
    expect(pids.every((p) => !isAlive(p))).toBe(true);
    expect(cli.logs().some((e) => e.event === 'hook-shutdown')).toBe(true);
  });

  it('server.shutdown() from a worker stops the whole cluster the same way', async () => {
    const cli = await startCluster(['--workers', '2']);
    const clients = await Promise.all(Array.from({ length: 4 }, () => hello(cli.port)));
    await fetch(`http://127.0.0.1:${cli.port}/shutdown`, { method: 'POST' });
    expect(await cli.exited).toBe(0);
    expect((await Promise.all(clients.map((c) => c.closed))).map((c) => c.code)).toEqual(Array(4).fill(1001));
  });

  it('a crash-looping app: the master still listens, answers 503, and backs off respawns', async () => {
    const cli = await startCluster(['--workers', '2'], { FIXTURE_CRASH_WORKERS: '1' });
    const res = await fetch(`http://127.0.0.1:${cli.port}/`);
    expect(res.status).toBe(503);
    // two quick deaths of a slot make a crash loop; a worker's start takes seconds on a loaded box
    await until(() => cli.logs().some((e) => e.msg === 'worker crash-looping: respawn delayed'), 30_000, 'back-off');
    const exits = cli.logs().filter((e) => e.event === 'worker-exit');
    expect(exits.every((e) => e.code === 3)).toBe(true);
  }, 45_000);

  it('the start hook gets the bound port; a killed master takes its workers with it', async () => {
    const cli = await startCluster(['--workers', '2']);
    await until(() => cli.logs().some((e) => e.event === 'hook-start'), 5000, 'start hook');
    expect(cli.logs().find((e) => e.event === 'hook-start')).toMatchObject({ port: cli.port, workers: 2 });
    const s = await stats(cli.port);
    const pids = s.workers.map((w) => w.pid);
    expect(pids.every(isAlive)).toBe(true);
    await cli.stop('SIGKILL');
    await until(() => pids.every((p) => !isAlive(p)), 10_000, 'orphaned workers to exit');
  });
});

describe('cluster stats', () => {
  it('GET /stats: per-worker connections and cluster totals', async () => {
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', '1']);
    const clients = await Promise.all(Array.from({ length: 4 }, () => hello(cli.port)));
    clients[0]!.ws.send('x');
    await until(() => clients[0]!.messages.length === 1);
    let s = await stats(cli.port);
    expect(s.workers.map((w) => ({ id: w.id, connections: w.connections, up: w.up }))).toEqual([
      { id: 0, connections: 2, up: true },
      { id: 1, connections: 2, up: true },
    ]);
    expect(s).toMatchObject({ connections: 4, dispatchMode: 'round-robin', workerRestarts: 0 });
    expect(s.accepted).toBeGreaterThanOrEqual(5); // 4 clients + this HTTP request
    expect(s.messagesIn).toBe(1);
    await closeAll(clients.slice(0, 2));
    // the server sees the close a moment after the client does
    s = await sampleUntil(() => stats(cli.port), (x) => x.connections === 2, 2500, 50);
    expect(s.connections).toBe(2);
    expect(s.closed).toBe(2);
    await closeAll(clients);
  });
});
