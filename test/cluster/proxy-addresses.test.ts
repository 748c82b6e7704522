/**
 * Real client addresses behind proxies, on a real cluster over raw sockets: PROXY protocol v1
 * and v2 headers read by the master (with the HTTP upgrade in the same write, in a separate
 * write, trickled; malformed; late), ip-hash dispatch on the declared address, and
 * Forwarded / X-Forwarded-For from trusted and untrusted peers. 127.0.0.1 is the trusted
 * proxy; 127.0.0.2 an untrusted peer (Linux routes all of 127/8 to lo).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProxyV1, encodeProxyV2 } from '../../src/shared/proxy/proxy-protocol.ts';
import { MAX_PREFIX } from '../../src/shared/handoff/wire.ts';
import { maskedText, ServerFrameReader } from '../../scripts/lib/frames.ts';
import { headersOf, responseHead, upgradeRequest } from '../../scripts/lib/upgrade.ts';
import { killAll, startCli, type CliProcess } from '../helpers/process.ts';
import { sampleUntil } from '../helpers/server.ts';

interface Hello {
  fd: number;
  worker: number;
  remoteAddress: string;
  remotePort: number;
  proxyAddress: string | null;
  proxyPort: number;
  info: { remoteAddress: string; remotePort: number; proxyAddress: string | null } | null;
}

interface Exchange {
  /** 0: the connection closed before a response head. */
  status: number;
  headers: Record<string, string>;
  /** After a 101: the app's hello; after another status: the body as JSON if it is JSON. */
  body: any;
  /** Bytes received in all. */
  received: number;
  /** When the connection closed (ms after connecting), if it did before we stopped. */
  closedAfterMs: number | null;
}

/**
 * Connects (from `localAddress`), writes each chunk in turn (a number: wait that many ms), and
 * resolves with the response: a 101 and the app's first frame, another status and its body
 * (the app closes plain responses), or the close without a response.
 */
