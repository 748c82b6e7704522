import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/worker/server.ts';
import { RawClient, startServer, until, upgradeRequest, type Running } from '../helpers/server.ts';

/**
 * Every phase of a connection that is not a WebSocket has a deadline (HttpEntry): the first
 * head, each request body, each later head on keep-alive; and at most maxPendingHandshakes
 * such connections exist at a time. Real sockets, real server; small settings so that the
 * deadlines pass within a test, generous waits so that a loaded machine does not matter.
 */
let srv: Running | undefined;
afterEach(async () => {
  await srv?.stop();
  srv = undefined;
});

/** The status line of every response in what a raw client received, in order. */
function statuses(raw: RawClient): number[] {
  return [...raw.data.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

/** Writes `text` one byte every `everyMs` until the socket closes or the text is out. */
function trickle(raw: RawClient, text: string, everyMs = 50): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (raw.closed || i >= text.length) return clearInterval(timer);
    raw.write(text[i++]!);
  }, everyMs);
  return () => clearInterval(timer);
}

const GET = 'GET /plain HTTP/1.1\r\nHost: x\r\n\r\n';
const answerPlain = (s: Server) => s.on('request', (_req, res) => void res.end('ok'));

describe('keep-alive: after a complete plain request', () => {
  it('a next head trickled a byte at a time is answered 408 and closed at keepAliveTimeoutMs', async () => {
    srv = await startServer({ keepAliveTimeoutMs: 300 }, answerPlain);
    const raw = await RawClient.connect(srv.port);
    raw.write(GET);
    await until(() => statuses(raw).length === 1, 5000, 'the first response');
    // 20 s worth of bytes: only a deadline that trickling does not reset can end it.
    const stop = trickle(raw, `GET /plain HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(400)}`);
    try {
      await until(() => raw.closed, 5000, 'the trickling connection to be closed');
    } finally {
      stop();
    }
    expect(statuses(raw)).toEqual([200, 408]);
    await until(() => srv!.server.localStats().pendingHandshakes === 0, 3000, 'no connection left pending');
  });

  it('an idle connection is closed quietly at keepAliveTimeoutMs, and says so in Keep-Alive', async () => {
    srv = await startServer({ keepAliveTimeoutMs: 1000 }, answerPlain);
    const raw = await RawClient.connect(srv.port);
    raw.write(GET);
    await until(() => statuses(raw).length === 1, 5000, 'the response');
    expect(raw.responseHead()!.headers['keep-alive']).toBe('timeout=1');
    await until(() => raw.closed, 5000, 'the idle connection to be closed');
    expect(statuses(raw)).toEqual([200]);
  });

  it('pipelined requests are all answered before the wait for the next one begins', async () => {
    srv = await startServer({ keepAliveTimeoutMs: 300 }, (s) =>
      s.on('request', (req, res) => {
        // The first answers late: its deadline must not be the keep-alive one.
        if (req.url === '/slow') setTimeout(() => res.end('slow'), 600);
        else res.end('ok');
      }),
    );
    const raw = await RawClient.connect(srv.port);
    raw.write(`GET /slow HTTP/1.1\r\nHost: x\r\n\r\n${GET}`);
    await until(() => raw.closed, 5000, 'the connection to be closed once idle');
    expect(statuses(raw)).toEqual([200, 200]);
    expect(raw.data.toString('latin1')).toMatch(/slow[\s\S]*ok$/);
  });

  it('many connections trickling their next head are all closed: none is left behind', async () => {
    srv = await startServer({ keepAliveTimeoutMs: 500 }, answerPlain);
    const n = 200;
    const clients = await Promise.all(Array.from({ length: n }, () => RawClient.connect(srv!.port)));
    // A request, then the next head one byte per connection every 100 ms, for up to 20 s.
    const next = `GET /plain HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(200)}`;
    for (const c of clients) c.write(`${GET}G`);
    let i = 1;
    const timer = setInterval(() => {
      for (const c of clients) if (!c.closed) c.write(next[i]!);
      i++;
    }, 100);
    try {
      await until(() => clients.every((c) => statuses(c).length >= 1), 10_000, 'every first response');
      await until(() => clients.every((c) => c.closed), 10_000, 'every trickling connection to be closed');
    } finally {
      clearInterval(timer);
    }
    expect(clients.filter((c) => statuses(c).join() === '200,408').length).toBe(n);
    await until(() => srv!.server.localStats().pendingHandshakes === 0, 3000, 'no connection left pending');
  });
});

