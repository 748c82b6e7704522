import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Server } from '../../src/worker/server.ts';
import { RawClient, startServer, until, upgradeRequest, type Running } from '../helpers/server.ts';

let srv: Running | undefined;
afterEach(async () => {
  await srv?.stop();
  srv = undefined;
});

function refusal(url: string, opts: WebSocket.ClientOptions = {}, protocols?: string[]): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, opts);
    ws.on('open', () => reject(new Error('unexpectedly accepted')));
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
  });
}

function open(url: string, protocols?: string[], opts: WebSocket.ClientOptions = {}): Promise<{ ws: WebSocket; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, opts);
    let headers: Record<string, unknown> = {};
    ws.once('upgrade', (res) => (headers = res.headers));
    ws.once('open', () => resolve({ ws, headers }));
    ws.once('error', reject);
  });
}

describe('handshake hook', () => {
  it('routes: 404 for an unknown path, with the body the hook wrote', async () => {
    srv = await startServer({}, (s) =>
      s.on('handshake', (req, res) => {
        if (req.path !== '/chat') res.status(404).end('unknown route');
      }),
    );
    const r = await refusal(`${srv.url}/other`);
    expect(r.status).toBe(404);
    expect(r.body).toBe('unknown route');
  });

  it('an async hook that never settles: 503 with Retry-After after handshakeHookTimeoutMs, the socket not held; a late answer is ignored', async () => {
    let settleLate: (() => void) | undefined;
    srv = await startServer({ handshakeHookTimeoutMs: 200 }, (s) =>
      s.on('handshake', (req) =>
        req.path === '/late'
          ? new Promise<void>((resolve) => (settleLate = resolve))
          : new Promise<void>(() => {}),
      ),
    );
    const t0 = Date.now();
    const r = await refusal(`${srv.url}/stuck`);
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await until(() => srv!.server.localStats().pendingHandshakes === 0, 2000);
    // The hook settles after its deadline: nothing more is written, nothing thrown.
    const late = await refusal(`${srv.url}/late`);
    expect(late.status).toBe(503);
    settleLate?.();
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.server.localStats().connections).toBe(0);
  });

  it('async auth: 401 for a bad token, accept for a good one, with query, cookies and headers visible', async () => {
    const seen: Array<Record<string, unknown>> = [];
    srv = await startServer({}, (s) =>
      s.on('handshake', async (req, res) => {
        seen.push({ query: req.query, cookies: req.cookies, ua: req.headers['user-agent'], uri: req.request_uri, port: req.remotePort, addr: req.remoteAddress });
        await new Promise((r) => setTimeout(r, 20));
        if (req.query.token !== 'good') {
          res.status(401).header('WWW-Authenticate', 'Bearer').end('bad token');
          return;
        }
        res.header('Set-Cookie', 'a=1').header('Set-Cookie', 'b=2');
      }),
    );
    const bad = await refusal(`${srv.url}/chat?token=bad`);
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer');
    const { ws, headers } = await open(`${srv.url}/chat?token=good&x=1`, undefined, { headers: { Cookie: 'sid=abc%20d; theme=dark', 'User-Agent': 'vitest' } });
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(seen[1]).toMatchObject({ query: { token: 'good', x: '1' }, cookies: { sid: 'abc d', theme: 'dark' }, ua: 'vitest', uri: '/chat?token=good&x=1', addr: '127.0.0.1' });
    ws.close();
  });

  it('returning false refuses with 403; a throwing hook gives 500 and the server keeps serving', async () => {
    srv = await startServer({}, (s) =>
      s.on('handshake', (req) => {
        if (req.path === '/throw') throw new Error('boom');
        return req.path !== '/deny' ? undefined : false;
      }),
    );
    expect((await refusal(`${srv.url}/deny`)).status).toBe(403);
    expect((await refusal(`${srv.url}/throw`)).status).toBe(500);
    const { ws } = await open(`${srv.url}/ok`);
    ws.close();
  });

  it('subprotocol: the hook picks among offered ones; never one the client did not offer; default is the first offered', async () => {
    srv = await startServer({}, (s) =>
      s.on('handshake', (req, res) => {
        if (req.path === '/pick') res.protocol(req.protocols.includes('v2') ? 'v2' : null);
        if (req.path === '/bogus') res.header('Sec-WebSocket-Protocol', 'not-offered');
      }),
    );
    const a = await open(`${srv.url}/pick`, ['v1', 'v2']);
    expect(a.ws.protocol).toBe('v2');
    a.ws.close();
    const b = await open(`${srv.url}/bogus`);
    expect(b.headers['sec-websocket-protocol']).toBeUndefined();
    b.ws.close();
    const c = await open(`${srv.url}/default`, ['x', 'y']);
    expect(c.ws.protocol).toBe('x');
    c.ws.close();
    const d = await open(`${srv.url}/default`);
    expect(d.headers['sec-websocket-protocol']).toBeUndefined();
    d.ws.close();
  });

  it('a client that leaves while an async hook is pending is cleaned up: disconnect fires, no open, no errors', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const events: string[] = [];
    srv = await startServer({}, (s: Server) => {
      s.on('handshake', async () => {
        events.push('hook');
        await gate;
      });
      s.on('open', () => void events.push('open'));
      s.on('disconnect', (_s, fd) => void events.push(`disconnect:${fd}`));
    });
    const raw = await RawClient.connect(srv.port);
    raw.write(upgradeRequest('/x'));
    await until(() => events.includes('hook'));
    raw.close();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await until(() => events.some((e) => e.startsWith('disconnect')));
    expect(events).toEqual(['hook', 'disconnect:1']);
    expect(srv.server.localStats().pendingHandshakes).toBe(0);
    expect(srv.server.localStats().aborted).toBe(1);
    const { ws } = await open(`${srv.url}/still-works`);
    ws.close();
  });

  it('open sees the request with the agreed protocol and fires before any message', async () => {
    const events: string[] = [];
    srv = await startServer({}, (s) => {
      s.on('open', (srv2, req) => {
        events.push(`open:${req.fd}:${req.path}:${req.protocol}`);
        srv2.push(req.fd, 'welcome');
      });
      s.on('message', (_s, f) => void events.push(`message:${f.data as string}`));
    });
    const ws = new WebSocket(`${srv.url}/room?id=1`, ['p']);
    // 'welcome' may arrive in the same read as the 101: listen before the open event.
    const first = await new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
    expect(first).toBe('welcome');
    ws.send('hi');
    await until(() => events.length === 2);
    expect(events).toEqual(['open:1:/room:p', 'message:hi']);
    ws.close();
  });
});

