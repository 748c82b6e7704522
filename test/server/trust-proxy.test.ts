/**
 * trustProxy in a single-process server (Server.listen()): the handshake hook, `open`,
 * getClientInfo and the request callback see the client of a trusted proxy's X-Forwarded-For;
 * an untrusted peer's header is ignored; proxyProtocol is refused without the cluster; bad
 * trust lists stop the start.
 */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/shared/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { Server } from '../../src/worker/server.ts';
import { startServer, type Running } from '../helpers/server.ts';

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function seen(port: number, headers: Record<string, string>, localAddress = '127.0.0.1'): Promise<{ hook: string; open: unknown }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers, localAddress });
  // Both listeners first: the 101 and the first message may arrive in one read.
  const hooked = new Promise<string>((resolve, reject) => {
    ws.once('upgrade', (res) => resolve(String(res.headers['x-seen'])));
    ws.once('error', reject);
  });
  const opened = new Promise<unknown>((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))));
  const [hook, open] = await Promise.all([hooked, opened]);
  ws.close();
  return { hook, open };
}

describe('trustProxy in one process', () => {
  it('a trusted peer\'s X-Forwarded-For gives remoteAddress everywhere; an untrusted one\'s is ignored', async () => {
    running = await startServer({ trustProxy: '127.0.0.1' }, (server) => {
      server.on('handshake', (request, response) => void response.header('X-Seen', `${request.remoteAddress}|${request.proxyAddress}`));
      server.on('open', async (srv, request) => {
        const info = await srv.getClientInfo(request.fd);
        srv.push(request.fd, JSON.stringify({ remote: request.remoteAddress, proxy: request.proxyAddress, info: [info?.remoteAddress, info?.proxyAddress] }));
      });
      server.on('request', (req, res) => void res.end(JSON.stringify({ remote: req.remoteAddress, proxy: req.proxyAddress })));
    });
    const trusted = await seen(running.port, { 'X-Forwarded-For': '6.6.6.6, 198.51.100.7' });
    expect(trusted).toEqual({ hook: '198.51.100.7|127.0.0.1', open: { remote: '198.51.100.7', proxy: '127.0.0.1', info: ['198.51.100.7', '127.0.0.1'] } });
    const untrusted = await seen(running.port, { 'X-Forwarded-For': '6.6.6.6' }, '127.0.0.3');
    expect(untrusted).toEqual({ hook: '127.0.0.3|null', open: { remote: '127.0.0.3', proxy: null, info: ['127.0.0.3', null] } });
    const res = await fetch(`http://127.0.0.1:${running.port}/`, { headers: { 'X-Forwarded-For': '198.51.100.8' } });
    expect(await res.json()).toEqual({ remote: '198.51.100.8', proxy: '127.0.0.1' });
  });

  it('without trustProxy nobody is believed', async () => {
    running = await startServer({}, (server) => {
      server.on('open', (srv, request) => void srv.push(request.fd, JSON.stringify({ remote: request.remoteAddress, proxy: request.proxyAddress })));
      server.on('handshake', (_request, response) => void response.header('X-Seen', '-'));
    });
    expect((await seen(running.port, { 'X-Forwarded-For': '198.51.100.7' })).open).toEqual({ remote: '127.0.0.1', proxy: null });
  });

  it('proxyProtocol needs the cluster and trustProxy; a bad trust list names its entries', async () => {
    const server = new Server({ port: 0, trustProxy: '127.0.0.1', proxyProtocol: true });
    await expect(server.listen(0, '127.0.0.1')).rejects.toThrow(ConfigError);
    expect(() => resolveConfig({ proxyProtocol: true })).toThrow(/proxyProtocol.*needs trustProxy/);
    expect(() => resolveConfig({ trustProxy: '10.0.0.0/8, 10.0.0.0/40, bogus' })).toThrow(/"10\.0\.0\.0\/40", "bogus"/);
    expect(resolveConfig({ trustProxy: 'loopback', proxyProtocol: true, proxyHeaderTimeoutMs: 100 }).proxyHeaderTimeoutMs).toBe(100);
    // A config file may list the proxies as an array.
    expect(resolveConfig({ trustProxy: ['10.0.0.0/8', '192.168.1.7'] }).trustProxy).toBe('10.0.0.0/8,192.168.1.7');
    expect(() => resolveConfig({ trustProxy: ['10.0.0.0/8', 'bogus'] })).toThrow(/"bogus"/);
  });
});
