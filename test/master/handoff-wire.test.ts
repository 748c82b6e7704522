import { describe, expect, it } from 'vitest';
import { decodeHandoffs, encodeHandoff } from '../../src/shared/handoff-wire.ts';

describe('hand-off records', () => {
  it('round-trip the session id and the client address (IPv4, IPv6, none)', () => {
    const cases = [
      { fd: 1, address: '127.0.0.1', port: 50123 },
      { fd: 2 ** 52 + 7, address: '::ffff:192.168.100.200', port: 1 },
      { fd: 9_007_199_254_740_991, address: '', port: 0 },
    ];
    const { records, rest } = decodeHandoffs(Buffer.concat(cases.map((c) => encodeHandoff(c.fd, c.address, c.port))));
    expect(records).toEqual(cases);
    expect(rest).toBeNull();
  });

  it('keeps an incomplete record for the next read, whatever the split', () => {
    const bytes = Buffer.concat([encodeHandoff(41, '10.0.0.1', 80), encodeHandoff(42, '10.0.0.2', 443)]);
    for (let split = 0; split <= bytes.length; split++) {
      const first = decodeHandoffs(bytes.subarray(0, split));
      const second = decodeHandoffs(first.rest ? Buffer.concat([first.rest, bytes.subarray(split)]) : bytes.subarray(split));
      expect([...first.records, ...second.records].map((r) => r.fd)).toEqual([41, 42]);
      expect(second.rest).toBeNull();
    }
  });
});
