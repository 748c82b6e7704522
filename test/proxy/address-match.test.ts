import { describe, expect, it } from 'vitest';
import { AddressSet, normalizeAddress, parseAddress, parseRange } from '../../src/shared/proxy/address-match.ts';

describe('address matching (trustProxy)', () => {
  it('reads IPv4, IPv6, IPv4-mapped IPv6 and refuses the rest', () => {
    expect(parseAddress('10.1.2.3')).not.toBeNull();
    expect(parseAddress('::1')).not.toBeNull();
    expect(parseAddress('2001:db8::17')).not.toBeNull();
    expect(parseAddress('::ffff:10.1.2.3')).toEqual(parseAddress('10.1.2.3'));
    expect(parseAddress('fe80::1%eth0')).toEqual(parseAddress('fe80::1'));
    for (const bad of ['', 'unknown', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', '1.2.3.4::', '_hidden', '1:2:3:4:5:6:7:8::'])
      expect(parseAddress(bad), bad).toBeNull();
  });

  it('matches addresses and CIDR ranges of both families, mapped addresses as IPv4', () => {
    const { set, invalid } = AddressSet.parse('10.0.0.0/8, 192.168.1.7, 2001:db8::/32, ::1');
    expect(invalid).toEqual([]);
    expect(set.matches('10.255.0.1')).toBe(true);
    expect(set.matches('::ffff:10.255.0.1')).toBe(true);
    expect(set.matches('11.0.0.1')).toBe(false);
    expect(set.matches('192.168.1.7')).toBe(true);
    expect(set.matches('192.168.1.8')).toBe(false);
    expect(set.matches('2001:db8:ffff::1')).toBe(true);
    expect(set.matches('2001:db9::1')).toBe(false);
    expect(set.matches('::1')).toBe(true);
    expect(set.matches('::2')).toBe(false);
    expect(set.matches('garbage')).toBe(false);
  });

  it('prefix lengths that do not fall on a byte', () => {
    const { set } = AddressSet.parse(['172.16.0.0/12', 'fc00::/7']);
    expect(set.matches('172.31.255.255')).toBe(true);
    expect(set.matches('172.32.0.0')).toBe(false);
    expect(set.matches('172.15.255.255')).toBe(false);
    expect(set.matches('fdff::1')).toBe(true);
    expect(set.matches('fe00::1')).toBe(false);
    // An IPv6 range over the mapped block matches IPv4 peers.
    expect(AddressSet.parse('::ffff:0:0/96').set.matches('8.8.8.8')).toBe(true);
    expect(AddressSet.parse('0.0.0.0/0').set.matches('8.8.8.8')).toBe(true);
    expect(AddressSet.parse('0.0.0.0/0').set.matches('2001:db8::1')).toBe(false);
  });

  it('named ranges, and invalid entries reported', () => {
    const { set, invalid } = AddressSet.parse('loopback, uniquelocal, 10.0.0.0/33, ::1/129, 1.2.3.4/x, nonsense, fe80::1%eth0');
    expect(invalid).toEqual(['10.0.0.0/33', '::1/129', '1.2.3.4/x', 'nonsense', 'fe80::1%eth0']);
    expect(set.matches('127.0.0.5')).toBe(true);
    expect(set.matches('::1')).toBe(true);
    expect(set.matches('192.168.3.3')).toBe(true);
    expect(set.matches('8.8.8.8')).toBe(false);
    expect(AddressSet.parse(undefined).set.empty).toBe(true);
    expect(AddressSet.parse('').set.matches('127.0.0.1')).toBe(false);
    expect(parseRange('1.2.3.4')![0]!.bits).toBe(128);
  });

  it('normalizes mapped addresses to IPv4 text', () => {
    expect(normalizeAddress('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeAddress('weird')).toBe('weird');
  });
});
