/**
 * The README's proxy examples with the real proxies (Debian's nginx 1.22 and HAProxy 2.6,
 * installed by .ci/run; skipped when absent): nginx's stream module with `proxy_protocol on`
 * (v1), HAProxy with `send-proxy-v2`, and nginx as an HTTP proxy setting X-Forwarded-For. The
 * client connects from 127.0.0.5-7, the proxies reach Switchyard from 127.0.0.1 (trusted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, startCli } from '../helpers/process.ts';
import { sleep } from '../helpers/server.ts';

const NGINX = '/usr/sbin/nginx';
const HAPROXY = '/usr/sbin/haproxy';
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
const haveNginx = existsSync(NGINX) && existsSync(STREAM_MODULE);
const haveHaproxy = existsSync(HAPROXY);

const dir = mkdtempSync(join(tmpdir(), 'switchyard-proxy-'));
const children: ChildProcess[] = [];

afterAll(async () => {
  await Promise.all(
    children.map((c) => {
      if (c.exitCode !== null || c.signalCode !== null) return undefined;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      return exited;
    }),
  );
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts a proxy in the foreground and waits until its port answers. */
async function startProxy(cmd: string, args: string[], port: number): Promise<void> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  children.push(child);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited ${child.exitCode}: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = new WebSocket(`ws://127.0.0.1:${port}/`);
      s.on('error', () => resolve(false));
      s.on('open', () => {
        s.close();
        resolve(true);
      });
      s.on('unexpected-response', () => resolve(true));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${cmd} did not answer on ${port}: ${stderr}`);
    await sleep(100);
  }
}

/** The fixture's hello (test/fixtures/proxy-app.ts) for a client connecting from `localAddress`. */
function helloVia(port: number, localAddress: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { localAddress });
    ws.once('message', (d: Buffer) => {
      resolve(JSON.parse(d.toString()) as Record<string, unknown>);
      ws.close();
    });
    ws.once('error', reject);
  });
}

const switchyard = (extra: string[]) =>
  startCli(['--port', '0', '--app', 'test/fixtures/proxy-app.ts', '--workers', '2', '--trust-proxy', '127.0.0.1', '--log-level', 'warn', ...extra], 40_000);

describe.skipIf(!haveNginx || !haveHaproxy)('behind real proxies (the README examples)', () => {
  it('nginx stream with proxy_protocol on, and HAProxy with send-proxy-v2: remoteAddress is the client, proxyAddress the proxy', async () => {
    const cli = await switchyard(['--proxy-protocol', '--dispatch-mode', 'ip-hash']);
    const nginxPort = await freePort();
    writeFileSync(join(dir, 'stream.conf'), [
      `load_module ${STREAM_MODULE};`,
      'daemon off;',
      'master_process off;', // one process: nothing outlives the kill below
      `pid ${join(dir, 'stream.pid')};`,
      'error_log stderr warn;',
      'events {}',
      'stream {',
      '    server {',
      `        listen 127.0.0.1:${nginxPort};`,
      `        proxy_pass 127.0.0.1:${cli.port};`,
      '        proxy_protocol on;',
      '    }',
      '}',
    ].join('\n'));
    await startProxy(NGINX, ['-e', 'stderr', '-p', dir, '-c', join(dir, 'stream.conf')], nginxPort);
    expect(await helloVia(nginxPort, '127.0.0.5')).toMatchObject({ remoteAddress: '127.0.0.5', proxyAddress: '127.0.0.1', info: { remoteAddress: '127.0.0.5', proxyAddress: '127.0.0.1' } });

    const haproxyPort = await freePort();
    writeFileSync(join(dir, 'haproxy.cfg'), [
      'defaults',
      '    mode tcp',
      '    timeout connect 5s',
      '    timeout client 30s',
      '    timeout server 30s',
      'frontend ws',
      `    bind 127.0.0.1:${haproxyPort}`,
      '    default_backend switchyard',
      'backend switchyard',
      `    server s1 127.0.0.1:${cli.port} send-proxy-v2`,
      '', // HAProxy refuses a last line without its LF
    ].join('\n'));
    await startProxy(HAPROXY, ['-db', '-f', join(dir, 'haproxy.cfg')], haproxyPort);
    expect(await helloVia(haproxyPort, '127.0.0.6')).toMatchObject({ remoteAddress: '127.0.0.6', proxyAddress: '127.0.0.1' });
    // The proxies' own probes above (a connect from 127.0.0.1) were clients of theirs too: no failure counted.
    expect(cli.logs().filter((l) => l.event === 'proxy-header-failed')).toEqual([]);
  });

  it('nginx as an HTTP proxy with X-Forwarded-For (the README location block)', async () => {
    const cli = await switchyard([]);
    const port = await freePort();
    const temp = (name: string) => `${name} ${join(dir, name)};`;
    writeFileSync(join(dir, 'http.conf'), [
      'daemon off;',
      'master_process off;', // one process: nothing outlives the kill below
      `pid ${join(dir, 'http.pid')};`,
      'error_log stderr warn;',
      'events {}',
      'http {',
      '    access_log off;',
      `    ${temp('client_body_temp_path')} ${temp('proxy_temp_path')} ${temp('fastcgi_temp_path')} ${temp('uwsgi_temp_path')} ${temp('scgi_temp_path')}`,
      '    map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }',
      '    server {',
      `        listen 127.0.0.1:${port};`,
      '        location / {',
      `            proxy_pass http://127.0.0.1:${cli.port};`,
      '            proxy_http_version 1.1;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection $connection_upgrade;',
      '            proxy_set_header Host $host;',
      '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '        }',
      '    }',
      '}',
    ].join('\n'));
    await startProxy(NGINX, ['-e', 'stderr', '-p', dir, '-c', join(dir, 'http.conf')], port);
    expect(await helloVia(port, '127.0.0.7')).toMatchObject({ remoteAddress: '127.0.0.7', proxyAddress: '127.0.0.1' });
    // A client that writes the header itself: nginx appends the peer it saw, and that one wins.
    const spoofed = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { localAddress: '127.0.0.7', headers: { 'X-Forwarded-For': '6.6.6.6' } });
      ws.once('message', (d: Buffer) => {
        resolve(JSON.parse(d.toString()) as Record<string, unknown>);
        ws.close();
      });
      ws.once('error', reject);
    });
    expect(spoofed).toMatchObject({ remoteAddress: '127.0.0.7', proxyAddress: '127.0.0.1' });
    const res = await fetch(`http://127.0.0.1:${port}/whoami`);
    expect(await res.json()).toMatchObject({ remoteAddress: '127.0.0.1', proxyAddress: '127.0.0.1', socketAddress: '127.0.0.1' });
  });
});
