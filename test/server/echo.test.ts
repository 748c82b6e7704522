import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import echoApp from '../../src/worker/default-app.ts';
import { startServer, type Running } from '../helpers/server.ts';

function open(url: string, opts: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
}

describe('echo app with the ws client', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await startServer({}, echoApp);
  });
  afterAll(() => srv.stop());

  it('echoes text as text and binary as binary', async () => {
    const ws = await open(`${srv.url}/echo`, { perMessageDeflate: false });
    ws.send('héllo wörld ✓');
    const text = await nextMessage(ws);
    expect(text.isBinary).toBe(false);
    expect(text.data.toString()).toBe('héllo wörld ✓');
    ws.send(Buffer.from([0, 1, 2, 255]));
    const bin = await nextMessage(ws);
    expect(bin.isBinary).toBe(true);
    expect([...bin.data]).toEqual([0, 1, 2, 255]);
    ws.close();
  });

  it('echoes a 1 MiB message', async () => {
    const ws = await open(`${srv.url}/echo`, { perMessageDeflate: false });
    const big = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    ws.send(big);
    const got = await nextMessage(ws);
    expect(got.data.equals(big)).toBe(true);
    ws.close();
  });

  it('negotiates permessage-deflate and echoes compressed messages both ways', async () => {
    const ws = await open(`${srv.url}/echo`, { perMessageDeflate: { threshold: 0 } });
    expect(ws.extensions).toContain('permessage-deflate');
    const payload = 'compress me '.repeat(5000);
    for (let i = 0; i < 3; i++) {
      // several messages: the context is taken over between them
      ws.send(payload + i);
      const got = await nextMessage(ws);
      expect(got.data.toString()).toBe(payload + i);
    }
    const info = srv.server.localClientInfo([...srv.server.connections][0]!);
    // 15 KB of repetitive text each way compresses to a few hundred bytes
    expect(info!.bytesIn).toBeLessThan(5000);
    expect(info!.bytesOut).toBeLessThan(5000);
    ws.close();
  });

  it('keeps order across many pipelined messages, some compressed and some not', async () => {
    const ws = await open(`${srv.url}/echo`, { perMessageDeflate: { threshold: 0 } });
    const got: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (d: Buffer) => {
        got.push(d.toString());
        if (got.length === 200) resolve();
      }),
    );
    const sent: string[] = [];
    for (let i = 0; i < 200; i++) {
      const m = i % 3 === 0 ? `${i}:${'x'.repeat(3000)}` : `${i}`;
      sent.push(m);
      ws.send(m);
    }
    await done;
    expect(got).toEqual(sent);
    ws.close();
  });

  it('refuses other paths with 404 in the handshake', async () => {
    const ws = new WebSocket(`${srv.url}/nope`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });

  it('serves the page at GET / and 404 elsewhere', async () => {
    const page = await fetch(`http://127.0.0.1:${srv.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/echo');
    expect((await fetch(`http://127.0.0.1:${srv.port}/missing`)).status).toBe(404);
  });
});
