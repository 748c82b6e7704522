import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/shared/config.ts';
import { OriginCheck } from '../../src/shared/protocol/origin-check.ts';

const allowed = (list: string[], origin: string | undefined, require = false) => new OriginCheck(list, require).check(origin) === null;

describe('OriginCheck (RFC 6454 serialized origins)', () => {
  it('no list: no check, every origin and none pass', () => {
    expect(new OriginCheck([], false).active).toBe(false);
    expect(allowed([], 'https://evil.example')).toBe(true);
    expect(allowed([], undefined)).toBe(true);
  });

  it('exact origins compare scheme, host and port, lowercased, the default port implied', () => {
    const list = ['https://App.Example.com', 'http://localhost:3000'];
    expect(allowed(list, 'https://app.example.com')).toBe(true);
    expect(allowed(list, 'HTTPS://APP.EXAMPLE.COM')).toBe(true);
    expect(allowed(list, 'https://app.example.com:443')).toBe(true);
    expect(allowed(list, 'http://app.example.com')).toBe(false); // other scheme
    expect(allowed(list, 'https://app.example.com:8443')).toBe(false); // other port
    expect(allowed(list, 'https://app.example.com.evil.net')).toBe(false);
    expect(allowed(list, 'http://localhost:3000')).toBe(true);
    expect(allowed(list, 'http://localhost')).toBe(false);
    expect(allowed(list, 'not an origin')).toBe(false);
  });

  it('*. patterns match subdomains, not the domain itself nor look-alikes', () => {
    const list = ['https://*.example.com'];
    expect(allowed(list, 'https://a.example.com')).toBe(true);
    expect(allowed(list, 'https://a.b.example.com')).toBe(true);
    expect(allowed(list, 'https://example.com')).toBe(false);
    expect(allowed(list, 'https://evilexample.com')).toBe(false);
    expect(allowed(list, 'http://a.example.com')).toBe(false);
  });

  it('an entry without a scheme matches any scheme on the given or default port', () => {
    expect(allowed(['*.example.com'], 'http://a.example.com')).toBe(true);
    expect(allowed(['*.example.com'], 'https://a.example.com')).toBe(true);
    expect(allowed(['*.example.com'], 'https://a.example.com:8443')).toBe(false);
    expect(allowed(['*.example.com:8443'], 'https://a.example.com:8443')).toBe(true);
  });

  it('"null" only when listed; no Origin only without requireOrigin', () => {
    expect(allowed(['https://a.com'], 'null')).toBe(false);
    expect(allowed(['https://a.com', 'null'], 'null')).toBe(true);
    expect(allowed(['https://a.com'], undefined)).toBe(true);
    expect(allowed(['https://a.com'], undefined, true)).toBe(false);
    expect(new OriginCheck(['https://a.com'], false).check('https://b.com')?.status).toBe(403);
  });

  it('the setting takes a comma-separated flag value or an array, and refuses what is no origin', () => {
    expect(resolveConfig({ allowedOrigins: 'https://a.com, https://*.b.com' }).allowedOrigins).toEqual(['https://a.com', 'https://*.b.com']);
    expect(resolveConfig({ allowedOrigins: ['http://localhost:3000'] }).allowedOrigins).toEqual(['http://localhost:3000']);
    expect(() => resolveConfig({ allowedOrigins: 'https://a.com/path' })).toThrow(/allowedOrigins/);
    expect(() => resolveConfig({ allowedOrigins: 'https://a.*.com' })).toThrow(/allowedOrigins/);
  });
});
