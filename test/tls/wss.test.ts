import { copyFileSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import echoApp from '../../src/worker/default-app.ts';
import type { ClientInfo } from '../../src/worker/app-contract.ts';
import { startServer, until, type Running } from '../helpers/server.ts';
import { makePki, type CertPaths, type Pki } from '../helpers/tls-certs.ts';

/** Opens a wss:// client and resolves once it is open (rejects on a failed handshake). */
function openWss(url: string, options: WebSocket.ClientOptions): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function echo(ws: WebSocket, data: string | Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    ws.once('message', (d: Buffer) => resolve(d));
    ws.send(data);
  });
}

function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => {
    ws.once('close', (code) => resolve(code));
    ws.close(1000);
  });
}

/** The certificate a TLS client is served (`servername`: its SNI; none when undefined). */
function servedCert(port: number, ca: string, servername?: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({ host: '127.0.0.1', port, ca, ...(servername !== undefined ? { servername } : {}), rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      resolve(cert);
    });
    socket.once('error', reject);
  });
}

/** The info of the connection the server saw open last (the app records them). */
function recordInfos(server: Running['server'], infos: ClientInfo[]): void {
  server.on('open', async (srv, req) => {
    const info = await srv.getClientInfo(req.fd);
    if (info) infos.push(info);
  });
}

let pki: Pki;
let main: CertPaths;
beforeAll(() => {
  pki = makePki();
  main = pki.server('main', ['localhost', '127.0.0.1']);
});
afterAll(() => pki.cleanup());

describe('wss:// and https:// on one port (sslCertFile, sslKeyFile)', () => {
  let srv: Running;
  const infos: ClientInfo[] = [];
  beforeAll(async () => {
    srv = await startServer({ sslCertFile: main.cert, sslKeyFile: main.key }, (server) => {
      echoApp(server);
      recordInfos(server, infos);
    });
  });
  afterAll(() => srv.stop());

  it('a ws client trusting the CA echoes over wss, and getClientInfo reports the TLS version and cipher', async () => {
    const ws = await openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca });
    expect((await echo(ws, 'over tls')).toString()).toBe('over tls');
    const big = Buffer.alloc(300_000, 7);
    expect((await echo(ws, big)).equals(big)).toBe(true);
    await until(() => infos.length > 0, 2000, 'open');
    expect(infos[0]!.tls?.version).toBe('TLSv1.3');
    expect(infos[0]!.tls?.cipher).toMatch(/^TLS_/);
    expect(infos[0]!.tls?.peerSubject).toBeUndefined();
    expect(await closed(ws)).toBe(1000);
  });

  it('permessage-deflate over TLS: compressed both ways', async () => {
    const ws = await openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca, perMessageDeflate: { threshold: 0 } });
    expect(ws.extensions).toContain('permessage-deflate');
    const text = 'compress me '.repeat(5000);
    expect((await echo(ws, text)).toString()).toBe(text);
    expect(await closed(ws)).toBe(1000);
  });

  it('a client that does not trust the certificate fails the handshake', async () => {
    await expect(openWss(`wss://localhost:${srv.port}/echo`, {})).rejects.toThrow(/self.signed|unable to verify|local issuer/i);
  });

  it('plain HTTP requests over TLS reach the request callback (https://)', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpsGet({ host: '127.0.0.1', port: srv.port, path: '/', ca: pki.ca, servername: 'localhost' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    expect(status).toBe(200);
    expect(body).toContain('<html');
  });
});

describe('the TLS handshake has a deadline', () => {
  it('a client that opens TCP and never finishes TLS counts as pending and is closed at handshakeTimeoutMs', async () => {
    const srv = await startServer({ sslCertFile: main.cert, sslKeyFile: main.key, handshakeTimeoutMs: 500 }, echoApp);
    try {
      const socket = netConnect(srv.port, '127.0.0.1');
      socket.on('error', () => {});
      let received = 0;
      socket.on('data', (d: Buffer) => (received += d.length));
      const closedSocket = new Promise((r) => socket.once('close', r));
      await new Promise((r) => socket.once('connect', r));
      // Half a ClientHello: the record header promises more.
      socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
      await until(() => srv.server.localStats().pendingHandshakes === 1, 2000, 'pending');
      await closedSocket;
      expect(received).toBe(0); // no plaintext 408 on a TLS port
      await until(() => srv.server.localStats().pendingHandshakes === 0, 2000, 'no longer pending');
    } finally {
      await srv.stop();
    }
  });
});