describe('handshake validation on the wire', () => {
  async function statusFor(request: string, config = {}): Promise<{ status: number; headers: Record<string, string> }> {
    srv ??= await startServer(config);
    const raw = await RawClient.connect(srv.port);
    raw.write(request);
    const h = await raw.head();
    await until(() => raw.closed || raw.ended, 3000, 'server to close the refused connection');
    raw.close();
    return h;
  }

  it('405 with Allow for a non-GET upgrade', async () => {
    const r = await statusFor(upgradeRequest('/').replace('GET', 'POST'));
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET');
  });

  it('400 for HTTP/1.0, a bad key, a bad Upgrade value and a missing Connection upgrade token', async () => {
    expect((await statusFor(upgradeRequest('/').replace('HTTP/1.1', 'HTTP/1.0'))).status).toBe(400);
    expect((await statusFor(upgradeRequest('/', { 'Sec-WebSocket-Key': 'c2hvcnQ=' }))).status).toBe(400);
    expect((await statusFor(upgradeRequest('/', { Upgrade: 'h2c' }))).status).toBe(400);
    expect((await statusFor(upgradeRequest('/', { Connection: 'keep-alive' }))).status).toBe(400);
    expect((await statusFor(upgradeRequest('/', { Host: '' }))).status).toBe(400);
  });

  it('426 with Sec-WebSocket-Version: 13 for another version', async () => {
    const r = await statusFor(upgradeRequest('/', { 'Sec-WebSocket-Version': '8' }));
    expect(r.status).toBe(426);
    expect(r.headers['sec-websocket-version']).toBe('13');
  });

  it('431 for oversized headers', async () => {
    const r = await statusFor(upgradeRequest('/', { 'X-Big': 'a'.repeat(20_000) }), { maxHeaderSize: 8192 });
    expect(r.status).toBe(431);
  });

  it('426 with Upgrade: websocket for a plain HTTP request when no request callback is set', async () => {
    srv = await startServer();
    const res = await fetch(`http://127.0.0.1:${srv.port}/`);
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
  });

  it('503 beyond maxConnection; accepted again once a connection closes', async () => {
    srv = await startServer({ maxConnection: 1 });
    const first = await open(`${srv.url}/a`);
    expect((await refusal(`${srv.url}/b`)).status).toBe(503);
    first.ws.close();
    await until(() => srv!.server.localStats().connections === 0);
    const again = await open(`${srv.url}/c`);
    again.ws.close();
  });

  it('slowloris: an upgrade request that never completes gets 408 and is closed at the deadline', async () => {
    srv = await startServer({ handshakeTimeoutMs: 300 });
    const raw = await RawClient.connect(srv.port);
    raw.write('GET /echo HTTP/1.1\r\nHost: x\r\n');
    const t0 = Date.now();
    const timer = setInterval(() => raw.write('X-Slow: 1\r\n'), 50);
    await until(() => raw.closed, 3000, 'slowloris socket to be closed');
    clearInterval(timer);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(raw.data.toString()).toMatch(/^HTTP\/1.1 408/);
  });
});
