import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headEnd, mayBeUpgradeHead, readUpgradeHead } from '../../src/shared/protocol/request-head.ts';

const upgrade = (lines: string[], requestLine = 'GET /chat?room=1 HTTP/1.1'): Buffer =>
  Buffer.from(`${requestLine}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`, 'latin1');
const BASE = ['Host: example.com', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];
const read = (bytes: Buffer) => readUpgradeHead(bytes, headEnd(bytes));

describe('headEnd', () => {
  it('finds the blank line, or -1 while the head is incomplete', () => {
    const bytes = upgrade(BASE);
    expect(headEnd(bytes)).toBe(bytes.length);
    expect(headEnd(bytes.subarray(0, bytes.length - 1))).toBe(-1);
    expect(headEnd(Buffer.concat([bytes, Buffer.from([0x81, 0x80])]))).toBe(bytes.length);
  });

  it('finds a blank line split across reads when told how much was searched', () => {
    const bytes = upgrade(BASE);
    // The first read ended after "\r\n\r" — a re-scan from 3 bytes back still sees it.
    expect(headEnd(bytes, bytes.length - 1)).toBe(bytes.length);
  });
});

describe('readUpgradeHead', () => {
  it('reads a plain upgrade as node would: lower-case names, raw pairs, path with query', () => {
    const head = read(upgrade([...BASE, 'Sec-WebSocket-Protocol:  chat ,  superchat\t']));
    expect(head).toEqual({
      method: 'GET',
      url: '/chat?room=1',
      httpVersionMajor: 1,
      httpVersionMinor: 1,
      rawHeaders: ['Host', 'example.com', 'Upgrade', 'websocket', 'Connection', 'Upgrade', 'Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version', '13', 'Sec-WebSocket-Protocol', 'chat ,  superchat'],
      headers: { host: 'example.com', upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'chat ,  superchat' },
    });
  });

  it('joins repeated headers with node\'s rules', () => {
    const head = read(upgrade([...BASE, 'Cookie: a=1', 'Cookie: b=2', 'Sec-WebSocket-Extensions: x', 'Sec-WebSocket-Extensions: y', 'Set-Cookie: s=1', 'Set-Cookie: s=2']))!;
    expect(head.headers.host).toBe('example.com');
    expect(head.headers.cookie).toBe('a=1; b=2');
    expect(head.headers['sec-websocket-extensions']).toBe('x, y');
    expect(head.headers['set-cookie']).toEqual(['s=1', 's=2']);
  });

  it('keeps obs-text (0x80-0xFF) in values and trims only SP and HTAB', () => {
    const head = read(upgrade([...BASE, 'X-Name: caf\xe9\xa0']))!;
    expect(head.headers['x-name']).toBe('caf\xe9\xa0');
  });

  it('accepts "upgrade" anywhere in a Connection list', () => {
    expect(read(upgrade([...BASE.filter((l) => !l.startsWith('Connection')), 'Connection: keep-alive, Upgrade']))).not.toBeNull();
  });

  // Everything else goes to Node's parser, which answers it precisely.
  it.each([
    ['another method', upgrade(BASE, 'POST /chat HTTP/1.1')],
    ['HTTP/1.0', upgrade(BASE, 'GET /chat HTTP/1.0')],
    ['an absolute target', upgrade(BASE, 'GET http://example.com/chat HTTP/1.1')],
    ['a space in the target', upgrade(BASE, 'GET /a b HTTP/1.1')],
    ['a lower-case method', upgrade(BASE, 'get /chat HTTP/1.1')],
    ['no Upgrade header', upgrade(BASE.filter((l) => !l.startsWith('Upgrade')))],
    ['no Connection: upgrade', upgrade(BASE.filter((l) => !l.startsWith('Connection')))],
    ['a plain request', upgrade(['Host: example.com'])],
    ['a body (Content-Length)', upgrade([...BASE, 'Content-Length: 3'])],
    ['a body (Transfer-Encoding)', upgrade([...BASE, 'Transfer-Encoding: chunked'])],
    ['a folded line', upgrade([...BASE, 'X-A: 1', ' continued'])],
    ['a space before the colon', upgrade([...BASE, 'X-A : 1'])],
    ['a line without a colon', upgrade([...BASE, 'garbage'])],
    ['a control character in a value', upgrade([...BASE, 'X-A: a\x01b'])],
    ['a bare LF inside a line', upgrade([...BASE, 'X-A: a\nX-B: b'])],
    ['a __proto__ header', upgrade([...BASE, '__proto__: x'])],
    ['a leading empty line', Buffer.concat([Buffer.from('\r\n'), upgrade(BASE)])],
    ['a second Host (RFC 9112 §3.2: 400, answered on that path)', upgrade([...BASE, 'Host: second.example'])],
  ])('leaves %s to node', (_what, bytes) => {
    expect(read(bytes)).toBeNull();
  });
});

