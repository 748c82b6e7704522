import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import defaultApp from '../../src/worker/default-app.ts';
import type { Server } from '../../src/worker/server.ts';
import { clientFrame, ServerFrameReader } from '../../scripts/lib/frames.ts';
import { RawClient, startServer, until, upgradeRequest, type Running } from '../helpers/server.ts';

/**
 * Where the RFCs say MUST, on real sockets with the default app: whichever parser reads the
 * request (our head reader for a plain upgrade, Node's for the rest), the answer is the same.
 */
describe('strict where the RFCs are', () => {
  let srv: Running;
  const seen: Array<{ path: string; host: string | undefined }> = [];
  beforeAll(async () => {
    srv = await startServer({}, (s: Server) => {
      defaultApp(s);
      // The default app's routing (the last hook registered wins), and what each upgrade showed.
      s.on('handshake', (req, res) => {
        seen.push({ path: req.path, host: req.headers.host });
        if (req.path !== '/echo' && req.path !== '/chat') res.status(404).end('no WebSocket endpoint at this path');
      });
    });
  });
  afterAll(() => srv.stop());

  async function answer(request: string | Buffer): Promise<{ status: number; headers: Record<string, string>; raw: RawClient }> {
    const raw = await RawClient.connect(srv.port);
    raw.write(request);
    const head = await raw.head();
    return { status: head.status, headers: head.headers, raw };
  }

  it('two Host lines: 400, through either parser (RFC 9112 §3.2)', async () => {
    const upgrade = await answer(upgradeRequest('/echo').replace('\r\n\r\n', '\r\nHost: other.example\r\n\r\n'));
    expect(upgrade.status).toBe(400);
    const plain = await answer('GET /stats HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n');
    expect(plain.status).toBe(400);
    for (const r of [upgrade, plain]) await until(() => r.raw.closed, 3000, 'the connection to be closed');
  });

  it('a Host that is not uri-host[:port]: 400', async () => {
    expect((await answer(upgradeRequest('/echo', { Host: 'a b' }))).status).toBe(400);
    expect((await answer('GET /stats HTTP/1.1\r\nHost: a/b\r\n\r\n')).status).toBe(400);
  });

  it('HTTP/2.0, HTTP/0.9 and HTTP/3.0 request lines: 505, upgrade or not (RFC 9110 §15.6.6)', async () => {
    for (const version of ['2.0', '0.9', '3.0']) {
      const upgrade = await answer(upgradeRequest('/echo').replace('HTTP/1.1', `HTTP/${version}`));
      expect([version, upgrade.status]).toEqual([version, 505]);
      const plain = await answer(`GET /stats HTTP/${version}\r\nHost: x\r\n\r\n`);
      expect([version, plain.status]).toEqual([version, 505]);
      await until(() => upgrade.raw.closed && plain.raw.closed, 3000, 'the connections to be closed');
    }
  });

  it('HTTP/1.0 upgrades stay 400, HTTP/1.0 plain requests are served', async () => {
    expect((await answer(upgradeRequest('/echo').replace('HTTP/1.1', 'HTTP/1.0'))).status).toBe(400);
    expect((await answer('GET /stats HTTP/1.0\r\n\r\n')).status).toBe(200);
  });

  it('an absolute-form upgrade routes on its path; its authority is the host (RFC 9112 §3.2.2)', async () => {
    const r = await answer(upgradeRequest('http://ws.example:9501/echo?x=1', { Host: 'ignored.example' }));
    expect(r.status).toBe(101);
    expect(seen.at(-1)).toEqual({ path: '/echo', host: 'ws.example:9501' });
    // A live echo connection, not just a status line.
    r.raw.data = Buffer.from(r.raw.responseHead()!.rest);
    r.raw.write(clientFrame(0x1, 'absolute'));
    await until(() => new ServerFrameReader().push(Buffer.from(r.raw.data)).length > 0, 3000, 'the echo');
    expect(new ServerFrameReader().push(Buffer.from(r.raw.data))[0]!.payload.toString()).toBe('absolute');
    r.raw.close();
  });

  it('an absolute-form plain request routes on its path; userinfo in it is 400', async () => {
    const r = await answer('GET http://ws.example/stats HTTP/1.1\r\nHost: ws.example\r\n\r\n');
    expect(r.status).toBe(200);
    r.raw.close();
    expect((await answer('GET http://user@ws.example/stats HTTP/1.1\r\nHost: ws.example\r\n\r\n')).status).toBe(400);
  });

  it('a plain request to a WebSocket path: 426 with Upgrade: websocket (RFC 6455 §4.2.2, RFC 9110 §15.5.22)', async () => {
    for (const path of ['/echo', '/chat', '/echo?room=1']) {
      const res = await fetch(`http://127.0.0.1:${srv.port}${path}`);
      expect([path, res.status]).toEqual([path, 426]);
      expect(res.headers.get('upgrade')).toBe('websocket');
      expect(res.headers.get('connection')).toMatch(/upgrade/i);
    }
    expect((await fetch(`http://127.0.0.1:${srv.port}/nowhere`)).status).toBe(404);
  });

  it('a bad second request on a keep-alive connection gets the same answers', async () => {
    const raw = await RawClient.connect(srv.port);
    raw.write('GET /stats HTTP/1.1\r\nHost: x\r\n\r\nGET /stats HTTP/2.0\r\nHost: x\r\n\r\n');
    await until(() => raw.closed, 5000, 'the connection to be closed after the 505');
    expect([...raw.data.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1])).toEqual(['200', '505']);
  });
});
