import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeAll, command, hello, startCluster, stats, type Hello } from '../helpers/cluster.ts';
import { killAll, startCli, type CliProcess } from '../helpers/process.ts';
import { sampleUntil, until } from '../helpers/server.ts';


describe('push to any fd from any worker (embedded bus)', () => {
  let cli: CliProcess;
  let clients: Hello[];
  let onZero: Hello[];
  let onOne: Hello[];
  beforeAll(async () => {
    cli = await startCluster(['--workers', '2', '--dispatch-mode', '1']);
    clients = [];
    for (let i = 0; i < 4; i++) clients.push(await hello(cli.port));
    onZero = clients.filter((c) => c.worker === 0);
    onOne = clients.filter((c) => c.worker === 1);
  });
  afterAll(async () => {
    await closeAll(clients);
    await killAll();
  });

  it('pushes from worker 0 reach a client of worker 1, complete and in order', async () => {
    const target = onOne[0]!;
    const before = target.messages.length;
    await command(onZero[0]!, { cmd: 'push', fd: target.fd, n: 500, text: 'x' });
    await until(() => target.messages.length - before >= 500, 10_000, '500 pushes');
    expect(target.messages.slice(before, before + 500)).toEqual(Array.from({ length: 500 }, (_, i) => `x:${i}`));
  });

  it('pushAsync reports the remote outcome; unknown fds say unknown', async () => {
    expect(await command(onZero[0]!, { cmd: 'pushAsync', fd: onOne[0]!.fd })).toBe('written');
    expect(await command(onZero[0]!, { cmd: 'pushAsync', fd: onOne[0]!.fd + 2 ** 20 * 1000 })).toBe('unknown');
  });

  it('fire-and-forget outcomes are counted in stats: forwarded by the sender, written/unknown by the owner', async () => {
    const before = await stats(cli.port);
    await command(onZero[0]!, { cmd: 'push', fd: onOne[0]!.fd, n: 3, text: 'counted' });
    await command(onZero[0]!, { cmd: 'push', fd: onOne[0]!.fd + 2 ** 20 * 1000, n: 2, text: 'nobody' });
    const after = await sampleUntil(() => stats(cli.port), (a) => a.remotePushUnknown - before.remotePushUnknown >= 2, 2000, 50);
    expect(after.pushesForwarded - before.pushesForwarded).toBe(5);
    expect(after.remotePushWritten - before.remotePushWritten).toBe(3);
    expect(after.remotePushUnknown - before.remotePushUnknown).toBe(2);
  });

  it('exist, isEstablished and getClientInfo answer for a remote fd', async () => {
    const v = await command(onZero[0]!, { cmd: 'info', fd: onOne[0]!.fd });
    expect(v).toMatchObject({ exist: true, established: true, info: { fd: onOne[0]!.fd, remoteAddress: '127.0.0.1', websocketStatus: 3 } });
    expect(await command(onZero[0]!, { cmd: 'info', fd: onOne[0]!.fd + 2 ** 20 * 1000 })).toEqual({ exist: false, established: false, info: null });
  });

  it('broadcast reaches every connection of the cluster exactly once, except the excluded', async () => {
    const marks = clients.map((c) => c.messages.length);
    await command(onOne[1]!, { cmd: 'broadcast', text: 'to-all', except: [onZero[1]!.fd] });
    await until(() => clients.every((c, i) => c === onZero[1] || c.messages.slice(marks[i]).includes('to-all')), 5000, 'broadcast');
    await new Promise((r) => setTimeout(r, 200));
    for (const [i, c] of clients.entries()) {
      expect(c.messages.slice(marks[i]).filter((m) => m === 'to-all').length).toBe(c === onZero[1] ? 0 : 1);
    }
  });

  it('rooms: join a remote fd, push to the room across workers, leave', async () => {
    await command(onZero[0]!, { cmd: 'join', fd: onOne[0]!.fd, room: 'r1' });
    await command(onZero[0]!, { cmd: 'join', fd: onZero[1]!.fd, room: 'r1' });
    await new Promise((r) => setTimeout(r, 100));
    const marks = clients.map((c) => c.messages.length);
    await command(onOne[1]!, { cmd: 'room', room: 'r1', text: 'room-msg' });
    await until(() => onOne[0]!.messages.slice(marks[clients.indexOf(onOne[0]!)]).includes('room-msg') && onZero[1]!.messages.slice(marks[clients.indexOf(onZero[1]!)]).includes('room-msg'), 5000, 'room push');
    await new Promise((r) => setTimeout(r, 150));
    expect(onZero[0]!.messages.slice(marks[clients.indexOf(onZero[0]!)])).not.toContain('room-msg');
    expect(onOne[1]!.messages.slice(marks[clients.indexOf(onOne[1]!)])).not.toContain('room-msg');
    await command(onOne[1]!, { cmd: 'leave', fd: onOne[0]!.fd, room: 'r1' });
    await new Promise((r) => setTimeout(r, 100));
    const m2 = onOne[0]!.messages.length;
    await command(onOne[1]!, { cmd: 'room', room: 'r1', text: 'after-leave' });
    await until(() => onZero[1]!.messages.includes('after-leave'), 5000, 'room push after leave');
    await new Promise((r) => setTimeout(r, 150));
    expect(onOne[0]!.messages.slice(m2)).not.toContain('after-leave');
  });

  it('uids: bind remote fds, find them from any worker, push to all of them', async () => {
    await command(onZero[0]!, { cmd: 'bind', fd: onOne[0]!.fd, uid: 'alice' });
    await command(onZero[0]!, { cmd: 'bind', fd: onZero[1]!.fd, uid: 'alice' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await command(onOne[1]!, { cmd: 'uid', uid: 'alice' })).toEqual([onOne[0]!.fd, onZero[1]!.fd].sort((a, b) => a - b));
    await command(onOne[1]!, { cmd: 'pushUid', uid: 'alice', text: 'for-alice' });
    await until(() => onOne[0]!.messages.includes('for-alice') && onZero[1]!.messages.includes('for-alice'), 5000, 'uid push');
  });

  it('sendMessage reaches the other worker’s pipeMessage', async () => {
    const via = onZero[0]!;
    const before = via.messages.length;
    expect(await command(via, { cmd: 'pipe', to: 1, text: 'hi worker 1' })).toBe(true);
    await until(() => via.messages.slice(before).some((m) => m.includes('"type":"pipe"')), 5000, 'pipe');
    const p = JSON.parse(via.messages.slice(before).find((m) => m.includes('"type":"pipe"'))!);
    expect(p).toEqual({ type: 'pipe', from: 0, at: 1, text: 'hi worker 1' });
    expect(await command(via, { cmd: 'pipe', to: 0, text: 'self' })).toBe(false);
  });

  it('connections spans the cluster; disconnect works on a remote fd', async () => {
    expect(await command(onZero[0]!, { cmd: 'connections' })).toEqual(clients.map((c) => c.fd).sort((a, b) => a - b));
    const victim = onOne[1]!;
    await command(onZero[0]!, { cmd: 'disconnect', fd: victim.fd, code: 4003, reason: 'bye' });
    expect(await victim.closed).toEqual({ code: 4003, reason: 'bye' });
  });
});

describe('default app: /chat and the admin endpoints', () => {
  let cli: CliProcess;
  afterAll(() => killAll());
  beforeAll(async () => {
    cli = await startCli(['--port', '0', '--workers', '2', '--dispatch-mode', '1', '--admin-token', 's3cret'], 20_000);
  });

  function chatClient(): Promise<{ ws: WebSocket; welcome: any; got: any[] }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${cli.port}/chat`);
      const got: any[] = [];
      ws.on('error', reject);
      ws.on('message', (d: Buffer) => {
        const text = d.toString();
        const m = text.startsWith('{') ? JSON.parse(text) : { type: 'raw', text };
        if (m.type === 'welcome') resolve({ ws, welcome: m, got });
        else got.push(m);
      });
    });
  }

  it('welcome names fd, worker and node; a message reaches every /chat session once', async () => {
    const people = [await chatClient(), await chatClient(), await chatClient()];
    expect(people.map((p) => p.welcome.worker).sort()).toEqual([0, 0, 1]);
    for (const p of people) expect(p.welcome).toMatchObject({ type: 'welcome', node: 0 });
    people[0]!.ws.send('hello everyone');
    await until(() => people.every((p) => p.got.length === 1), 5000, 'chat fan-out');
    for (const p of people) expect(p.got).toEqual([{ type: 'message', from: people[0]!.welcome.fd, text: 'hello everyone' }]);
    for (const p of people) p.ws.close();
  });

  it('POST /push/:fd: 200 with the outcome, 404 unknown, 400 malformed, 401 without the token', async () => {
    const p = await chatClient();
    const auth = { authorization: 'Bearer s3cret' };
    const ok = await fetch(`http://127.0.0.1:${cli.port}/push/${p.welcome.fd}`, { method: 'POST', headers: auth, body: 'direct' });
    expect(ok.status).toBe(200);
    // The answer names the worker that took the request (either of the two) and the node.
    const answer = (await ok.json()) as { worker: number };
    expect(answer).toEqual({ fd: p.welcome.fd, status: 'written', worker: answer.worker, node: 0 });
    expect([0, 1]).toContain(answer.worker);
    await until(() => p.got.some((m) => m.type === 'raw' && m.text === 'direct'), 5000, 'pushed text');
    const unknown = await fetch(`http://127.0.0.1:${cli.port}/push/${p.welcome.fd + 2 ** 20 * 5000}`, { method: 'POST', headers: auth, body: 'x' });
    expect(unknown.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${cli.port}/push/12x`, { method: 'POST', headers: auth, body: 'x' })).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${cli.port}/push/${p.welcome.fd}`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${cli.port}/push/${p.welcome.fd}`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: 'x' })).status).toBe(401);
    const b = await fetch(`http://127.0.0.1:${cli.port}/broadcast`, { method: 'POST', headers: auth, body: 'to everyone' });
    expect(b.status).toBe(200);
    await until(() => p.got.some((m) => m.type === 'raw' && m.text === 'to everyone'), 5000, 'broadcast text');
    // an fd of a node that is not in the cluster (no Redis here): 503, not a hang
    const elsewhere = await fetch(`http://127.0.0.1:${cli.port}/push/${p.welcome.fd + 256 * 7}`, { method: 'POST', headers: auth, body: 'x' });
    expect(elsewhere.status).toBe(503);
    expect(await elsewhere.json()).toMatchObject({ status: 'unreachable', node: 0 });
    p.ws.close();
  });

  it('POST /push/:fd names the worker that took the request: two connections, round-robin, both workers', async () => {
    const p = await chatClient();
    // agent: false: one connection per request, so round-robin dispatch alternates the workers.
    const post = () =>
      new Promise<{ worker: number; status: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: cli.port, path: `/push/${p.welcome.fd}`, method: 'POST', agent: false, headers: { authorization: 'Bearer s3cret' } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () => resolve(JSON.parse(body)));
        });
        req.on('error', reject);
        req.end('x');
      });
    const a = await post();
    const b = await post();
    expect([a.status, b.status]).toEqual(['written', 'written']);
    expect([a.worker, b.worker].sort()).toEqual([0, 1]);
    p.ws.close();
  });
});

describe('admin endpoints without --admin-token', () => {
  afterAll(() => killAll());
  it('are off: 404', async () => {
    const cli = await startCli(['--port', '0', '--workers', '1'], 20_000);
    expect((await fetch(`http://127.0.0.1:${cli.port}/push/1048576`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${cli.port}/broadcast`, { method: 'POST', body: 'x' })).status).toBe(404);
  });
});