/**
 * An incomplete head that cannot become the fast form goes to Node's parser at once (HttpEntry):
 * llhttp answers garbage, a TLS ClientHello or a bare LF with 400 as the bytes arrive, where
 * waiting for a blank line that never comes held the socket until the 408 deadline.
 */
describe('mayBeUpgradeHead', () => {
  const valid = upgrade(BASE);

  it('holds for every prefix of a plain upgrade, whatever was checked before', () => {
    for (let n = 0; n < valid.length; n++) {
      expect(mayBeUpgradeHead(valid.subarray(0, n))).toBe(true);
      expect(mayBeUpgradeHead(valid.subarray(0, n), Math.max(0, n - 1))).toBe(true);
    }
  });

  it.each([
    ['a TLS ClientHello', Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])],
    ['binary garbage', Buffer.from([0x00, 0xff, 0x13, 0x37])],
    ['another method', Buffer.from('POST /chat HTTP/1.1\r\n')],
    ['a lower-case method', Buffer.from('get /')],
    ['an absolute target', Buffer.from('GET http://')],
    ['HTTP/2.0', Buffer.from('GET /chat HTTP/2.0\r\nHost: x')],
    ['HTTP/1.0', Buffer.from('GET /chat HTTP/1.0\r\n')],
    ['a bare LF ending the request line', Buffer.from('GET /chat HTTP/1.1\nHost: x\n')],
    ['a bare LF ending a header line', Buffer.from('GET /chat HTTP/1.1\r\nHost: x\nUpgrade: websocket')],
    ['a CR not followed by LF', Buffer.from('GET /chat HTTP/1.1\r\nHost: x\rUpgrade')],
    ['a control character', Buffer.from('GET /chat HTTP/1.1\r\nHost: x\x01')],
    ['a NUL in the target', Buffer.from('GET /a\x00')],
  ])('is false for %s', (_what, bytes) => {
    expect(mayBeUpgradeHead(bytes)).toBe(false);
  });

  it('judges a CR that ended the previous chunk with the byte after it', () => {
    const first = Buffer.from('GET /chat HTTP/1.1\r');
    expect(mayBeUpgradeHead(first)).toBe(true);
    expect(mayBeUpgradeHead(Buffer.concat([first, Buffer.from('X')]), first.length)).toBe(false);
    expect(mayBeUpgradeHead(Buffer.concat([first, Buffer.from('\n')]), first.length)).toBe(true);
  });

  it('never turns away a head the reader would read: a prefix it refuses means the whole is left to node', () => {
    // Random edits of a valid upgrade: wherever a prefix is refused early, reading the
    // complete head gives null too, so handing it to Node early changes nothing but the time.
    const edit = fc.record({ at: fc.nat({ max: valid.length - 1 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 3 }), cut: fc.nat({ max: 3 }) });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 3 }), (edits) => {
        let bytes = Buffer.from(valid);
        for (const e of edits) bytes = Buffer.concat([bytes.subarray(0, e.at), Buffer.from(e.bytes), bytes.subarray(Math.min(bytes.length, e.at + e.cut))]);
        const end = headEnd(bytes);
        const refusedAt = [...Array(end === -1 ? bytes.length : end).keys()].find((n) => !mayBeUpgradeHead(bytes.subarray(0, n + 1)));
        if (refusedAt !== undefined && end !== -1) expect(readUpgradeHead(bytes, end)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
