import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeProxyV1, encodeProxyV2, MAX_V2_PAYLOAD, parseProxyHeader, type ProxyParse } from '../../src/shared/proxy/proxy-protocol.ts';

const REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');

/** Feeds `bytes` grown one byte at a time: every shorter prefix needs more, the whole gives `whole`. */
function everyPrefix(bytes: Buffer): ProxyParse {
  for (let n = 0; n < bytes.length; n++) {
    const got = parseProxyHeader(bytes.subarray(0, n));
    if (got.kind !== 'need') return got;
  }
  return parseProxyHeader(bytes);
}

describe('PROXY protocol v1', () => {
  it('TCP4 and TCP6: addresses, ports, length; the request after it is left alone', () => {
    const h = encodeProxyV1({ address: '192.0.2.1', port: 56324 }, { address: '198.51.100.1', port: 443 });
    expect(everyPrefix(h)).toEqual({ kind: 'header', version: 1, source: { address: '192.0.2.1', port: 56324 }, destination: { address: '198.51.100.1', port: 443 }, length: h.length });
    const withRequest = parseProxyHeader(Buffer.concat([h, REQUEST]));
    expect(withRequest.kind === 'header' && withRequest.length).toBe(h.length);
    const h6 = Buffer.from('PROXY TCP6 2001:db8::1 ::ffff:10.0.0.1 1 65535\r\n');
    expect(everyPrefix(h6)).toMatchObject({ kind: 'header', source: { address: '2001:db8::1', port: 1 }, destination: { address: '::ffff:10.0.0.1', port: 65535 } });
  });

  it('UNKNOWN: no address', () => {
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ kind: 'header', version: 1, source: null, destination: null, length: 15 });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n'))).toMatchObject({ kind: 'header', source: null });
  });

  it('the longest header (107 bytes) passes; no CRLF within 107 bytes fails', () => {
    const longest = Buffer.from('PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n');
    expect(longest.length).toBe(104);
    expect(parseProxyHeader(longest).kind).toBe('header');
    const unknown = Buffer.from(`PROXY UNKNOWN ${'x'.repeat(90)}\r\n`);
    expect(unknown.length).toBe(106);
    expect(parseProxyHeader(unknown).kind).toBe('header');
    expect(parseProxyHeader(Buffer.from(`PROXY UNKNOWN ${'x'.repeat(200)}`))).toMatchObject({ kind: 'error' });
    expect(parseProxyHeader(Buffer.from(`PROXY UNKNOWN ${'x'.repeat(50)}`))).toEqual({ kind: 'need' });
  });

  it.each([
    ['PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n', 'LF alone'],
    ['PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n', 'protocol'],
    ['PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n', 'missing port'],
    ['PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n', 'double space'],
    ['PROXY TCP4 1.2.3.4 ::1 1 2\r\n', 'family mismatch'],
    ['PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n', 'IPv4 in TCP6'],
    ['PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n', 'octet'],
    ['PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n', 'port range'],
    ['PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n', 'leading zero'],
    ['PROXY TCP4 1.2.3.4 5.6.7.8 1 2\x00\r\n', 'control byte'],
    ['PROXY TCP6 1::2::3 ::1 1 2\r\n', 'two ::'],
    ['GET / HTTP/1.1\r\n', 'no signature'],
    ['PROXI', 'wrong signature early'],
  ])('malformed %j (%s)', (text) => {
    expect(everyPrefix(Buffer.from(text, 'latin1')).kind).toBe('error');
  });

  it('a non-signature is refused from its first wrong byte (no waiting for a deadline)', () => {
    expect(parseProxyHeader(Buffer.from('G')).kind).toBe('error');
    expect(parseProxyHeader(Buffer.from('P')).kind).toBe('need');
    expect(parseProxyHeader(Buffer.from('\r\n\r\n\0')).kind).toBe('need');
    expect(parseProxyHeader(Buffer.from('\r\n\r\nX')).kind).toBe('error');
  });
});