describe('not TLS on a TLS port', () => {
  it('a plain HTTP request is closed at once, never reaches the app, and the server goes on', async () => {
    let requests = 0;
    const srv = await startServer({ sslCertFile: main.cert, sslKeyFile: main.key }, (server) => {
      echoApp(server);
      server.on('request', () => void requests++);
    });
    try {
      const socket = netConnect(srv.port, '127.0.0.1');
      socket.on('error', () => {});
      const closedSocket = new Promise((r) => socket.once('close', r));
      socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await closedSocket;
      await until(() => srv.server.localStats().pendingHandshakes === 0, 2000, 'no longer pending');
      expect(requests).toBe(0);
      const ws = await openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca });
      expect((await echo(ws, 'still serving')).toString()).toBe('still serving');
      expect(await closed(ws)).toBe(1000);
    } finally {
      await srv.stop();
    }
  });
});

describe('SNI (sslSniCerts)', () => {
  let srv: Running;
  let a: CertPaths;
  let b: CertPaths;
  beforeAll(async () => {
    a = pki.server('a', ['a.example.test']);
    b = pki.server('b', ['b.example.test', '*.wild.example.test']);
    // The flag's form (HOST=CERT:KEY,...), as a CLI user gives it.
    srv = await startServer({ sslCertFile: main.cert, sslKeyFile: main.key, sslSniCerts: `a.example.test=${a.cert}:${a.key},*.wild.example.test=${b.cert}:${b.key}` } as never, echoApp);
  });
  afterAll(() => srv.stop());

  it('each host name gets its certificate; others and no SNI get sslCertFile', async () => {
    expect((await servedCert(srv.port, pki.ca, 'a.example.test')).fingerprint256).toBe(a.fingerprint);
    expect((await servedCert(srv.port, pki.ca, 'x.wild.example.test')).fingerprint256).toBe(b.fingerprint);
    expect((await servedCert(srv.port, pki.ca, 'A.EXAMPLE.TEST')).fingerprint256).toBe(a.fingerprint);
    expect((await servedCert(srv.port, pki.ca, 'other.example.test')).fingerprint256).toBe(main.fingerprint);
    expect((await servedCert(srv.port, pki.ca)).fingerprint256).toBe(main.fingerprint);
  });

  it('a ws client connecting by host name verifies the certificate of that name', async () => {
    const ws = await openWss(`wss://127.0.0.1:${srv.port}/echo`, { ca: pki.ca, servername: 'a.example.test' } as WebSocket.ClientOptions);
    expect((await echo(ws, 'sni')).toString()).toBe('sni');
    expect(await closed(ws)).toBe(1000);
  });
});

describe('client certificates (sslCaFile, sslVerifyPeer)', () => {
  let srv: Running;
  const infos: ClientInfo[] = [];
  let client: CertPaths;
  let stranger: CertPaths;
  beforeAll(async () => {
    client = pki.client('client', 'device-42', 'Acme');
    stranger = pki.selfSigned('stranger', 'intruder');
    srv = await startServer({ sslCertFile: main.cert, sslKeyFile: main.key, sslCaFile: pki.caFile, sslVerifyPeer: true }, (server) => {
      echoApp(server);
      recordInfos(server, infos);
    });
  });
  afterAll(() => srv.stop());

  it('a client with a certificate from the CA connects, and its subject is reported', async () => {
    const { readFileSync } = await import('node:fs');
    const ws = await openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca, cert: readFileSync(client.cert), key: readFileSync(client.key) });
    expect((await echo(ws, 'mtls')).toString()).toBe('mtls');
    await until(() => infos.length > 0, 2000, 'open');
    expect(infos[0]!.tls?.peerSubject).toMatchObject({ CN: 'device-42', O: 'Acme' });
    expect(await closed(ws)).toBe(1000);
  });

  it('a client without a certificate, or with one the CA did not sign, is refused', async () => {
    const { readFileSync } = await import('node:fs');
    await expect(openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca })).rejects.toThrow();
    await expect(openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca, cert: readFileSync(stranger.cert), key: readFileSync(stranger.key) })).rejects.toThrow();
    expect(infos).toHaveLength(1);
  });
});

