import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type Running } from '../helpers/server.ts';

let srv: Running | undefined;
afterEach(async () => {
  await srv?.stop();
  srv = undefined;
});

/** 101, or the status the server refused the handshake with. */
function handshake(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

describe('allowedOrigins over a real socket', () => {
  it('another origin gets 403 before the handshake hook runs; listed ones and no Origin get 101', async () => {
    let hooks = 0;
    srv = await startServer({ allowedOrigins: ['https://app.example.com', 'https://*.example.org'] }, (s) => {
      s.on('handshake', () => void hooks++);
    });
    expect(await handshake(srv.url, 'https://evil.example.net')).toBe(403);
    expect(await handshake(srv.url, 'http://app.example.com')).toBe(403);
    expect(hooks).toBe(0);
    expect(await handshake(srv.url, 'https://app.example.com')).toBe(101);
    expect(await handshake(srv.url, 'https://chat.example.org')).toBe(101);
    expect(await handshake(srv.url, undefined)).toBe(101);
    expect(hooks).toBe(3);
  });

  it('requireOrigin refuses a handshake without Origin', async () => {
    srv = await startServer({ allowedOrigins: ['https://app.example.com'], requireOrigin: true });
    expect(await handshake(srv.url, undefined)).toBe(403);
    expect(await handshake(srv.url, 'https://app.example.com')).toBe(101);
  });

  it('no list: every origin is let in, as ws does', async () => {
    srv = await startServer({});
    expect(await handshake(srv.url, 'https://evil.example.net')).toBe(101);
  });
});
