import { describe, expect, it } from 'vitest';
import { HandshakeError, HttpError } from '../../src/shared/errors.ts';
import {
  acceptKey,
  buildHttpResponse,
  buildUpgradeResponse,
  isToken,
  isValidHeaderName,
  isValidHeaderValue,
  validateUpgrade,
  type UpgradeRequestHead,
  type ValidUpgrade,
} from '../../src/shared/protocol/handshake.ts';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function request(overrides: Partial<UpgradeRequestHead> = {}, headers: UpgradeRequestHead['headers'] = {}): UpgradeRequestHead {
  return {
    method: 'GET',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    ...overrides,
    headers: {
      host: 'server.example.com',
      upgrade: 'websocket',
      connection: 'Upgrade',
      'sec-websocket-key': KEY,
      'sec-websocket-version': '13',
      ...headers,
    },
  };
}

function refusal(req: UpgradeRequestHead): HandshakeError {
  const result = validateUpgrade(req);
  expect(result).toBeInstanceOf(HandshakeError);
  return result as HandshakeError;
}

function accepted(req: UpgradeRequestHead): ValidUpgrade {
  const result = validateUpgrade(req);
  if (result instanceof HttpError) throw new Error(`refused: ${result.code} ${result.message}`);
  return result;
}

describe('validateUpgrade', () => {
  it('accepts the RFC 6455 §1.3 request', () => {
    expect(accepted(request())).toEqual({ key: KEY, protocols: [], extensions: undefined });
  });

  it('returns the offered subprotocols in order and the raw extensions', () => {
    const result = accepted(
      request(
        {},
        {
          'sec-websocket-protocol': 'chat, superchat,v2.json',
          'sec-websocket-extensions': 'permessage-deflate; client_max_window_bits',
        },
      ),
    );
    expect(result.protocols).toEqual(['chat', 'superchat', 'v2.json']);
    expect(result.extensions).toBe('permessage-deflate; client_max_window_bits');
  });

  it('joins repeated extension headers with ", "', () => {
    const result = accepted(request({}, { 'sec-websocket-extensions': ['foo', 'permessage-deflate'] }));
    expect(result.extensions).toBe('foo, permessage-deflate');
  });

  it('refuses a method other than GET with 405 and Allow', () => {
    const err = refusal(request({ method: 'POST' }));
    expect([err.code, err.status, err.headers]).toEqual(['ERR_HANDSHAKE_METHOD', 405, { Allow: 'GET' }]);
    expect(refusal(request({ method: 'get' })).status).toBe(405);
  });

  it('refuses HTTP/1.0 with 400', () => {
    const err = refusal(request({ httpVersionMinor: 0 }));
    expect([err.code, err.status]).toEqual(['ERR_HANDSHAKE_HTTP_VERSION', 400]);
    expect(err.message).toMatch(/HTTP\/1\.0/);
  });

  it('refuses any major version but 1 with 505, before anything else (RFC 9110 §15.6.6)', () => {
    for (const [major, minor] of [[2, 0], [0, 9], [3, 0]] as const) {
      const err = validateUpgrade(request({ method: 'POST', httpVersionMajor: major, httpVersionMinor: minor }));
      expect(err).toBeInstanceOf(HttpError);
      expect([(err as HttpError).code, (err as HttpError).status]).toEqual(['ERR_HTTP_VERSION', 505]);
    }
  });

  it('refuses a Host that is not uri-host[:port] (RFC 9112 §3.2)', () => {
    for (const host of ['a b', 'a/b', 'a:80x', 'user@a']) expect(refusal(request({}, { host })).code).toBe('ERR_HANDSHAKE_HOST');
    for (const host of ['a.example:8080', '127.0.0.1', '[::1]:9501', 'xn--caf-dma.example']) expect(accepted(request({}, { host })).key).toBe(KEY);
  });

  it('refuses a request without Host', () => {
    const err = refusal(request({}, { host: undefined }));
    expect([err.code, err.status]).toEqual(['ERR_HANDSHAKE_HOST', 400]);
    expect(refusal(request({}, { host: '' })).code).toBe('ERR_HANDSHAKE_HOST');
  });

  it.each([undefined, 'h2c', 'websocket2', 'websocket, h2c'])('refuses Upgrade %j', (upgrade) => {
    const err = refusal(request({}, { upgrade }));
    expect([err.code, err.status]).toEqual(['ERR_HANDSHAKE_UPGRADE', 400]);
  });

  it('compares Upgrade case-insensitively', () => {
    expect(accepted(request({}, { upgrade: 'WebSocket' })).key).toBe(KEY);
  });

  it.each([undefined, 'keep-alive', 'close', 'upgrade-insecure', 'Upgraded'])('refuses Connection %j', (connection) => {
    const err = refusal(request({}, { connection }));
    expect([err.code, err.status]).toEqual(['ERR_HANDSHAKE_CONNECTION', 400]);
  });

  it.each(['keep-alive, Upgrade', 'upgrade', 'UPGRADE', 'keep-alive,upgrade', ', Upgrade,'])('accepts Connection %j', (connection) => {
    expect(accepted(request({}, { connection })).key).toBe(KEY);
  });

  it.each<[string | undefined, string]>([
    [undefined, 'missing'],
    ['', 'empty'],
    ['dGhlIHNhbXBsZSBub25jZQ', 'unpadded'],
    ['dGhlIHNhbXBsZSBub25jZQ=', 'short padding'],
    ['dGhlIHNhbXBsZSBub25jZR==', 'non-canonical last character'],
    ['dGhlIHNhbXBsZSBub25j', '15 bytes'],
    ['dGhlIHNhbXBsZSBub25jZSE=', '17 bytes'],
    ['dGhlIHNhbXBsZSBub25jZ!==', 'not base64'],
    ['dGhlIHNhbXBsZSBub25jZQ-_', 'base64url'],
  ])('refuses Sec-WebSocket-Key %j (%s)', (key) => {
    const err = refusal(request({}, { 'sec-websocket-key': key }));
    expect([err.code, err.status]).toEqual(['ERR_HANDSHAKE_KEY', 400]);
  });

  it.each([undefined, '12', '8', '13, 8', ' ', '13.0'])('refuses Sec-WebSocket-Version %j with 426', (version) => {
    const err = refusal(request({}, { 'sec-websocket-version': version }));
    expect([err.code, err.status, err.headers]).toEqual(['ERR_HANDSHAKE_VERSION', 426, { 'Sec-WebSocket-Version': '13' }]);
  });

  it.each(['', 'chat, chat', 'chat,,chat', 'a b', 'chat, "x"', 'chat; q=1', 'ch@t'])(
    'refuses Sec-WebSocket-Protocol %j',
    (protocol) => {
      const err = refusal(request({}, { 'sec-websocket-protocol': protocol }));
      expect([err.code, err.status]).toEqual(['ERR_HANDSHAKE_PROTOCOL', 400]);
    },
  );

  it('treats subprotocol names as case-sensitive', () => {
    expect(accepted(request({}, { 'sec-websocket-protocol': 'chat, Chat' })).protocols).toEqual(['chat', 'Chat']);
  });

  it('reports the first failure in the documented order', () => {
    const everythingWrong = request({ method: 'PUT', httpVersionMinor: 0 }, { host: undefined, upgrade: undefined });
    expect(refusal(everythingWrong).code).toBe('ERR_HANDSHAKE_METHOD');
    const badKeyAndVersion = request({}, { 'sec-websocket-key': 'x', 'sec-websocket-version': '12' });
    expect(refusal(badKeyAndVersion).code).toBe('ERR_HANDSHAKE_KEY');
  });
});