describe('request bodies', () => {
  it('a body trickled a byte at a time is answered 408 and closed at bodyTimeoutMs', async () => {
    srv = await startServer({ bodyTimeoutMs: 300 }, (s) =>
      s.on('request', (req, res) => {
        req.resume();
        req.on('end', () => res.end('got it'));
      }),
    );
    const raw = await RawClient.connect(srv.port);
    raw.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n');
    const stop = trickle(raw, 'b'.repeat(400));
    try {
      await until(() => raw.closed, 5000, 'the trickling upload to be closed');
    } finally {
      stop();
    }
    expect(statuses(raw)).toEqual([408]);
  });

  it('a body that arrives in time is answered by the app, however long the app then takes', async () => {
    srv = await startServer({ bodyTimeoutMs: 200 }, (s) =>
      s.on('request', (req, res) => {
        let size = 0;
        req.on('data', (d: Buffer) => (size += d.length));
        req.on('end', () => setTimeout(() => res.end(`got ${size}`), 500));
      }),
    );
    const raw = await RawClient.connect(srv.port);
    raw.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello`);
    await until(() => statuses(raw).length === 1, 5000, 'the response');
    expect(statuses(raw)).toEqual([200]);
    expect(raw.data.toString('latin1')).toMatch(/got 5$/);
    raw.close();
  });
});

describe('bytes that cannot be HTTP/1.1', () => {
  it.each([
    ['a TLS ClientHello', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])],
    ['binary garbage', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a])],
    ['a bare-LF upgrade head', Buffer.from(upgradeRequest('/echo').replaceAll('\r\n', '\n').slice(0, -1))],
    ['a bare-LF plain head', Buffer.from('GET / HTTP/1.1\nHost: x\n')],
  ])('%s gets 400 as it arrives, not 408 at the deadline', async (_what, bytes) => {
    srv = await startServer({ handshakeTimeoutMs: 3000 });
    const raw = await RawClient.connect(srv.port);
    raw.write(bytes);
    const head = await raw.head(8000);
    expect(head.status).toBe(400);
    await until(() => raw.closed, 3000, 'the connection to be closed');
  });
});

describe('maxPendingHandshakes: connections that are not WebSockets', () => {
  it('counts reading, refused-in-flight and keep-alive sockets alike; one more gets 503 at once, then room frees', async () => {
    srv = await startServer({ maxPendingHandshakes: 10, handshakeTimeoutMs: 15_000, keepAliveTimeoutMs: 15_000 }, answerPlain);
    const held: RawClient[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await RawClient.connect(srv.port);
      c.write('GET /echo HTTP/1.1\r\nHost: x\r\n'); // a head that never ends
      held.push(c);
    }
    for (let i = 0; i < 5; i++) {
      const c = await RawClient.connect(srv.port);
      c.write(GET); // answered, then idle on keep-alive
      held.push(c);
    }
    await until(() => held.slice(5).every((c) => statuses(c).length === 1), 5000, 'the keep-alive responses');
    await until(() => srv!.server.localStats().pendingHandshakes === 10, 5000, 'ten pending connections');

    const over = await RawClient.connect(srv.port);
    over.write(upgradeRequest('/echo'));
    const head = await over.head();
    expect(head.status).toBe(503);
    expect(head.headers['retry-after']).toBe('1');
    await until(() => over.closed, 3000, 'the refused connection to be closed');
    expect(srv.server.localStats().pendingHandshakes).toBe(10);

    held[0]!.close();
    await until(() => srv!.server.localStats().pendingHandshakes === 9, 3000, 'a slot to free');
    const next = await RawClient.connect(srv.port);
    await next.upgrade('/echo');
    expect(srv.server.localStats()).toMatchObject({ connections: 1, pendingHandshakes: 9 });
    next.close();
    for (const c of held) c.close();
  });
});
