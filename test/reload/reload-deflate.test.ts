/**
 * Reload with permessage-deflate (issue 16): connections that negotiated context takeover in
 * both directions keep working after their move — the client's later messages refer back to
 * earlier ones (the moved inflater starts with the carried window), and our new compressor's
 * stream is read by the client's inflater that kept its own window. Real clients: ws and
 * Chromium.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { executable, externalTool, killAll } from '../helpers/process.ts';
import { startReloadServer, until, whoami, connect } from './reload-helpers.ts';
import { compressedFrame, Flooder, KiB, openClient, repeatFrame } from '../helpers/hostile.ts';
import { clientFrame, ServerFrameReader, type ServerFrame } from '../../scripts/lib/frames.ts';
import { Opcode } from '../../src/shared/protocol/constants.ts';

const CHROMIUM = '/usr/bin/chromium';
const chromiumTool = externalTool('browser (Chromium)', executable(CHROMIUM), "install Debian's `chromium` package");

afterEach(() => killAll());

/** Messages that compress mostly by referring back to earlier messages (a small vocabulary). */
function message(n: number): string {
  const words = ['switchyard', 'reload', 'window', 'deflate', 'context', 'takeover', 'worker', 'socket'];
  let s = `z${n}:`;
  for (let i = 0; s.length < 1500; i++) s += `${words[(n * 7 + i * 3) % words.length]}-${(n + i) % 13} `;
  return s;
}

describe('reload with permessage-deflate', () => {
  it('ws clients with context takeover both ways: every compressed message and echo survives two reloads', async () => {
    const server = await startReloadServer();
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect(server.cli.port, { perMessageDeflate: { threshold: 0 } })));
    for (const c of clients) expect(c.ws.extensions).toMatch(/permessage-deflate/);
    let n = 0;
    const traffic = setInterval(() => {
      n++;
      for (const c of clients) c.ws.send(message(n));
    }, 20);
    for (const v of ['v2', 'v3']) {
      await new Promise((r) => setTimeout(r, 300));
      server.setVersion(v);
      const r = await server.reload();
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { slots: Array<{ moved: number; failed: unknown[] }> };
      expect(report.slots.flatMap((s) => s.failed)).toEqual([]);
      expect(report.slots.reduce((x, s) => x + s.moved, 0)).toBe(20);
    }
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(traffic);
    await until(() => clients.every((c) => c.other.length === n), 20_000, 'every echo');
    for (const c of clients) {
      expect(c.closes).toEqual([]);
      expect(c.other).toEqual(Array.from({ length: n }, (_, i) => message(i + 1)));
      expect((await whoami(c)).version).toBe('v3');
    }
  }, 120_000);

  it.skipIf(!chromiumTool.run)('Chromium (context takeover): its connection moves, nothing lost, no close', async () => {
    if (!chromiumTool.available) throw new Error(`CI=true: browser tests cannot be skipped: ${chromiumTool.problem}`);
    const server = await startReloadServer();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      // A page of the server's own origin (a 426 answer): Chromium refuses a local WebSocket from about:blank.
      await page.goto(`http://127.0.0.1:${server.cli.port}/`);
      type State = { ws: WebSocket; received: string[]; closed: number | null; sent: number; extensions: string };
      await page.evaluate(
        ({ port, source }) =>
          new Promise<void>((resolve) => {
            const make = new Function(`return ${source}`)() as (n: number) => string;
            // The page's own WebSocket (this file's `WebSocket` is the ws package's, for types).
            const PageSocket = (globalThis as unknown as { WebSocket: typeof WebSocket }).WebSocket;
            const ws = new PageSocket(`ws://127.0.0.1:${port}/`);
            const st = { ws, received: [] as string[], closed: null as number | null, sent: 0, extensions: '' };
            (globalThis as unknown as { st: typeof st }).st = st;
            ws.onmessage = (e: { data: unknown }) => {
              const t = String(e.data);
              if (t.startsWith('{')) {
                st.extensions = ws.extensions;
                setInterval(() => ws.send(make(++st.sent)), 20);
                resolve();
              } else st.received.push(t);
            };
            ws.onclose = (e: { code: number }) => (st.closed = e.code);
          }),
        { port: server.cli.port, source: message.toString() },
      );
      const read = () => page.evaluate(() => {
        const st = (globalThis as unknown as { st: State }).st;
        return { received: st.received.length, sent: st.sent, closed: st.closed, extensions: st.extensions };
      });
      expect((await read()).extensions).toMatch(/permessage-deflate/);
      for (const v of ['v2', 'v3']) {
        await new Promise((r) => setTimeout(r, 300));
        server.setVersion(v);
        const r = await server.reload();
        expect(r.code, r.stderr).toBe(0);
        expect((JSON.parse(r.stdout) as { slots: Array<{ failed: unknown[] }> }).slots.flatMap((s) => s.failed)).toEqual([]);
      }
      const all = await page.evaluate(async () => {
        const st = (globalThis as unknown as { st: State }).st;
        const target = st.sent + 5;
        while (st.received.length < target && st.closed === null) await new Promise((r) => setTimeout(r, 20));
        return { received: st.received.slice(0, target), closed: st.closed };
      });
      expect(all.closed).toBe(null);
      expect(all.received).toEqual(all.received.map((_, i) => message(i + 1)));
      expect(all.received.length).toBeGreaterThan(20);
    } finally {
      await browser.close();
    }
  }, 120_000);
  it('a connection that is never idle (a flood of compressed messages: an inflate always in flight, echoes always compressing) is held at a message boundary and moves', async () => {
    // The move waits at most maxWaitTime for a connection to reach a point where it can be
    // captured. Polling for an idle moment never finds one under this flood; holding the
    // connection at the end of the message under way does (ConnectionCore.prepareMove).
    const server = await startReloadServer(['--max-wait-time', '1']);
    const { socket, headers } = await openClient(server.cli.port, '/', { 'Sec-WebSocket-Extensions': 'permessage-deflate' }, 'never');
    expect(headers['sec-websocket-extensions']).toMatch(/permessage-deflate/);
    const frames: ServerFrame[] = [];
    const reader = new ServerFrameReader();
    socket.on('data', (chunk: Buffer) => {
      for (const fr of reader.push(chunk)) if ((fr.opcode === Opcode.Text && !fr.rsv1) || fr.opcode === Opcode.Close) frames.push(fr);
    });
    socket.resume();
    // 64 KiB binary messages of random bytes, compressed on their own; echoed, compressed again
    // (slower than the inflate: the echoes' compression queue never empties). Large on the wire,
    // so that what the socket buffers holds is worked off in well under a second.
    const flood = new Flooder(socket, repeatFrame(compressedFrame(randomBytes(64 * KiB)), 1024 * KiB)).start();
    await new Promise((r) => setTimeout(r, 500));
    server.setVersion('v2');
    const r = await server.reload();
    flood.stop();
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { slots: Array<{ moved: number; failed: unknown[] }> };
    expect(report.slots.flatMap((s) => s.failed)).toEqual([]);
    expect(report.slots.reduce((x, s) => x + s.moved, 0)).toBe(1);
    // Still the same connection, now answered by the new version (once the flood is worked off).
    socket.write(clientFrame(Opcode.Text, 'whoami'));
    await until(() => frames.some((fr) => fr.payload.toString().startsWith('me:')), 60_000, 'the answer to whoami');
    expect(frames.find((fr) => fr.payload.toString().startsWith('me:'))!.payload.toString()).toMatch(/^me:v2:/);
    expect(frames.some((fr) => fr.opcode === Opcode.Close)).toBe(false);
  }, 120_000);
});
