/**
 * TLS behind a PROXY-protocol proxy (HAProxy `mode tcp` + `send-proxy-v2` in front of a wss
 * port): the master reads the PROXY header, any TLS bytes it read past it travel with the
 * hand-off, and the worker's TLS socket reports the declared client with the proxy visible.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProxyV1, encodeProxyV2 } from '../../src/shared/proxy/proxy-protocol.ts';
import { ServerFrameReader } from '../../scripts/lib/frames.ts';
import { responseHead, upgradeRequest } from '../../scripts/lib/upgrade.ts';
import { killAll, startCli, type CliProcess } from '../helpers/process.ts';
import { makePki, type Pki } from '../helpers/tls-certs.ts';

interface Hello {
  remoteAddress: string;
  remotePort: number;
  proxyAddress: string | null;
  info: { remoteAddress: string; proxyAddress: string | null } | null;
}

/** PROXY header, then (after `gapMs`, or at once) a TLS client on the same socket; resolves with the app's hello. */
function helloOverTls(port: number, ca: string, header: Buffer, gapMs: number): Promise<Hello> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no hello within 8 s')), 8000);
    const raw: Socket = netConnect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    raw.on('error', reject);
    raw.once('connect', () => {
      raw.write(header);
      const startTls = () => {
        const tls = tlsConnect({ socket: raw, ca, servername: 'localhost' }, () => tls.write(upgradeRequest('/')));
        tls.on('error', reject);
        let buf = Buffer.alloc(0);
        let reader: ServerFrameReader | null = null;
        tls.on('data', (d: Buffer) => {
          let frames;
          if (reader === null) {
            buf = Buffer.concat([buf, d]);
            const head = responseHead(buf);
            if (head === null) return;
            if (head.status !== 101) return reject(new Error(`status ${head.status}`));
            reader = new ServerFrameReader();
            frames = reader.push(Buffer.from(head.rest));
          } else frames = reader.push(d);
          if (frames.length > 0) {
            clearTimeout(timer);
            tls.destroy();
            resolve(JSON.parse(frames[0]!.payload.toString()) as Hello);
          }
        });
      };
      if (gapMs === 0) startTls();
      else setTimeout(startTls, gapMs);
    });
  });
}

afterAll(() => killAll());

describe('wss behind a PROXY protocol proxy', () => {
  let pki: Pki;
  let cli: CliProcess;
  beforeAll(async () => {
    pki = makePki();
    const cert = pki.server('main', ['localhost', '127.0.0.1']);
    cli = await startCli(['--port', '0', '--app', 'test/fixtures/proxy-app.ts', '--workers', '2', '--trust-proxy', '127.0.0.1', '--proxy-protocol', '--ssl-cert-file', cert.cert, '--ssl-key-file', cert.key, '--log-level', 'warn'], 40_000);
  });
  afterAll(() => pki?.cleanup());

  const client = { address: '203.0.113.7', port: 40001 };
  const server = { address: '127.0.0.1', port: 443 };
  it.each([
    ['v1, TLS hello right behind the header', () => encodeProxyV1(client, server), 0],
    ['v1, TLS hello in a later write', () => encodeProxyV1(client, server), 60],
    ['v2, TLS hello right behind the header', () => encodeProxyV2(client, server), 0],
  ])('%s: the app sees the declared client, the proxy stays visible', async (_name, header, gapMs) => {
    const hello = await helloOverTls(cli.port, pki.ca, header(), gapMs);
    expect(hello.remoteAddress).toBe(client.address);
    expect(hello.remotePort).toBe(client.port);
    expect(hello.proxyAddress).toBe('127.0.0.1');
    expect(hello.info).toMatchObject({ remoteAddress: client.address, proxyAddress: '127.0.0.1' });
  });
});
