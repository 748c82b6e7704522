/**
 * maxRequest recycling and drain (issue 16 §2), with real processes and clients.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { killAll, runCli } from '../helpers/process.ts';
import { connect, startReloadServer, until, type Client } from './reload-helpers.ts';

afterEach(() => killAll());

describe('recycling and draining', () => {
  it('maxRequest under load: workers are replaced again and again, no client notices', async () => {
    const server = await startReloadServer(['--max-request', '400']);
    const clients: Client[] = [];
    for (let i = 0; i < 30; i++) clients.push(await connect(server.cli.port));
    const traffic = setInterval(() => {
      for (const c of clients) c.ws.send(`s:${++c.sent}`);
    }, 10);
    await until(() => server.cli.logs().filter((l) => l.event === 'recycled').length >= 3, 60_000, 'three recycles');
    clearInterval(traffic);
    await until(() => clients.every((c) => c.echoes.length === c.sent), 20_000, 'every echo');
    for (const c of clients) {
      expect(c.closes).toEqual([]);
      expect(c.echoes).toEqual(Array.from({ length: c.sent }, (_, i) => i + 1));
      expect(c.other.filter((t) => t.startsWith('bad'))).toEqual([]);
    }
    // Answered by more than one process: the connections moved.
    expect(clients.some((c) => new Set([...c.answeredBy]).size > 1)).toBe(true);
    expect(server.cli.logs().filter((l) => l.event === 'recycle-failed')).toEqual([]);
  }, 120_000);

  it('drain: every client gets 1012, the closes spread over the window, new connections get 503, /readyz answers 503 (draining)', async () => {
    const server = await startReloadServer(['--admin-port', '0']);
    const admin = server.cli.logs().find((l) => l.event === 'admin-listening')?.port as number;
    const readyz = async () => {
      const res = await fetch(`http://127.0.0.1:${admin}/readyz`);
      return { status: res.status, body: (await res.json()) as { ready: boolean; reason: string | null } };
    };
    expect(await readyz()).toMatchObject({ status: 200, body: { ready: true, reason: null } });
    const clients: Client[] = [];
    for (let i = 0; i < 40; i++) clients.push(await connect(server.cli.port));
    const closedAt: number[] = [];
    for (const c of clients) c.ws.on('close', () => closedAt.push(Date.now()));
    const started = Date.now();
    const drain = runCli(['drain', '--pid-file', server.pidFile, '--drain-seconds', '2'], 30_000);
    await until(() => closedAt.length > 0, 5_000, 'the first close');
    // Draining: a new connection is refused with 503.
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.cli.port}/`);
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', (err) => resolve(err.message));
      ws.on('open', () => resolve('open'));
    });
    expect(refused).toBe('503');
    // A load balancer's probe says so too, during the window and after it (the node stays up, refusing).
    expect(await readyz()).toMatchObject({ status: 503, body: { ready: false, reason: 'draining' } });
    const r = await drain;
    expect(r.code, r.stderr).toBe(0);
    await until(() => closedAt.length === 40, 10_000, 'every close');
    expect(clients.map((c) => c.closes)).toEqual(clients.map(() => [1012]));
    // Spread over the 2 s window: not all at once, not later than the window (plus slack).
    closedAt.sort((a, b) => a - b);
    const span = closedAt.at(-1)! - closedAt[0]!;
    expect(span).toBeGreaterThan(1200);
    expect(closedAt.at(-1)! - started).toBeLessThan(4000);
    const median = closedAt[20]! - closedAt[0]!;
    expect(median).toBeGreaterThan(span * 0.25);
    expect(median).toBeLessThan(span * 0.75);
    expect(await readyz()).toMatchObject({ status: 503, body: { ready: false, reason: 'draining' } });
  }, 60_000);
});
