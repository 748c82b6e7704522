import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveSettings } from '../../src/cli/resolve-config.ts';
import { killAll, runCli, startCli } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';
import { makePki, type CertPaths, type Pki } from '../helpers/tls-certs.ts';

function fingerprintServed(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fp);
    });
    socket.once('error', reject);
  });
}

let pki: Pki;
let main: CertPaths;
beforeAll(() => {
  pki = makePki();
  main = pki.server('main', ['localhost', '127.0.0.1']);
});
afterAll(async () => {
  await killAll();
  pki.cleanup();
});

describe.concurrent('a TLS file that cannot be served with stops the start with exit code 2, naming the file', () => {
  it('a missing certificate file', async () => {
    const missing = join(pki.dir, 'nowhere.crt');
    const r = await runCli(['--port', '0', '--ssl-cert-file', missing, '--ssl-key-file', main.key]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain('ENOENT');
  });

  it('a file that is not a certificate', async () => {
    const bad = join(pki.dir, 'garbage.crt');
    writeFileSync(bad, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    const r = await runCli(['--port', '0', '--ssl-cert-file', bad, '--ssl-key-file', main.key]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: not a PEM certificate`);
  });

  it('a key that is not the certificate\'s', async () => {
    const other = pki.server('other', ['localhost']);
    const r = await runCli(['--port', '0', '--ssl-cert-file', main.cert, '--ssl-key-file', other.key]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${other.key}: this key does not match the certificate in ${main.cert}`);
  });

  it('a certificate without its key, and an SNI entry with a bad file', async () => {
    const r = await runCli(['--port', '0', '--ssl-cert-file', main.cert, '--ssl-verify-peer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ssl-cert-file: TLS needs both --ssl-cert-file and --ssl-key-file');
    const missing = join(pki.dir, 'sni-missing.key');
    const s = await runCli(['--port', '0', '--ssl-cert-file', main.cert, '--ssl-key-file', main.key, '--ssl-sni-certs', `a.test=${main.cert}:${missing}`]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain(missing);
  });
});

describe('TLS settings from a config file, the environment and flags', () => {
  it("a JSON file with Swoole's names: relative paths, SNI entries included, are relative to the file", async () => {
    const sni = pki.server('sni-a', ['a.example.test']);
    const config = join(pki.dir, 'switchyard.json');
    writeFileSync(
      config,
      JSON.stringify({ ssl_cert_file: 'main.crt', ssl_key_file: 'main.key', ssl_client_cert_file: 'ca.crt', ssl_verify_peer: true, ssl_sni_certs: { 'a.example.test': { ssl_cert_file: 'sni-a.crt', ssl_key_file: 'sni-a.key' } }, sslMinVersion: 'TLSv1.3' }),
    );
    const { config: c } = await resolveSettings([], config, {});
    expect(c).toMatchObject({ sslCertFile: main.cert, sslKeyFile: main.key, sslCaFile: pki.caFile, sslVerifyPeer: true, sslMinVersion: 'TLSv1.3', sslSniCerts: { 'a.example.test': { cert: sni.cert, key: sni.key } } });
  });

  it('the flag form HOST=CERT:KEY,... and a JSON object in the variable', async () => {
    const b = pki.server('sni-b', ['b.example.test']);
    const flags = ['--ssl-cert-file', main.cert, '--ssl-key-file', main.key, '--ssl-sni-certs', `b.example.test=${b.cert}:${b.key}`];
    expect((await resolveSettings(flags, undefined, {})).config.sslSniCerts).toEqual({ 'b.example.test': { cert: b.cert, key: b.key } });
    const env = { SWITCHYARD_SSL_SNI_CERTS: JSON.stringify({ 'b.example.test': { cert: b.cert, key: b.key } }) };
    expect((await resolveSettings(flags.slice(0, 4), undefined, env)).config.sslSniCerts).toEqual({ 'b.example.test': { cert: b.cert, key: b.key } });
    await expect(resolveSettings([...flags.slice(0, 4), '--ssl-sni-certs', 'b.example.test'], undefined, {})).rejects.toThrow(/--ssl-sni-certs: expected HOST=CERT:KEY/);
  });
});

describe('SIGHUP to the master reloads the certificates in every worker', () => {
  it('new handshakes get the new certificate, established connections go on; a bad file keeps the current one', async () => {
    const cert = join(pki.dir, 'cli-live.crt');
    const key = join(pki.dir, 'cli-live.key');
    copyFileSync(main.cert, cert);
    copyFileSync(main.key, key);
    const cli = await startCli(['--port', '0', '--workers', '2', '--ssl-cert-file', cert, '--ssl-key-file', key]);
    const events = (name: string) => cli.logs().filter((e) => e.event === name);
    const clients: WebSocket[] = [];
    try {
      // One connection per worker (least-connections spreads them).
      for (let i = 0; i < 2; i++) {
        const ws = new WebSocket(`wss://localhost:${cli.port}/echo`, { ca: pki.ca });
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        clients.push(ws);
      }
      expect(await fingerprintServed(cli.port, pki.ca)).toBe(main.fingerprint);

      const next = pki.server('cli-next', ['localhost', '127.0.0.1']);
      copyFileSync(next.cert, cert);
      copyFileSync(next.key, key);
      cli.proc.kill('SIGHUP');
      await until(() => events('tls-reloaded').length === 2, 10_000, 'both workers reloaded');
      for (let i = 0; i < 6; i++) expect(await fingerprintServed(cli.port, pki.ca)).toBe(next.fingerprint);
      for (const ws of clients) {
        const reply = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
        ws.send('still here');
        expect(await reply).toBe('still here');
      }

      // A key that is not the certificate's: each worker logs it and keeps serving the current one.
      copyFileSync(main.key, key);
      cli.proc.kill('SIGHUP');
      await until(() => events('tls-reload-failed').length === 2, 10_000, 'both workers refused the reload');
      expect(events('tls-reload-failed')[0]!.file).toBe(key);
      for (let i = 0; i < 4; i++) expect(await fingerprintServed(cli.port, pki.ca)).toBe(next.fingerprint);
    } finally {
      for (const ws of clients) ws.terminate();
      expect(await cli.stop()).toBe(0);
    }
  });
});
