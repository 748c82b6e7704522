import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHandoffRead, encodeHandoff, MAX_PREFIX, type Handoff } from '../../src/shared/handoff/wire.ts';
import { encodeFd } from '../../src/shared/session-id.ts';

const SELF = { slot: 7, node: 42 };
const fdOf = (seq: number, self = SELF): number => encodeFd(seq, self.node, self.slot);
const record = (h: Handoff): Buffer => encodeHandoff(h.fd, h.address, h.port);
const one: Handoff = { fd: fdOf(1001), address: '192.168.10.20', port: 50123 };

describe('hand-off records', () => {
  it('round-trip the session id and the client address (IPv4, IPv6, zone, none)', () => {
    const cases: Handoff[] = [
      { fd: fdOf(1), address: '127.0.0.1', port: 50123 },
      { fd: fdOf(2 ** 33 - 1), address: '::ffff:192.168.100.200', port: 1 },
      { fd: fdOf(3), address: 'fe80::1ff:fe23:4567:890a%eth0', port: 65535 },
      { fd: fdOf(4), address: '', port: 0 },
    ];
    for (const c of cases) expect(decodeHandoffRead(record(c), SELF)).toEqual({ handed: c, orphans: [], rejected: [] });
  });

  it('round-trip the PROXY-declared client, the proxy and the bytes read past the header (version 2)', () => {
    const prefix = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const cases: Handoff[] = [
      { fd: fdOf(11), address: '203.0.113.7', port: 1234, proxy: { address: '10.0.0.1', port: 40000 }, prefix },
      { fd: fdOf(12), address: '2001:db8::1', port: 9, proxy: { address: '::ffff:127.0.0.1', port: 1 } },
      { fd: fdOf(13), address: '127.0.0.1', port: 9, prefix: Buffer.alloc(MAX_PREFIX, 0xa5) },
    ];
    for (const c of cases) {
      const bytes = encodeHandoff(c.fd, c.address, c.port, { proxy: c.proxy, prefix: c.prefix });
      expect(decodeHandoffRead(bytes, SELF)).toEqual({ handed: c, orphans: [], rejected: [] });
    }
    expect(() => encodeHandoff(fdOf(14), '127.0.0.1', 9, { prefix: Buffer.alloc(MAX_PREFIX + 1) })).toThrow(RangeError);
    // Every bit of the new fields is under the check too.
    const bytes = encodeHandoff(fdOf(11), '203.0.113.7', 1234, { proxy: { address: '10.0.0.1', port: 40000 }, prefix });
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const bad = Buffer.from(bytes);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(decodeHandoffRead(bad, SELF).handed, `bit ${bit}`).toBeNull();
    }
  });

  it('leave out an address they cannot carry exactly (the worker asks the kernel instead)', () => {
    for (const address of ['1'.repeat(65), '10.0.0.1\n', 'ünïcode', 'a b']) {
      expect(decodeHandoffRead(encodeHandoff(fdOf(5), address, 80), SELF).handed).toEqual({ fd: fdOf(5), address: '', port: 80 });
    }
  });
});

