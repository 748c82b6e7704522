/**
 * The master's admin server (README "Admin server") over real sockets, in a real CLI cluster
 * running an app that has no HTTP endpoints of its own for any of this (the cluster fixture):
 * every endpoint with and without the token, the metrics token, health and readiness (a worker
 * killed, a shutdown under way), pushes to fds of either worker with each outcome, bodies and
 * arguments refused precisely, and pages of sessions that stay stable while sessions come and go.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebSocket } from '../../scripts/lib/upgrade.ts';
import { closeAll, command, hello, startCluster, type Hello } from '../helpers/cluster.ts';
import { killAll, runCli, startCli, type CliProcess } from '../helpers/process.ts';
import { sampleUntil, until } from '../helpers/server.ts';

const TOKEN = `adm-${randomBytes(8).toString('hex')}`;
const METRICS = `met-${randomBytes(8).toString('hex')}`;
const auth = { authorization: `Bearer ${TOKEN}` };

function adminPort(cli: CliProcess): number {
  const line = cli.logs().find((e) => e.event === 'admin-listening');
  if (!line) throw new Error('no admin-listening line');
  return line.port as number;
}

/** A WebSocket that never reads: its server-side queue fills (pushes end `dropped`) and it never answers a close. */
async function stuckClient(port: number): Promise<Socket> {
  const opened = await openWebSocket({ port, path: '/' });
  if (!opened.ok) throw new Error(`upgrade failed: ${opened.failure}`);
  opened.socket.pause();
  opened.socket.on('error', () => {});
  return opened.socket;
}

