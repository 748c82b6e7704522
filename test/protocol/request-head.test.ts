import { describe, expect, it } from 'vitest';
import { headEnd, readUpgradeHead } from '../../src/shared/protocol/request-head.ts';

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
    const head = read(upgrade([...BASE, 'Host: second.example', 'Cookie: a=1', 'Cookie: b=2', 'Sec-WebSocket-Extensions: x', 'Sec-WebSocket-Extensions: y', 'Set-Cookie: s=1', 'Set-Cookie: s=2']))!;
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
  ])('leaves %s to node', (_what, bytes) => {
    expect(read(bytes)).toBeNull();
  });
});
