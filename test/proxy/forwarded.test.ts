import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../src/shared/proxy/address-match.ts';
import { forwardedHops, resolveClient } from '../../src/shared/proxy/forwarded.ts';

const trust = AddressSet.parse('10.0.0.0/8, 2001:db8::/32').set;
const proxy = { address: '10.0.0.1', port: 40000 };

describe('client address behind trusted proxies', () => {
  it('an untrusted peer: its headers are ignored', () => {
    const r = resolveClient({ address: '203.0.113.9', port: 5555 }, { 'x-forwarded-for': '1.1.1.1' }, trust);
    expect(r).toEqual({ address: '203.0.113.9', port: 5555, proxyAddress: null, proxyPort: 0 });
    // No trust list at all: nobody is believed.
    expect(resolveClient(proxy, { 'x-forwarded-for': '1.1.1.1' }, AddressSet.parse('').set).address).toBe('10.0.0.1');
  });

  it('a trusted peer: the rightmost untrusted X-Forwarded-For hop wins', () => {
    // The client spoofed "6.6.6.6"; its first trusted proxy appended the real 198.51.100.7.
    const r = resolveClient(proxy, { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.9.9.9' }, trust);
    expect(r).toEqual({ address: '198.51.100.7', port: 0, proxyAddress: '10.0.0.1', proxyPort: 40000 });
  });

  it('several header lines are one list, in order', () => {
    const r = resolveClient(proxy, { 'x-forwarded-for': ['6.6.6.6', '198.51.100.7'] }, trust);
    expect(r.address).toBe('198.51.100.7');
  });

  it('a trusted peer without a header: the peer is the client', () => {
    expect(resolveClient(proxy, {}, trust)).toEqual({ address: '10.0.0.1', port: 40000, proxyAddress: null, proxyPort: 0 });
  });

  it('every hop trusted: the leftmost is taken', () => {
    expect(resolveClient(proxy, { 'x-forwarded-for': '10.1.1.1, 10.2.2.2' }, trust).address).toBe('10.1.1.1');
  });

  it('an unreadable hop ends the walk on the last address read', () => {
    expect(resolveClient(proxy, { 'x-forwarded-for': '1.1.1.1, unknown, 10.2.2.2' }, trust).address).toBe('10.2.2.2');
    // Right after the peer: nothing believed.
    expect(resolveClient(proxy, { 'x-forwarded-for': '1.1.1.1, garbage' }, trust).proxyAddress).toBeNull();
  });

  it('X-Forwarded-For entries with ports, and IPv6', () => {
    expect(resolveClient(proxy, { 'x-forwarded-for': '198.51.100.7:1234' }, trust).address).toBe('198.51.100.7');
    expect(resolveClient(proxy, { 'x-forwarded-for': '[2001:db9::5]:80' }, trust).address).toBe('2001:db9::5');
    expect(resolveClient(proxy, { 'x-forwarded-for': '::ffff:198.51.100.7' }, trust).address).toBe('198.51.100.7');
  });

  it('Forwarded (RFC 7239): for= of each element, quoted IPv6 with port, other parameters ignored', () => {
    const r = resolveClient(
      { address: '::ffff:10.0.0.1', port: 9 },
      { forwarded: 'for=6.6.6.6, for="[2001:db9:cafe::17]:4711";proto=https;by=10.0.0.1, For=10.3.3.3;host="a,b"' },
      trust,
    );
    expect(r).toEqual({ address: '2001:db9:cafe::17', port: 4711, proxyAddress: '::ffff:10.0.0.1', proxyPort: 9 });
    expect(forwardedHops('for=192.0.2.43, for=_hidden, proto=http')).toEqual([
      { address: '192.0.2.43', port: 0 },
      { address: null, port: 0 },
      { address: null, port: 0 },
    ]);
  });

  it('Forwarded wins over X-Forwarded-For', () => {
    expect(resolveClient(proxy, { forwarded: 'for=198.51.100.1', 'x-forwarded-for': '198.51.100.2' }, trust).address).toBe('198.51.100.1');
  });

  it('the walk is bounded', () => {
    const chain = Array.from({ length: 100 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(',');
    const r = resolveClient(proxy, { 'x-forwarded-for': `1.1.1.1,${chain}` }, trust);
    expect(r.address.startsWith('10.')).toBe(true);
  });
});