describe('PROXY protocol v2', () => {
  it('PROXY over IPv4 and IPv6', () => {
    const h = encodeProxyV2({ address: '203.0.113.7', port: 1234 }, { address: '10.0.0.1', port: 80 });
    expect(h.length).toBe(28);
    expect(everyPrefix(h)).toEqual({ kind: 'header', version: 2, source: { address: '203.0.113.7', port: 1234 }, destination: { address: '10.0.0.1', port: 80 }, length: 28 });
    const h6 = encodeProxyV2({ address: '2001:db8:0:0:1::5', port: 9 }, { address: '::1', port: 443 });
    expect(everyPrefix(h6)).toEqual({ kind: 'header', version: 2, source: { address: '2001:db8::1:0:0:5', port: 9 }, destination: { address: '::1', port: 443 }, length: 52 });
    const mapped = encodeProxyV2({ address: '::ffff:c000:0201', port: 9 });
    expect(parseProxyHeader(mapped)).toMatchObject({ source: { address: '::ffff:192.0.2.1' } });
  });

  it('TLVs are skipped: the header ends after them', () => {
    const tlvs = Buffer.from([0x05, 0x00, 0x03, 0x61, 0x62, 0x63, 0x04, 0x00, 0x00]);
    const h = encodeProxyV2({ address: '203.0.113.7', port: 1 }, undefined, tlvs);
    const got = everyPrefix(Buffer.concat([h, REQUEST]).subarray(0, h.length));
    expect(got).toMatchObject({ kind: 'header', length: 28 + tlvs.length, source: { address: '203.0.113.7' } });
  });

  it('LOCAL: no address, its block skipped', () => {
    expect(everyPrefix(encodeProxyV2('local'))).toEqual({ kind: 'header', version: 2, source: null, destination: null, length: 16 });
    expect(parseProxyHeader(encodeProxyV2('local', undefined, Buffer.alloc(10)))).toMatchObject({ kind: 'header', length: 26, source: null });
  });

  it('UNSPEC and UNIX families: no address', () => {
    const h = encodeProxyV2({ address: '1.2.3.4', port: 1 });
    h[13] = 0x00;
    expect(parseProxyHeader(h)).toMatchObject({ kind: 'header', source: null });
    h[13] = 0x31;
    expect(parseProxyHeader(h)).toMatchObject({ kind: 'header', source: null });
  });

  it('malformed: version, command, family, short block, over the cap', () => {
    const base = () => encodeProxyV2({ address: '1.2.3.4', port: 1 });
    const v1 = base();
    v1[12] = 0x11;
    expect(parseProxyHeader(v1).kind).toBe('error');
    const cmd = base();
    cmd[12] = 0x22;
    expect(parseProxyHeader(cmd).kind).toBe('error');
    const fam = base();
    fam[13] = 0x41;
    expect(parseProxyHeader(fam).kind).toBe('error');
    const proto = base();
    proto[13] = 0x13;
    expect(parseProxyHeader(proto).kind).toBe('error');
    const short = base();
    short.writeUInt16BE(8, 14);
    expect(parseProxyHeader(short).kind).toBe('error');
    const short6 = encodeProxyV2({ address: '::1', port: 1 });
    short6.writeUInt16BE(20, 14);
    expect(parseProxyHeader(short6).kind).toBe('error');
    const big = base();
    big.writeUInt16BE(MAX_V2_PAYLOAD + 1, 14);
    expect(parseProxyHeader(big.subarray(0, 16)).kind).toBe('error');
  });

  it('identical answer whatever the chunking, and random bytes never throw', () => {
    const h = Buffer.concat([encodeProxyV2({ address: '203.0.113.7', port: 1234 }, undefined, Buffer.alloc(40, 7)), REQUEST]);
    const whole = parseProxyHeader(h);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: h.length }), (n) => {
        const part = parseProxyHeader(h.subarray(0, n));
        return part.kind === 'need' ? n < 68 : JSON.stringify(part) === JSON.stringify(whole);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, v2) => {
        const sig = v2 ? Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1') : Buffer.from('PROXY ');
        const got = parseProxyHeader(Buffer.concat([sig, bytes]));
        return ['need', 'header', 'error'].includes(got.kind);
      }),
    );
  });
});