describe('acceptKey', () => {
  it('matches the RFC 6455 §1.3 example', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

describe('buildUpgradeResponse', () => {
  it('builds the minimal 101', () => {
    expect(buildUpgradeResponse({ accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' })).toBe(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
        '\r\n',
    );
  });

  it('adds protocol, extensions and repeated extra headers in order', () => {
    const head = buildUpgradeResponse({
      accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      protocol: 'chat',
      extensions: 'permessage-deflate; server_max_window_bits=10',
      headers: [
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
    });
    expect(head).toBe(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
        'Sec-WebSocket-Protocol: chat\r\n' +
        'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n' +
        'Set-Cookie: a=1\r\n' +
        'Set-Cookie: b=2\r\n' +
        '\r\n',
    );
  });

  it('throws on a header that would split the response', () => {
    expect(() => buildUpgradeResponse({ accept: 'x', headers: [['X-A', 'ok\r\nX-Evil: 1']] })).toThrow(TypeError);
    expect(() => buildUpgradeResponse({ accept: 'x', headers: [['X A', 'ok']] })).toThrow(TypeError);
    expect(() => buildUpgradeResponse({ accept: 'x', protocol: 'a\nb' })).toThrow(TypeError);
  });
});

describe('buildHttpResponse', () => {
  it('builds a 426 with the version header and a text body', () => {
    const bytes = buildHttpResponse(426, 'Unsupported WebSocket version', [['Sec-WebSocket-Version', '13']]);
    expect(bytes.toString('latin1')).toBe(
      'HTTP/1.1 426 Upgrade Required\r\n' +
        'Connection: close\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'Content-Length: 29\r\n' +
        'Sec-WebSocket-Version: 13\r\n' +
        '\r\n' +
        'Unsupported WebSocket version',
    );
  });

  it('defaults the body to the reason phrase', () => {
    expect(buildHttpResponse(503).toString()).toBe(
      'HTTP/1.1 503 Service Unavailable\r\n' +
        'Connection: close\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'Content-Length: 19\r\n' +
        '\r\n' +
        'Service Unavailable',
    );
  });

  it('counts UTF-8 bytes, keeps a given Content-Type and Buffer bodies', () => {
    const bytes = buildHttpResponse(403, Buffer.from('{"é":1}'), [['Content-Type', 'application/json']]);
    expect(bytes.toString()).toBe(
      'HTTP/1.1 403 Forbidden\r\n' +
        'Connection: close\r\n' +
        'Content-Length: 8\r\n' +
        'Content-Type: application/json\r\n' +
        '\r\n' +
        '{"é":1}',
    );
    expect(buildHttpResponse(400, 'é').subarray(-2)).toEqual(Buffer.from('é'));
  });

  it('allows an empty body and an unknown status with an empty reason', () => {
    expect(buildHttpResponse(499, '').toString()).toBe(
      'HTTP/1.1 499 \r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('throws on programmer errors', () => {
    expect(() => buildHttpResponse(101)).toThrow(RangeError);
    expect(() => buildHttpResponse(400, 'x', [['Content-Length', '5']])).toThrow(TypeError);
    expect(() => buildHttpResponse(400, 'x', [['X-A', 'a\0b']])).toThrow(TypeError);
  });
});

describe('header validation', () => {
  it('recognises RFC 7230 tokens', () => {
    for (const ok of ['chat', 'v2.json', "!#$%&'*+-.^_`|~", 'A9']) expect(isToken(ok)).toBe(true);
    for (const bad of ['', 'a b', 'a,b', 'a;b', '"a"', 'a/b', 'é', 'a\tb', '(a)']) expect(isToken(bad)).toBe(false);
    expect(isValidHeaderName('Set-Cookie')).toBe(true);
    expect(isValidHeaderName('Set Cookie')).toBe(false);
  });

  it('rejects values with CR, LF, NUL or other controls', () => {
    expect(isValidHeaderValue('a=1; Path=/\tx')).toBe(true);
    expect(isValidHeaderValue('')).toBe(true);
    for (const bad of ['a\rb', 'a\nb', 'a\0b', 'a\x7fb', 'a\u0100b']) expect(isValidHeaderValue(bad)).toBe(false);
  });
});
