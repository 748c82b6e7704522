/**
 * Zero-drop reload (issue 16), with real processes and real clients: every worker replaced by
 * one running the app loaded afresh, every connection moved to it with its state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { killAll } from '../helpers/process.ts';
import { connect, startReloadServer, until, whoami, type Client } from './reload-helpers.ts';

afterEach(() => killAll());

interface Report {
  slots: Array<{ slot: number; oldPid: number; newPid: number; moved: number; failed: Array<{ fd: number; why: string; closed: number }> }>;
}

describe('reload', () => {
  it('moves 500 connections (a quarter with permessage-deflate) through 5 reloads: no close, nothing lost or duplicated, order kept both ways, new code and new pids each time', { timeout: 240_000 }, async () => {
    const server = await startReloadServer();
    const N = 500;
    const clients: Client[] = [];
    for (let i = 0; i < N; i += 50) {
      const batch = Array.from({ length: Math.min(50, N - i) }, (_, k) => connect(server.cli.port, (i + k) % 4 === 0 ? { perMessageDeflate: { threshold: 0 } } : { perMessageDeflate: false }));
      clients.push(...(await Promise.all(batch)));
    }
    expect(clients.filter((c) => /permessage-deflate/.test(c.ws.extensions)).length).toBe(N / 4);
    // Each client sends sequenced messages (echoed by its worker) and sequenced pushes to the
    // next client (another worker for most: the bus), 8 messages a second: 4,000/s in all, a
    // correctness load. (At 20 a second, on a CI machine busy with other test files, the
    // workers' inflates could not keep up: every compressing client fell behind alike, by
    // seconds, and a whoami waited behind that — capacity, measured in the benchmarks.)
    let pushSeq = 0;
    const pushesSent = new Map<string, number>();
    const traffic = setInterval(() => {
      pushSeq++;
      for (let i = 0; i < N; i++) {
        const c = clients[i]!;
        const to = clients[(i + 1) % N]!;
        c.ws.send(`s:${++c.sent}`);
        c.ws.send(`p:${to.fd}:${pushSeq}`);
        pushesSent.set(`${c.fd}>${to.fd}`, pushSeq);
      }
    }, 250);
    // Every client answered by the first version before the first reload.
    await until(() => clients.every((c) => c.echoes.length > 0), 30_000, 'a first echo for every client');
    let pids = new Set((await Promise.all(clients.slice(0, 8).map(whoami))).map((w) => w.pid));
    for (let round = 2; round <= 6; round++) {
      server.setVersion(`v${round}`);
      const r = await server.reload();
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.slots.map((s) => s.failed)).toEqual([[], []]);
      expect(report.slots.reduce((n, s) => n + s.moved, 0)).toBe(N);
      // Clients now answer from the new version, in a new process (a sample of both slots here;
      // every client's echoes name every version, checked at the end).
      const who = await Promise.all(clients.filter((_, i) => i % 25 === 0 || i % 25 === 1).map(whoami));
      expect(new Set(who.map((w) => w.version))).toEqual(new Set([`v${round}`]));
      const now = new Set(who.map((w) => w.pid));
      expect([...now].filter((p) => pids.has(p))).toEqual([]);
      expect(now.size).toBe(2);
      expect(new Set(report.slots.map((s) => s.newPid))).toEqual(now);
      pids = now;
    }
    clearInterval(traffic);
    await until(() => clients.every((c) => c.echoes.length === c.sent), 30_000, 'every echo');
    await until(() => clients.every((c, i) => (c.pushes.get(clients[(i + N - 1) % N]!.fd)?.at(-1) ?? 0) === pushSeq), 30_000, 'every push');
    for (const c of clients) {
      expect(c.closes).toEqual([]);
      expect(c.other.filter((t) => t.startsWith('bad'))).toEqual([]);
      // In order, none lost, none twice.
      expect(c.echoes).toEqual(Array.from({ length: c.sent }, (_, i) => i + 1));
      for (const list of c.pushes.values()) expect(list).toEqual(Array.from({ length: list.length }, (_, i) => i + 1));
      expect([...c.answeredBy].map((a) => a.split('/')[0])).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    }
    expect(pushesSent.size).toBe(N);
    // Pushes a new worker sent during its move waited behind its predecessor's on the bus
    // (sender-order.ts) and were let go by the old worker's done marker, never by the deadline.
    expect(server.cli.lines.filter((l) => l.includes('bus-order-hold-expired'))).toEqual([]);
  });

  it('a reload with broken new code is aborted: the CLI exits 1 with the error, the old workers keep serving', async () => {
    const server = await startReloadServer();
    const c = await connect(server.cli.port);
    const before = await whoami(c);
    // A syntax error in the app module.
    writeFileSync(server.app, 'export default function app(server) {\n  server.on("open", (\n}\n');
    const r1 = await server.reload();
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/reload failed, the old workers keep serving: .*SyntaxError/s);
    // The module loads, but workerStart throws.
    writeFileSync(server.app, 'export default function app(server) { server.on("workerStart", () => { throw new Error("fixture: workerStart fails"); }); }\n');
    const r2 = await server.reload();
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/workerStart fails/);
    // Nothing changed for the client: same worker process, still answering in order.
    c.ws.send(`s:${++c.sent}`);
    await until(() => c.echoes.length === 1, 10_000, 'the echo');
    expect(await whoami(c)).toMatchObject({ version: before.version, pid: before.pid });
    expect(c.closes).toEqual([]);
  }, 120_000);

  it('moves a connection in the middle of a fragmented text message cut inside a code point', async () => {
    const server = await startReloadServer();
    const c = await connect(server.cli.port);
    const text = `${'é€'.repeat(30_000)}!`;
    const bytes = Buffer.from(text);
    const cut = bytes.indexOf(0xe2, 50_000) + 1;
    await new Promise<void>((resolve, reject) => c.ws.send(bytes.subarray(0, cut), { fin: false, binary: false }, (err) => (err ? reject(err) : resolve())));
    await new Promise((r) => setTimeout(r, 100));
    server.setVersion('v2');
    const r = await server.reload();
    expect(r.code, r.stderr).toBe(0);
    c.ws.send(bytes.subarray(cut), { fin: true, binary: false });
    await until(() => c.other.some((t) => t.length > 1000), 10_000, 'the echo of the whole message');
    expect(c.other.find((t) => t.length > 1000)).toBe(text);
    expect((await whoami(c)).version).toBe('v2');
    expect(c.closes).toEqual([]);
  }, 60_000);

  it('moves a slow consumer with megabytes queued: every byte arrives once, in order', async () => {
    const server = await startReloadServer(['--buffer-output-size', String(64 * 1024 * 1024)]);
    const c = await connect(server.cli.port);
    // Stop reading: the server's output for this client backs up.
    const socket = (c.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    c.ws.send('big:3000000');
    c.ws.send('big:3000001');
    c.ws.send(`s:${++c.sent}`);
    await new Promise((r) => setTimeout(r, 500));
    server.setVersion('v2');
    const r = await server.reload();
    expect(r.code, r.stderr).toBe(0);
    socket.resume();
    await until(() => c.echoes.length === 1, 20_000, 'everything queued');
    expect(c.other.filter((t) => t.startsWith('binary:'))).toEqual(['binary:3000000', 'binary:3000001']);
    expect(c.echoes).toEqual([1]);
    expect([...c.answeredBy]).toEqual([`v1/${c.pid}`]);
    c.ws.send(`s:${++c.sent}`);
    await until(() => c.echoes.length === 2, 10_000, 'the echo after the move');
    expect([...c.answeredBy][1]).toMatch(/^v2\//);
    expect(c.closes).toEqual([]);
  }, 60_000);

  it('handshakes in flight during a reload all complete and keep working', async () => {
    const server = await startReloadServer();
    const first = await connect(server.cli.port);
    server.setVersion('v2');
    const reloading = server.reload();
    // Connections opened all through the reload: none refused, every one served.
    const clients: Client[] = [];
    const deadline = Date.now() + 4000;
    while (Date.now() < deadline) {
      clients.push(...(await Promise.all(Array.from({ length: 10 }, () => connect(server.cli.port)))));
      await new Promise((r) => setTimeout(r, 50));
    }
    const r = await reloading;
    expect(r.code, r.stderr).toBe(0);
    for (const c of [first, ...clients]) c.ws.send(`s:${++c.sent}`);
    await until(() => [first, ...clients].every((c) => c.echoes.length === 1), 20_000, 'every echo');
    for (const c of [first, ...clients]) {
      expect(c.closes).toEqual([]);
      expect([...c.answeredBy][0]).toMatch(/^v2\//);
    }
    expect(clients.length).toBeGreaterThan(50);
  }, 60_000);

  it('SIGUSR1 to the master reloads too', async () => {
    const server = await startReloadServer();
    const c = await connect(server.cli.port);
    server.setVersion('v2');
    server.cli.proc.kill('SIGUSR1');
    await until(() => server.cli.logs().filter((l) => l.event === 'reloaded-slot').length === 2, 30_000, 'both slots reloaded');
    expect((await whoami(c)).version).toBe('v2');
    expect(c.closes).toEqual([]);
  }, 60_000);
});