function exchange(port: number, chunks: Array<Buffer | string | number>, localAddress = '127.0.0.1', deadlineMs = 8000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s = connect({ host: '127.0.0.1', port, localAddress });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (e: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(e);
    };
    const timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms (${buf.length} bytes: ${JSON.stringify(buf.toString('latin1').slice(0, 200))})`)), deadlineMs);
    const reader = new ServerFrameReader();
    let upgraded: Record<string, string> | null = null;
    s.on('data', (d: Buffer) => {
      let frames;
      if (upgraded === null) {
        buf = Buffer.concat([buf, d]);
        const head = responseHead(buf);
        if (head === null || head.status !== 101) return;
        upgraded = headersOf(head.head);
        frames = reader.push(Buffer.from(head.rest));
      } else frames = reader.push(d);
      if (frames.length > 0) finish({ status: 101, headers: upgraded, body: JSON.parse(frames[0]!.payload.toString()), received: buf.length, closedAfterMs: null });
    });
    s.on('error', () => {});
    s.on('close', () => {
      const head = responseHead(buf);
      let body: unknown = null;
      if (head) {
        try {
          body = JSON.parse(head.rest.toString());
        } catch {
          body = head.rest.toString();
        }
      }
      finish({ status: head?.status ?? 0, headers: head ? headersOf(head.head) : {}, body, received: buf.length, closedAfterMs: performance.now() - t0 });
    });
    s.once('connect', async () => {
      for (const c of chunks) {
        if (typeof c === 'number') await new Promise((r) => setTimeout(r, c));
        else if (!s.destroyed) s.write(c);
      }
    });
  });
}

/** Connects from the trusted proxy's address, writes `bytes` (if any), ends, and waits for the close. */
function closeAfter(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    s.on('error', () => {});
    s.once('connect', () => (bytes.length > 0 ? s.end(bytes) : s.end()));
    s.once('close', () => resolve());
    s.resume();
  });
}

const upgrade = (headers: Record<string, string> = {}) => upgradeRequest('/', headers);
const get = (path: string, headers: Record<string, string> = {}) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

async function statsOf(port: number): Promise<Record<string, any>> {
  // From the untrusted address: its connections are not read by the master, no header needed.
  const r = await exchange(port, [get('/stats')], '127.0.0.2');
  return r.body as Record<string, any>;
}

afterAll(() => killAll());

describe('PROXY protocol (the master reads it from trusted sources)', () => {
  let cli: CliProcess;
  beforeAll(async () => {
    cli = await startCli(['--port', '0', '--app', 'test/fixtures/proxy-app.ts', '--workers', '2', '--dispatch-mode', 'ip-hash', '--trust-proxy', '127.0.0.1', '--proxy-protocol', '--proxy-header-timeout-ms', '600', '--log-level', 'info'], 40_000);
  });

  it('v1 with the upgrade in the same write: the hook, the request and getClientInfo see the client; proxyAddress the proxy', async () => {
    const header = encodeProxyV1({ address: '203.0.113.7', port: 41234 }, { address: '192.0.2.1', port: 443 });
    const r = await exchange(cli.port, [Buffer.concat([header, Buffer.from(upgrade())])]);
    expect(r.status).toBe(101);
    expect(r.headers['x-seen-address']).toBe('203.0.113.7');
    expect(r.headers['x-seen-proxy']).toBe('127.0.0.1');
    const hello = r.body as Hello;
    expect(hello).toMatchObject({ remoteAddress: '203.0.113.7', remotePort: 41234, proxyAddress: '127.0.0.1' });
    expect(hello.proxyPort).toBeGreaterThan(0);
    expect(hello.info).toEqual({ remoteAddress: '203.0.113.7', remotePort: 41234, proxyAddress: '127.0.0.1' });
  });

  it('a frame sent right behind the upgrade, in the same write as the header, reaches the connection (the prefix carries it)', async () => {
    const header = encodeProxyV2({ address: '203.0.113.8', port: 1 });
    const s = connect({ host: '127.0.0.1', port: cli.port, localAddress: '127.0.0.1' });
    const reader = new ServerFrameReader();
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const texts: string[] = [];
    s.on('data', (d: Buffer) => {
      if (!upgraded) {
        buf = Buffer.concat([buf, d]);
        const head = responseHead(buf);
        if (head === null) return;
        upgraded = true;
        d = Buffer.from(head.rest);
      }
      for (const f of reader.push(d)) texts.push(f.payload.toString());
    });
    s.write(Buffer.concat([header, Buffer.from(upgrade()), maskedText('pipelined')]));
    await sampleUntil(() => texts.length, (n) => n >= 2, 5000);
    s.destroy();
    // (The echo may come first: the fixture's open awaits getClientInfo.)
    expect(texts).toContain('pipelined');
    expect(JSON.parse(texts.find((t) => t.startsWith('{'))!)).toMatchObject({ remoteAddress: '203.0.113.8' });
  });

  it('v2 (IPv6 source, TLVs) with the upgrade in a separate write', async () => {
    const tlvs = Buffer.from([0x05, 0x00, 0x04, 0x69, 0x64, 0x2d, 0x31]); // PP2_TYPE_UNIQUE_ID "id-1"
    const header = encodeProxyV2({ address: '2001:db8::42', port: 5000 }, { address: '::1', port: 443 }, tlvs);
    const r = await exchange(cli.port, [header, 100, upgrade()]);
    expect(r.status).toBe(101);
    expect(r.body).toMatchObject({ remoteAddress: '2001:db8::42', remotePort: 5000, proxyAddress: '127.0.0.1', info: { remoteAddress: '2001:db8::42' } });
  });

  it('a header trickled a few bytes at a time, then the upgrade', async () => {
    const header = encodeProxyV2({ address: '198.51.100.20', port: 7 });
    const chunks: Array<Buffer | number> = [];
    for (let i = 0; i < header.length; i += 5) chunks.push(header.subarray(i, i + 5), 15);
    const r = await exchange(cli.port, [...chunks, upgrade()]);
    expect(r.status).toBe(101);
    expect(r.body).toMatchObject({ remoteAddress: '198.51.100.20', remotePort: 7 });
  });

  it('v2 LOCAL (a health check of the proxy itself): the proxy is the client', async () => {
    const r = await exchange(cli.port, [Buffer.concat([encodeProxyV2('local'), Buffer.from(upgrade())])]);
    expect(r.status).toBe(101);
    expect(r.body).toMatchObject({ remoteAddress: '127.0.0.1', proxyAddress: null });
  });

  it('the request callback sees the declared client; a request head of 10 KiB travels with the hand-off whole', async () => {
    const header = encodeProxyV1({ address: '198.51.100.9', port: 1 }, { address: '192.0.2.1', port: 80 });
    const r = await exchange(cli.port, [Buffer.concat([header, Buffer.from(get('/whoami', { Cookie: 'c='.padEnd(10 * 1024, 'x') }))])]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ remoteAddress: '198.51.100.9', proxyAddress: '127.0.0.1', socketAddress: '198.51.100.9' });
  });

  it('a prefix near the 32 KiB cap crosses the hand-off pipe in one record: the worker answers it (431 for a head over maxHeaderSize)', async () => {
    const header = encodeProxyV1({ address: '198.51.100.10', port: 1 }, { address: '192.0.2.1', port: 80 });
    const request = Buffer.from(get('/whoami', { Cookie: 'c='.padEnd(MAX_PREFIX - 200, 'x') }));
    expect(request.length).toBeLessThan(MAX_PREFIX);
    const r = await exchange(cli.port, [Buffer.concat([header, request])]);
    expect(r.status).toBe(431);
  });

  it('malformed, missing, oversized or late headers from the trusted proxy: closed without a byte, never dispatched, counted', async () => {
    const before = (await statsOf(cli.port)).proxyHeaderFailed as number;
    const t0 = performance.now();
    const bad = await exchange(cli.port, [Buffer.concat([Buffer.from('PROXY TCP4 1.2.3.999 5.6.7.8 1 2\r\n'), Buffer.from(upgrade())])]);
    const missing = await exchange(cli.port, [upgrade()]);
    const oversized = await exchange(cli.port, [Buffer.concat([encodeProxyV2({ address: '192.0.2.5', port: 1 }), Buffer.alloc(MAX_PREFIX + 1, 0x41)])]);
    expect([bad.status, bad.received, missing.status, missing.received, oversized.received]).toEqual([0, 0, 0, 0, 0]);
    // A malformed or missing header is refused from its first wrong byte, not at the deadline.
    expect(performance.now() - t0).toBeLessThan(600 * 2);
    const late = await exchange(cli.port, [encodeProxyV2({ address: '192.0.2.5', port: 1 }).subarray(0, 20)]);
    expect(late.received).toBe(0);
    expect(late.closedAfterMs).toBeGreaterThanOrEqual(550);
    const silent = await exchange(cli.port, []);
    expect(silent.received).toBe(0);
    // The client leaves half-way through the header: counted too.
    await closeAfter(cli.port, encodeProxyV2({ address: '192.0.2.5', port: 1 }).subarray(0, 10));
    // A connect and close without a byte (a proxy's TCP health check): not a failure.
    await closeAfter(cli.port, Buffer.alloc(0));
    const after = await sampleUntil(async () => (await statsOf(cli.port)).proxyHeaderFailed as number, (n) => n === before + 6, 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect([after, (await statsOf(cli.port)).proxyHeaderFailed]).toEqual([before + 6, before + 6]);
    const failed = cli.logs().filter((l) => l.event === 'proxy-header-failed').map((l) => l.reason);
    expect(failed).toEqual(expect.arrayContaining(['malformed', 'oversized', 'timeout', 'closed']));
  });

  it('an untrusted peer is not read: its request is served with its own address, and a PROXY header from it gets 400', async () => {
    const direct = await exchange(cli.port, [upgrade()], '127.0.0.2');
    expect(direct.status).toBe(101);
    expect(direct.body).toMatchObject({ remoteAddress: '127.0.0.2', proxyAddress: null });
    const spoof = await exchange(cli.port, [Buffer.concat([encodeProxyV1({ address: '6.6.6.6', port: 1 }, { address: '1.1.1.1', port: 2 }), Buffer.from(upgrade())])], '127.0.0.2');
    expect(spoof.status).toBe(400);
  });

  it('ip-hash spreads clients that all come through one proxy by their declared addresses, each always on one worker', async () => {
    const byAddress = new Map<string, Set<number>>();
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i <= 12; i++) {
        const address = `198.51.100.${i}`;
        const r = await exchange(cli.port, [Buffer.concat([encodeProxyV1({ address, port: 1000 + round }, { address: '192.0.2.1', port: 443 }), Buffer.from(upgrade())])]);
        expect(r.status).toBe(101);
        if (!byAddress.has(address)) byAddress.set(address, new Set());
        byAddress.get(address)!.add((r.body as Hello).worker);
      }
    }
    for (const workers of byAddress.values()) expect(workers.size).toBe(1);
    expect(new Set([...byAddress.values()].map((s) => [...s][0])).size).toBe(2);
  });

  it('the failures are a metric', async () => {
    const s = await statsOf(cli.port);
    expect(s.proxyHeaderFailed).toBeGreaterThan(0);
  });
});

describe('Forwarded / X-Forwarded-For (no PROXY protocol)', () => {
  let cli: CliProcess;
  beforeAll(async () => {
    cli = await startCli(['--port', '0', '--app', 'test/fixtures/proxy-app.ts', '--workers', '1', '--trust-proxy', '127.0.0.1', '--log-level', 'info'], 40_000);
  });

  it('from a trusted peer: the rightmost untrusted hop is the client, the peer is proxyAddress', async () => {
    const r = await exchange(cli.port, [upgrade({ 'X-Forwarded-For': '6.6.6.6, 198.51.100.7' })]);
    expect(r.status).toBe(101);
    expect(r.headers['x-seen-address']).toBe('198.51.100.7');
    expect(r.body).toMatchObject({ remoteAddress: '198.51.100.7', remotePort: 0, proxyAddress: '127.0.0.1', info: { remoteAddress: '198.51.100.7', proxyAddress: '127.0.0.1' } });
    const fwd = await exchange(cli.port, [upgrade({ Forwarded: 'for="[2001:db8::9]:4711";proto=http' })]);
    expect(fwd.body).toMatchObject({ remoteAddress: '2001:db8::9', remotePort: 4711, proxyAddress: '127.0.0.1' });
    const plain = await exchange(cli.port, [get('/whoami', { 'X-Forwarded-For': '198.51.100.8' })]);
    expect(plain.body).toMatchObject({ remoteAddress: '198.51.100.8', proxyAddress: '127.0.0.1', socketAddress: '127.0.0.1' });
  });

  it('from an untrusted peer: the headers are ignored', async () => {
    const r = await exchange(cli.port, [upgrade({ 'X-Forwarded-For': '6.6.6.6', Forwarded: 'for=6.6.6.6' })], '127.0.0.2');
    expect(r.body).toMatchObject({ remoteAddress: '127.0.0.2', proxyAddress: null, info: { remoteAddress: '127.0.0.2', proxyAddress: null } });
    const plain = await exchange(cli.port, [get('/whoami', { 'X-Forwarded-For': '6.6.6.6' })], '127.0.0.2');
    expect(plain.body).toMatchObject({ remoteAddress: '127.0.0.2', proxyAddress: null });
  });

  it('a PROXY header without proxyProtocol is not read: 400', async () => {
    const r = await exchange(cli.port, [Buffer.concat([encodeProxyV1({ address: '6.6.6.6', port: 1 }, { address: '1.1.1.1', port: 2 }), Buffer.from(upgrade())])]);
    expect(r.status).toBe(400);
  });
});
