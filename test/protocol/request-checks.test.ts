import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/shared/errors.ts';
import { checkRequest, isValidHost, versionErrorOf, type RequestLineHead } from '../../src/shared/protocol/request-checks.ts';

const head = (overrides: Partial<RequestLineHead> = {}): RequestLineHead => ({
  method: 'GET',
  url: '/echo?x=1',
  httpVersionMajor: 1,
  httpVersionMinor: 1,
  rawHeaders: ['Host', 'example.com'],
  ...overrides,
});

function refused(h: RequestLineHead): HttpError {
  const result = checkRequest(h);
  expect(result).toBeInstanceOf(HttpError);
  return result as HttpError;
}

describe('checkRequest', () => {
  it('routes an origin-form request as it came, with its Host', () => {
    expect(checkRequest(head())).toEqual({ url: '/echo?x=1', host: 'example.com' });
    expect(checkRequest(head({ httpVersionMinor: 0, rawHeaders: [] }))).toEqual({ url: '/echo?x=1', host: undefined });
  });

  it('answers any major version but 1 with 505 (RFC 9110 §15.6.6), HTTP/1.0 passes', () => {
    for (const [major, minor] of [[2, 0], [0, 9], [3, 0]] as const) {
      const err = refused(head({ httpVersionMajor: major, httpVersionMinor: minor }));
      expect([err.code, err.status]).toEqual(['ERR_HTTP_VERSION', 505]);
      expect(err.message).toContain(`HTTP/${major}.${minor}`);
    }
  });

  it('answers 400 to two Host lines, a malformed Host and an HTTP/1.1 request without one (RFC 9112 §3.2)', () => {
    expect(refused(head({ rawHeaders: ['Host', 'a', 'host', 'a'] })).code).toBe('ERR_HTTP_HOST');
    expect(refused(head({ rawHeaders: ['Host', 'a b'] })).status).toBe(400);
    expect(refused(head({ rawHeaders: ['X-Host', 'a'] })).code).toBe('ERR_HTTP_HOST');
    // An empty Host is valid HTTP (a target without authority); the handshake refuses it itself.
    expect(checkRequest(head({ rawHeaders: ['Host', ''] }))).toEqual({ url: '/echo?x=1', host: '' });
  });

  it('routes an absolute-form target on its path, its authority winning over Host (RFC 9112 §3.2.2)', () => {
    expect(checkRequest(head({ url: 'http://ws.example:8080/echo?x=1', rawHeaders: ['Host', 'other'] }))).toEqual({ url: '/echo?x=1', host: 'ws.example:8080' });
    expect(checkRequest(head({ url: 'ws://ws.example' }))).toEqual({ url: '/', host: 'ws.example' });
    expect(checkRequest(head({ url: 'HTTPS://[::1]?q' }))).toEqual({ url: '/?q', host: '[::1]' });
  });

  it('answers 400 to a target its method cannot use', () => {
    expect(refused(head({ url: 'http://user@ws.example/echo' })).code).toBe('ERR_HTTP_TARGET');
    expect(refused(head({ url: '*' })).code).toBe('ERR_HTTP_TARGET');
    expect(checkRequest(head({ method: 'OPTIONS', url: '*' }))).toEqual({ url: '*', host: 'example.com' });
    expect(refused(head({ url: 'example.com:80' })).code).toBe('ERR_HTTP_TARGET');
  });
});

describe('isValidHost', () => {
  it.each(['example.com', 'example.com:9501', '127.0.0.1', '[::1]:80', '', 'a_b.example', '%41.example'])('accepts %j', (host) => {
    expect(isValidHost(host)).toBe(true);
  });
  it.each(['a b', 'a/b', 'a@b', 'a:80:80', 'a:x', '[::1', 'a\tb'])('refuses %j', (host) => {
    expect(isValidHost(host)).toBe(false);
  });
});

describe('versionErrorOf (bytes llhttp refused)', () => {
  it('is 505 for a well-formed request line naming another major version', () => {
    expect(versionErrorOf(Buffer.from('GET /echo HTTP/3.0\r\nHost: x\r\n'))?.status).toBe(505);
    expect(versionErrorOf(Buffer.from('GET /echo HTTP/0.8\r\n'))?.status).toBe(505);
  });
  it('is null (a plain 400) for anything else', () => {
    expect(versionErrorOf(Buffer.from('GET /echo HTTP/1.2\r\n'))).toBeNull();
    expect(versionErrorOf(Buffer.from('GET /echo HTTP/1.1\nHost: x\n'))).toBeNull();
    expect(versionErrorOf(Buffer.from([0x16, 0x03, 0x01]))).toBeNull();
  });
});
