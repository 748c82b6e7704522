/**
 * A real browser as the client: headless Chromium loads the echo page from an in-process
 * server running the default app and drives `window.echo` (see src/worker/echo-page.ts).
 */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloseInfo } from '../src/worker/server.ts';
import echoApp from '../src/worker/default-app.ts';
import { executable, externalTool } from './helpers/process.ts';
import { until, type Running } from './helpers/server.ts';
import { startTarget, TRANSPORTS, type Target } from './helpers/transport.ts';

const CHROMIUM = '/usr/bin/chromium';
const chromiumTool = externalTool('browser (Chromium)', executable(CHROMIUM), "install Debian's `chromium` package");
const screenshot = (transport: string) => join(tmpdir(), `switchyard-echo-page-${transport}.png`);

/** What the page exposes as `window.echo`; the test's tsconfig has no DOM types. */
interface PageWebSocket {
  readyState: number;
  extensions: string;
  protocol: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}
interface EchoState {
  ws: PageWebSocket;
  received: Array<string | number[]>;
  closed: { code: number; reason: string; wasClean: boolean } | null;
}
/** Page functions are serialized into the page: they reach `window.echo` through this cast, not a closure. */
type PageGlobal = { echo: EchoState };

describe.skipIf(!chromiumTool.run).each(TRANSPORTS)('Chromium against the echo page over %s', (transport) => {
  let srv: Running & Target;
  let browser: Browser | undefined;
  let page: Page;
  const opened: number[] = [];
  const closes: Array<{ fd: number; info: CloseInfo }> = [];

  beforeAll(async () => {
    if (!chromiumTool.available) throw new Error(`CI=true: browser tests cannot be skipped: ${chromiumTool.problem}`);
    srv = await startTarget(transport, {}, (server) => {
      echoApp(server);
      server.on('close', (_s, fd, info) => void closes.push({ fd, info }));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // playwright gives each launch a fresh temporary profile and deletes it on close
      // wss: the test CA is not in Chromium's store; the certificate is still the server's own.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(transport === 'wss' ? ['--ignore-certificate-errors'] : [])],
    });
    page = await browser.newPage({ ignoreHTTPSErrors: transport === 'wss' });
    page.on('pageerror', (err) => console.error('page error:', err));
    // The page opens ws:// or wss:// as it was loaded (https:// is the request callback over TLS).
    await page.goto(`${transport === 'wss' ? 'https' : 'http'}://127.0.0.1:${srv.port}/`);
    await page.waitForFunction(() => {
      const e = (globalThis as unknown as Partial<PageGlobal>).echo;
      return e !== undefined && (e.ws.readyState === 1 || e.closed !== null);
    });
    // the page also opens /chat: keep the fd of its /echo connection
    await until(() => [...srv.server.connections].length === 2, 5000, 'both page connections');
    opened.push(...[...srv.server.connections].filter((fd) => srv.server.localClientInfo(fd)?.path === '/echo'));
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('opens the WebSocket with permessage-deflate negotiated', async () => {
    const state = await page.evaluate(() => {
      const { ws } = (globalThis as unknown as PageGlobal).echo;
      return { readyState: ws.readyState, extensions: ws.extensions };
    });
    expect(state.readyState).toBe(1);
    expect(state.extensions).toContain('permessage-deflate');
    expect(opened).toHaveLength(1);
    expect(srv.server.localClientInfo(opened[0]!)?.extensions).toContain('permessage-deflate');
    // Over wss the connection is TLS (Chromium negotiates 1.3), over ws it is not.
    expect(srv.server.localClientInfo(opened[0]!)?.tls?.version ?? null).toBe(transport === 'wss' ? 'TLSv1.3' : null);
    expect(await page.textContent('#status')).toBe('open');
  });

  it('echoes text, non-ASCII text, a 100 KB compressible string and binary', async () => {
    const before = srv.server.localClientInfo(opened[0]!)!;
    const result = await page.evaluate(async () => {
      const e = (globalThis as unknown as PageGlobal).echo;
      const big = Array.from({ length: 2500 }, (_, i) => `line ${i % 50}: switchyard\n`).join('').padEnd(100_000, '.');
      const sent: Array<string | number[]> = ['hello', 'héllo wörld ✓ 日本語 🚀', big, [0, 1, 2, 127, 128, 255]];
      const start = e.received.length;
      for (const m of sent) e.ws.send(typeof m === 'string' ? m : new Uint8Array(m));
      const deadline = Date.now() + 10_000;
      while (e.received.length < start + sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const got = e.received.slice(start);
      return {
        bigLength: big.length,
        count: got.length,
        small: [got[0], got[1], got[3]],
        bigEchoed: got[2] === big,
      };
    });
    expect(result.count).toBe(4);
    expect(result.small).toEqual(['hello', 'héllo wörld ✓ 日本語 🚀', [0, 1, 2, 127, 128, 255]]);
    expect(result.bigLength).toBe(100_000);
    expect(result.bigEchoed).toBe(true);
    // Compression really ran both ways: 100 KB of repetitive text cost a few KB on the wire.
    const after = srv.server.localClientInfo(opened[0]!)!;
    expect(after.bytesIn - before.bytesIn).toBeLessThan(20_000);
    expect(after.bytesOut - before.bytesOut).toBeLessThan(20_000);
    expect(after.messagesIn - before.messagesIn).toBe(4);
  });

  it('renders the page (screenshot to a temp file)', async () => {
    await page.screenshot({ path: screenshot(transport) });
    expect(statSync(screenshot(transport)).size).toBeGreaterThan(1000);
  });

  it('closes with 1000 from the page: clean on both sides, closedBy client', async () => {
    await page.evaluate(() => (globalThis as unknown as PageGlobal).echo.ws.close(1000, 'bye'));
    await page.waitForFunction(() => (globalThis as unknown as PageGlobal).echo.closed !== null);
    const seen = await page.evaluate(() => (globalThis as unknown as PageGlobal).echo.closed);
    // The page reports the server's close frame: its code echoed, its reason optional (RFC 6455 §5.5.1).
    expect(seen).toMatchObject({ code: 1000, wasClean: true });
    await until(() => closes.length > 0, 5000, 'the server close callback');
    expect(closes).toEqual([{ fd: opened[0], info: { code: 1000, reason: 'bye', closedBy: 'client', wasClean: true } }]);
    expect(srv.server.localStats().connections).toBe(1); // the page's /chat
  });

  it('chats: the page gets its welcome and its own message back through the room', async () => {
    await page.waitForFunction(() => (globalThis as unknown as { chat: { received: Array<{ type: string }> } }).chat.received.some((m) => m.type === 'welcome'));
    await page.fill('#chattext', 'hello from chromium');
    await page.click('#chatform button');
    await page.waitForFunction(() => (globalThis as unknown as { chat: { received: Array<{ type: string; text?: string }> } }).chat.received.some((m) => m.type === 'message' && m.text === 'hello from chromium'));
    const received = await page.evaluate(() => (globalThis as unknown as { chat: { received: unknown[] } }).chat.received);
    expect(received[0]).toMatchObject({ type: 'welcome', worker: 0, node: 0 });
  });
});
