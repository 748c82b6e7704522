import { describe, expect, it } from 'vitest';
import { Admission, clientKey, FLOOD_STRIKES, type AdmissionLimits } from '../../src/master/admission.ts';
import { ConnectionLedger } from '../../src/master/connection-ledger.ts';

const limits = (l: Partial<AdmissionLimits>): AdmissionLimits => ({ maxConnection: 1000, maxConnectionsPerIp: 0, connectionRateLimit: 0, connectionRateBurst: 20, maxTrackedAddresses: 1000, ...l });

describe('Admission', () => {
  it('maxConnection: exactly N admitted, the next 503 with Retry-After, one released lets one more in', () => {
    const a = new Admission(limits({ maxConnection: 3 }));
    for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) expect(a.admit(ip, 0).kind).toBe('admit');
    expect(a.admit('4.4.4.4', 0)).toEqual({ kind: 'refuse', status: 503, retryAfter: 1, reason: 'maxConnection' });
    a.released('2.2.2.2');
    expect(a.connections).toBe(2);
    expect(a.admit('4.4.4.4', 0).kind).toBe('admit');
    expect(a.refused.maxConnection).toBe(1);
  });

  it('maxConnectionsPerIp: 429 for that address only, until one of its connections ends', () => {
    const a = new Admission(limits({ maxConnectionsPerIp: 2 }));
    expect(a.admit('1.1.1.1', 0).kind).toBe('admit');
    expect(a.admit('1.1.1.1', 0).kind).toBe('admit');
    expect(a.admit('1.1.1.1', 0)).toMatchObject({ kind: 'refuse', status: 429, reason: 'perIp' });
    expect(a.admit('2.2.2.2', 0).kind).toBe('admit');
    a.released('1.1.1.1');
    expect(a.admit('1.1.1.1', 0).kind).toBe('admit');
    expect(a.connectionsOf('1.1.1.1')).toBe(2);
  });

  it('connectionRateLimit: a burst, then one per 1/rate s; Retry-After is the wait for the next token', () => {
    const a = new Admission(limits({ connectionRateLimit: 2, connectionRateBurst: 3 }));
    for (let i = 0; i < 3; i++) expect(a.admit('1.1.1.1', 0).kind).toBe('admit');
    expect(a.admit('1.1.1.1', 0)).toMatchObject({ kind: 'refuse', status: 429, reason: 'rate', retryAfter: 1 });
    expect(a.admit('2.2.2.2', 0).kind).toBe('admit'); // another address has its own bucket
    expect(a.admit('1.1.1.1', 499).kind).toBe('refuse');
    expect(a.admit('1.1.1.1', 500).kind).toBe('admit'); // half a second: one token at 2/s
    expect(a.admit('1.1.1.1', 500).kind).toBe('refuse');
    const slow = new Admission(limits({ connectionRateLimit: 0.1, connectionRateBurst: 1 }));
    expect(slow.admit('1.1.1.1', 0).kind).toBe('admit');
    expect(slow.admit('1.1.1.1', 0)).toMatchObject({ retryAfter: 10 });
  });

  it('an address refused more than FLOOD_STRIKES times in a row is dropped unanswered until it is let in again', () => {
    const a = new Admission(limits({ maxConnectionsPerIp: 1 }));
    expect(a.admit('1.1.1.1', 0).kind).toBe('admit');
    const verdicts = Array.from({ length: FLOOD_STRIKES + 5 }, () => a.admit('1.1.1.1', 0).kind);
    expect(verdicts.slice(0, FLOOD_STRIKES).every((v) => v === 'refuse')).toBe(true);
    expect(verdicts.slice(FLOOD_STRIKES).every((v) => v === 'drop')).toBe(true);
    expect(a.refused).toEqual({ maxConnection: 0, perIp: FLOOD_STRIKES, rate: 0, flood: 5 });
    a.released('1.1.1.1');
    expect(a.admit('1.1.1.1', 0).kind).toBe('admit');
    expect(a.admit('1.1.1.1', 0).kind).toBe('refuse'); // strikes start over
  });

  it('the rate state of many addresses stays within maxTrackedAddresses, the least recently seen forgotten', () => {
    const a = new Admission(limits({ connectionRateLimit: 1, connectionRateBurst: 1, maxTrackedAddresses: 100, maxConnection: 1e9 }));
    for (let i = 0; i < 100_000; i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      a.admit(ip, i);
      a.released(ip);
      expect(a.trackedAddresses).toBeLessThanOrEqual(100);
    }
    expect(a.trackedAddresses).toBe(100);
    expect(a.liveAddresses).toBe(0);
    // Without a rate limit only refused addresses are kept, within the same bound.
    const b = new Admission(limits({ maxConnection: 0, maxTrackedAddresses: 50 }));
    for (let i = 0; i < 10_000; i++) b.admit(`10.0.${(i >> 8) & 255}.${i & 255}`, i);
    expect(b.trackedAddresses).toBe(50);
  });

  it('an IPv4 client seen through a dual-stack socket counts as its IPv4 address', () => {
    expect(clientKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientKey('::1')).toBe('::1');
    expect(clientKey('10.0.0.1')).toBe('10.0.0.1');
  });
});

describe('ConnectionLedger', () => {
  it('releases each fd once, and all of a slot when its worker dies', () => {
    const l = new ConnectionLedger(2);
    l.add(0, 256, 'a');
    l.add(0, 512, 'b');
    l.add(1, 257, 'a');
    expect(l.release(0, 256)).toBe('a');
    expect(l.release(0, 256)).toBeUndefined();
    expect(l.releaseSlot(0)).toEqual(['b']);
    expect(l.release(0, 512)).toBeUndefined(); // a late report after the death
    expect(l.size(1)).toBe(1);
  });
});