describe('hand-off reads: a record that does not decode exactly is rejected, never guessed at', () => {
  it('rejects a record for another worker or node, or that is no session id', () => {
    for (const fd of [fdOf(9, { slot: 8, node: 42 }), fdOf(9, { slot: 7, node: 41 }), 12, 1.5 * 2 ** 20, -fdOf(9), Number.NaN, 2 ** 53]) {
      expect(decodeHandoffRead(encodeHandoff(fd, '10.0.0.1', 80), SELF)).toEqual({ handed: null, orphans: [], rejected: [{ at: 0, bytes: 30, why: 'fd' }] });
    }
  });

  it('rejects a wrong magic byte, a wrong version and a wrong length', () => {
    const bytes = record(one);
    const magic = Buffer.from(bytes);
    magic[0] = 0x5a;
    const version = Buffer.from(bytes);
    version[1] = 1; // the format before the proxy fields: refused, not misread
    const length = Buffer.from(bytes);
    length[12] = 65;
    expect(decodeHandoffRead(magic, SELF).rejected).toEqual([{ at: 0, bytes: bytes.length, why: 'magic' }]);
    expect(decodeHandoffRead(version, SELF).rejected).toEqual([{ at: 0, bytes: bytes.length, why: 'version' }]);
    expect(decodeHandoffRead(length, SELF).rejected).toEqual([{ at: 0, bytes: bytes.length, why: 'length' }]);
  });

  it('rejects every single-bit error anywhere in a record (the CRC-32 check)', () => {
    const bytes = record(one);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const bad = Buffer.from(bytes);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      const read = decodeHandoffRead(bad, SELF);
      expect(read.handed, `bit ${bit}`).toBeNull();
      expect(read.orphans, `bit ${bit}`).toEqual([]);
    }
  });

  it('rejects a torn record, whatever the split, and the tail of one', () => {
    const bytes = record(one);
    for (let split = 1; split < bytes.length; split++) {
      for (const part of [bytes.subarray(0, split), bytes.subarray(split)]) {
        const read = decodeHandoffRead(part, SELF);
        expect(read.handed).toBeNull();
        expect(read.orphans).toEqual([]);
        expect(read.rejected.reduce((n, r) => n + r.bytes, 0)).toBe(part.length);
      }
    }
    expect(decodeHandoffRead(bytes.subarray(0, 20), SELF).rejected).toEqual([{ at: 0, bytes: 20, why: 'torn' }]);
  });

  it('resynchronises on the next valid record after garbage, and gives no record the descriptor then', () => {
    // False starts (magic, version) whose claimed records run into the real one: they fail the check.
    const garbage = Buffer.from([0xa5, 0x02, 0xff, 0x00, 0xa5, 0x33, 0x10]);
    const two: Handoff = { fd: fdOf(1002), address: '::1', port: 443 };
    const read = decodeHandoffRead(Buffer.concat([garbage, record(one), garbage, record(two)]), SELF);
    expect(read.handed).toBeNull();
    expect(read.orphans).toEqual([one, two]);
    // (Which check a false start fails depends on the bytes its claimed fields land on.)
    expect(read.rejected.map(({ at, bytes }) => ({ at, bytes }))).toEqual([
      { at: 0, bytes: garbage.length },
      { at: garbage.length + record(one).length, bytes: garbage.length },
    ]);
  });

  it('gives the descriptor to no record when a read holds several (which one it came with is unknown)', () => {
    const read = decodeHandoffRead(Buffer.concat([record(one), record({ ...one, fd: fdOf(1002) })]), SELF);
    expect(read).toEqual({ handed: null, orphans: [one, { ...one, fd: fdOf(1002) }], rejected: [] });
  });

  it('never decodes a record out of random bytes, and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const read = decodeHandoffRead(Buffer.from(bytes), SELF);
        expect(read.handed).toBeNull();
        expect(read.orphans).toEqual([]);
        expect(read.rejected.reduce((n, r) => n + r.bytes, 0)).toBe(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds exactly the record that garbage surrounds: never a wrong fd', () => {
    const handoff = fc.record({
      fd: fc.integer({ min: 1, max: 2 ** 33 - 1 }).map((seq) => fdOf(seq)),
      address: fc.constantFrom('', '127.0.0.1', '::1', '2001:db8::ff00:42:8329', '::ffff:203.0.113.9'),
      port: fc.integer({ min: 0, max: 65535 }),
    });
    // Garbage rich in magic bytes, so that false starts are tried.
    const garbage = fc.array(fc.oneof(fc.constant(0xa5), fc.constant(0x01), fc.integer({ min: 0, max: 255 })), { maxLength: 60 });
    fc.assert(
      fc.property(garbage, handoff, garbage, (before, h, after) => {
        const read = decodeHandoffRead(Buffer.concat([Buffer.from(before), record(h), Buffer.from(after)]), SELF);
        if (before.length === 0 && after.length === 0) expect(read.handed).toEqual(h);
        else expect(read.orphans).toEqual([h]);
      }),
      { numRuns: 2000 },
    );
  });
});