describe('certificate reload (server.reloadTls(), what SIGHUP does in every worker)', () => {
  let srv: Running;
  let files: { cert: string; key: string };
  beforeAll(async () => {
    files = { cert: join(pki.dir, 'live.crt'), key: join(pki.dir, 'live.key') };
    copyFileSync(main.cert, files.cert);
    copyFileSync(main.key, files.key);
    srv = await startServer({ sslCertFile: files.cert, sslKeyFile: files.key }, echoApp);
  });
  afterAll(() => srv.stop());

  it('new handshakes get the new certificate, an established connection goes on; a bad file keeps the current one', async () => {
    const before = await openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca });
    expect((await servedCert(srv.port, pki.ca)).fingerprint256).toBe(main.fingerprint);

    const next = pki.server('next', ['localhost', '127.0.0.1']);
    copyFileSync(next.cert, files.cert);
    copyFileSync(next.key, files.key);
    expect(srv.server.reloadTls()).toBe(true);
    expect((await servedCert(srv.port, pki.ca)).fingerprint256).toBe(next.fingerprint);
    expect((await echo(before, 'still here')).toString()).toBe('still here');

    // A key that is not the certificate's: refused, the current certificate stays.
    copyFileSync(main.key, files.key);
    expect(srv.server.reloadTls()).toBe(false);
    writeFileSync(files.cert, 'not a certificate');
    expect(srv.server.reloadTls()).toBe(false);
    expect((await servedCert(srv.port, pki.ca)).fingerprint256).toBe(next.fingerprint);
    const after = await openWss(`wss://localhost:${srv.port}/echo`, { ca: pki.ca });
    expect((await echo(after, 'new')).toString()).toBe('new');
    expect(await closed(before)).toBe(1000);
    expect(await closed(after)).toBe(1000);
  });
});

describe('plain ws:// is unaffected', () => {
  it('getClientInfo reports tls: null', async () => {
    const infos: ClientInfo[] = [];
    const srv = await startServer({}, (server) => {
      echoApp(server);
      recordInfos(server, infos);
    });
    try {
      const ws = await openWss(`ws://127.0.0.1:${srv.port}/echo`, {});
      expect((await echo(ws, 'plain')).toString()).toBe('plain');
      await until(() => infos.length > 0, 2000, 'open');
      expect(infos[0]!.tls).toBeNull();
      expect(await closed(ws)).toBe(1000);
    } finally {
      await srv.stop();
    }
  });
});

describe('the hand-off address', () => {
  it('a TLS socket reports the address the master handed over with the descriptor, as a plain one does', async () => {
    const { TlsTerminator } = await import('../../src/worker/handshake/tls-terminator.ts');
    const { createServer, connect } = await import('node:net');
    const { pino } = await import('pino');
    const terminator = new TlsTerminator({ sslCertFile: main.cert, sslKeyFile: main.key, sslCaFile: undefined, sslVerifyPeer: false, sslSniCerts: undefined, sslMinVersion: 'TLSv1.2' }, pino({ level: 'silent' }));
    const accepted = new Promise<import('node:net').Socket>((resolve) => {
      const listener = createServer({ pauseOnConnect: true }, (s) => {
        listener.close();
        resolve(s);
      }).listen(0, '127.0.0.1', () => {
        const client = connect((listener.address() as { port: number }).port, '127.0.0.1');
        client.on('error', () => {});
        void accepted.then(() => client.destroy());
      });
    });
    const raw = await accepted;
    // What worker-main.ts does with the hand-off's address (a proxy's client, with PROXY protocol).
    (raw as unknown as { _peername: object })._peername = { address: '203.0.113.7', family: 'IPv4', port: 4242 };
    const tls = terminator.wrap(raw);
    expect([tls.remoteAddress, tls.remotePort]).toEqual(['203.0.113.7', 4242]);
    tls.destroy();
  });
});