describe('the admin server (--admin-port, --admin-token, --metrics-token)', () => {
  let cli: CliProcess;
  let admin: string;
  const clients: Hello[] = [];
  const stuck: Socket[] = [];
  const get = (path: string, headers: Record<string, string> = auth) => fetch(`${admin}${path}`, { headers });
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = auth) => fetch(`${admin}${path}`, { method: 'POST', headers, body });

  beforeAll(async () => {
    cli = await startCluster(['--workers', '2', '--dispatch-mode', '1', '--admin-port', '0', '--package-max-length', '65536', '--buffer-output-size', '262144', '--buffer-high-watermark', '65536'], {
      SWITCHYARD_ADMIN_TOKEN: TOKEN,
      SWITCHYARD_METRICS_TOKEN: METRICS,
    });
    admin = `http://127.0.0.1:${adminPort(cli)}`;
    for (let i = 0; i < 4; i++) clients.push(await hello(cli.port));
  });
  afterAll(async () => {
    for (const s of stuck) s.destroy();
    await closeAll(clients);
    await killAll();
  });

  it('health and readiness need no token; /metrics needs the metrics token (or the admin token)', async () => {
    expect((await get('/healthz', {})).status).toBe(200);
    const ready = await get('/readyz', {});
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, reason: null, listening: true, workers: { up: 2, total: 2 } });
    const bare = await get('/metrics', {});
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    expect((await get('/metrics', { authorization: 'Bearer wrong' })).status).toBe(401);
    for (const token of [METRICS, TOKEN]) {
      const m = await get('/metrics', { authorization: `Bearer ${token}` });
      expect(m.status).toBe(200);
      expect(m.headers.get('content-type')).toContain('text/plain');
      const text = await m.text();
      // The figures: 4 connections, 2 on each worker (round-robin).
      const conns = [...text.matchAll(/^switchyard_connections\{node="0",slot="(\d)"\} (\d+)$/gm)].map((x) => [Number(x[1]), Number(x[2])]);
      expect(conns).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect(text).toMatch(/^# TYPE switchyard_messages_received_total counter$/m);
      expect(text).toMatch(/^switchyard_messages_sent_total\{node="0",slot="1"\} \d+$/m);
    }
  });

  it('every other endpoint: 401 without the token or with a wrong one, never reaching a worker', async () => {
    const fd = clients[0]!.fd;
    const calls: Array<[string, string]> = [
      ['GET', '/stats'],
      ['POST', `/push/${fd}`],
      ['POST', '/uids/u/push'],
      ['POST', '/rooms/r/push'],
      ['POST', '/broadcast'],
      ['DELETE', `/connections/${fd}`],
      ['GET', `/connections/${fd}`],
      ['GET', '/connections'],
    ];
    const before = clients[0]!.messages.length;
    for (const [method, path] of calls) {
      const refused: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${METRICS}` }, { authorization: TOKEN }];
      for (const headers of refused) {
        const res = await fetch(`${admin}${path}`, { method, headers, ...(method === 'POST' ? { body: 'nope' } : {}) });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(clients[0]!.messages.slice(before)).toEqual([]);
    expect(clients[0]!.ws.readyState).toBe(1);
  });

  it('GET /stats: what server.stats() returns', async () => {
    const res = await get('/stats');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ connections: 4, node: 0, workers: [{ id: 0, up: true }, { id: 1, up: true }] });
  });

  it('POST /push/:fd reaches an fd of either worker, whichever worker takes the request; ?binary=1 sends binary', async () => {
    for (const target of [clients[0]!, clients[1]!]) {
      const answers = [];
      for (let i = 0; i < 2; i++) {
        const res = await post(`/push/${target.fd}`, `admin ${i}`);
        expect(res.status).toBe(200);
        answers.push((await res.json()) as { fd: number; status: string; worker: number; node: number });
      }
      // Round-robin: one of the two ran on the owner, the other crossed the embedded bus.
      expect(answers.map((a) => [a.fd, a.status, a.node])).toEqual([
        [target.fd, 'written', 0],
        [target.fd, 'written', 0],
      ]);
      expect(answers.map((a) => a.worker).sort()).toEqual([0, 1]);
      await until(() => target.messages.includes('admin 0') && target.messages.includes('admin 1'), 5000, 'pushed texts');
    }
    const got: Buffer[] = [];
    clients[2]!.ws.once('message', (d: Buffer, isBinary: boolean) => isBinary && got.push(d));
    expect((await post(`/push/${clients[2]!.fd}?binary=1`, Buffer.from([0xff, 0x00, 0xfe]))).status).toBe(200);
    await until(() => got.length === 1, 5000, 'binary push');
    expect([...got[0]!]).toEqual([0xff, 0x00, 0xfe]);
  });

  it('POST /push/:fd: 404 unknown, 400 malformed fd, bad binary flag or a body that is not UTF-8, 413 over packageMaxLength, 405 another method', async () => {
    const unknown = await post(`/push/${clients[0]!.fd + 2 ** 20 * 5000}`, 'x');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 'unknown' });
    for (const bad of ['12x', '7', '-1', '1.5', '0', '99999999999999999999']) expect((await post(`/push/${bad}`, 'x')).status, bad).toBe(400);
    expect((await post(`/push/${clients[0]!.fd}?binary=2`, 'x')).status).toBe(400);
    expect((await post(`/push/${clients[0]!.fd}`, Buffer.from([0xc3, 0x28]))).status).toBe(400);
    const big = await post(`/push/${clients[0]!.fd}`, 'x'.repeat(65537));
    expect(big.status).toBe(413);
    expect((await post(`/push/${clients[0]!.fd}`, 'x'.repeat(65536))).status).toBe(200);
    const wrong = await get(`/push/${clients[0]!.fd}`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await get('/nothing-here')).status).toBe(404);
    expect((await get('/push')).status).toBe(404);
  });

  it('POST /push/:fd: 409 once a slow consumer\'s buffer is full (dropped)', async () => {
    const s = await stuckClient(cli.port);
    stuck.push(s);
    // Its fd: the newest session of the cluster.
    const list = (await (await get('/connections?limit=1000')).json()) as { fds: number[] };
    const fd = Math.max(...list.fds);
    const chunk = 'y'.repeat(60_000);
    const statuses: number[] = [];
    // The kernel's socket buffers take the first megabytes; then the connection's queue fills.
    for (let round = 0; round < 40 && !statuses.includes(409); round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 16 }, () => post(`/push/${fd}`, chunk)))).map((r) => r.status));
    }
    expect(statuses).toContain(409);
    expect(statuses.every((st) => st === 200 || st === 409)).toBe(true);
  });

  it('POST /uids/:uid/push, /rooms/:room/push and /broadcast reach those sessions, wherever they are', async () => {
    const [a, b, c, d] = clients as [Hello, Hello, Hello, Hello];
    await command(a, { cmd: 'bind', fd: b.fd, uid: 'ann' });
    await command(a, { cmd: 'bind', fd: c.fd, uid: 'ann' });
    await command(a, { cmd: 'join', fd: d.fd, room: 'ops room' });
    await new Promise((r) => setTimeout(r, 100));
    const u = await post('/uids/ann/push', 'for ann');
    expect(u.status).toBe(200);
    expect(await u.json()).toMatchObject({ uid: 'ann', sessions: 2, ok: true });
    const r = await post(`/rooms/${encodeURIComponent('ops room')}/push`, 'for the room');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ room: 'ops room', ok: true });
    const all = await post('/broadcast', 'for everyone');
    expect(all.status).toBe(200);
    await until(() => b.messages.includes('for ann') && c.messages.includes('for ann') && d.messages.includes('for the room') && clients.every((x) => x.messages.includes('for everyone')), 5000, 'fan-outs');
    await new Promise((res) => setTimeout(res, 100));
    expect(a.messages).not.toContain('for ann');
    expect(d.messages).not.toContain('for ann');
    expect([a, b, c].some((x) => x.messages.includes('for the room'))).toBe(false);
    expect((await post('/uids/%FF/push', 'x')).status).toBe(400);
    expect((await post('/uids/nobody/push', 'x')).status).toBe(200);
  });

  it('GET /connections/:fd: getClientInfo wherever it lives, or 404', async () => {
    for (const c of clients) {
      const res = await get(`/connections/${c.fd}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ fd: c.fd, remoteAddress: '127.0.0.1', websocketStatus: 3 });
    }
    expect((await get(`/connections/${clients[0]!.fd + 2 ** 20 * 5000}`)).status).toBe(404);
    expect((await get('/connections/abc')).status).toBe(400);
  });

  it('GET /connections pages the cluster\'s sessions; the walk is stable while sessions open and close', async () => {
    const extra: Hello[] = [];
    for (let i = 0; i < 6; i++) extra.push(await hello(cli.port));
    const seen: number[] = [];
    let cursor: number | null = 0;
    let pages = 0;
    const opened: Hello[] = [];
    while (cursor !== null) {
      const res = await get(`/connections?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { fds: number[]; cursor: number | null };
      expect(page.fds.length).toBeLessThanOrEqual(3);
      seen.push(...page.fds);
      cursor = page.cursor;
      if (cursor !== null) expect(cursor).toBe(page.fds[page.fds.length - 1]);
      // Meanwhile: one session leaves and one arrives after each page.
      if (pages < 2) {
        const gone = extra.pop()!;
        gone.ws.close();
        await gone.closed;
        opened.push(await hello(cli.port));
      }
      pages++;
    }
    expect(pages).toBeGreaterThan(3);
    // Ascending, each once; every session there from start to end is in it.
    expect(seen).toEqual([...new Set(seen)].sort((x, y) => x - y));
    for (const c of [...clients, ...extra]) expect(seen).toContain(c.fd);
    // Sessions opened during the walk have higher fds than any before: they are in its last pages.
    for (const o of opened) expect(seen).toContain(o.fd);
    // Filters: a room's members, a uid's sessions; limits checked.
    const room = await (await get(`/connections?room=${encodeURIComponent('ops room')}`)).json();
    expect(room).toEqual({ fds: [clients[3]!.fd], cursor: null });
    const uid = await (await get('/connections?uid=ann')).json();
    expect(uid).toEqual({ fds: [clients[1]!.fd, clients[2]!.fd].sort((x, y) => x - y), cursor: null });
    for (const bad of ['limit=0', 'limit=1001', 'limit=x', 'cursor=-1', 'cursor=1.5', 'room=']) expect((await get(`/connections?${bad}`)).status, bad).toBe(400);
    await closeAll([...extra, ...opened]);
  });

  it('DELETE /connections/:fd?code=&reason= closes that session wherever it lives; 404 unknown, 400 bad code or reason', async () => {
    const victim = await hello(cli.port);
    expect((await fetch(`${admin}/connections/${victim.fd}?code=1005`, { method: 'DELETE', headers: auth })).status).toBe(400);
    expect((await fetch(`${admin}/connections/${victim.fd}?code=4001&reason=${'r'.repeat(124)}`, { method: 'DELETE', headers: auth })).status).toBe(400);
    expect((await fetch(`${admin}/connections/${victim.fd + 2 ** 20 * 5000}`, { method: 'DELETE', headers: auth })).status).toBe(404);
    const res = await fetch(`${admin}/connections/${victim.fd}?code=4001&reason=bye`, { method: 'DELETE', headers: auth });
    expect(res.status).toBe(200);
    expect(await victim.closed).toEqual({ code: 4001, reason: 'bye' });
  });

  it('/readyz: 503 with the reason while a worker slot is down (it was killed), 200 again once respawned; /healthz stays 200', async () => {
    const stats = (await (await get('/stats')).json()) as { workers: Array<{ pid: number }> };
    process.kill(stats.workers[1]!.pid, 'SIGKILL');
    const down = await sampleUntil(async () => ({ status: (await get('/readyz', {})).status, health: (await get('/healthz', {})).status, body: await (await get('/readyz', {})).json() }), (x) => x.status === 503, 5000, 5);
    expect(down.status).toBe(503);
    expect(down.health).toBe(200);
    expect(down.body).toMatchObject({ ready: false, reason: '1 of 2 worker slots are down', workers: { up: 1, total: 2 } });
    const back = await sampleUntil(async () => (await get('/readyz', {})).status, (st) => st === 200, 20_000, 50);
    expect(back).toBe(200);
  });

  it('/readyz: 503 "shutting down" while the master drains its clients; /healthz 200 until it exits', async () => {
    // A client that never answers the close keeps the workers waiting maxWaitTime (3 s).
    stuck.push(await stuckClient(cli.port));
    cli.proc.kill('SIGTERM');
    const r = await sampleUntil(async () => get('/readyz', {}), (res) => res.status === 503, 2000, 10);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ ready: false, reason: 'shutting down', shuttingDown: true });
    expect((await get('/healthz', {})).status).toBe(200);
    expect(await cli.exited).toBe(0);
  });
});

describe('the admin server without a token', () => {
  afterAll(() => killAll());

  it('on a non-loopback address: the start fails with a config error naming the settings', async () => {
    const r = await runCli(['--port', '0', '--workers', '1', '--admin-port', '0', '--admin-host', '0.0.0.0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--admin-port');
    expect(r.stderr).toContain('without an admin token');
  });

  it('on loopback: starts with a warning, and every endpoint answers without a token', async () => {
    const cli = await startCli(['--port', '0', '--workers', '1', '--admin-port', '0'], 30_000);
    expect(cli.logs().filter((e) => e.event === 'admin-no-token')).toEqual([expect.objectContaining({ level: 40, role: 'master' })]);
    const admin = `http://127.0.0.1:${adminPort(cli)}`;
    expect((await fetch(`${admin}/stats`)).status).toBe(200);
    expect((await fetch(`${admin}/metrics`)).status).toBe(200);
    expect(await (await fetch(`${admin}/connections`)).json()).toEqual({ fds: [], cursor: null });
    expect((await fetch(`${admin}/push/${2 ** 20}`, { method: 'POST', body: 'x' })).status).toBe(404);
  });
});
