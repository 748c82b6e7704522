/** The authenticated bus's MAC (mac.ts), pure: what it accepts and every way it refuses. */
import { describe, expect, it } from 'vitest';
import { encodeEnvelope, decodeEnvelope } from '../../src/shared/bus/codec.ts';
import { BusMac, channelId, REPLAY_WINDOW_MS, SIGNED_FLAG, TRAILER_BYTES } from '../../src/shared/bus/mac.ts';
import { push, textOf } from './messages.ts';

const chan = channelId('c:w:1:0');
const signed = (mac: BusMac, text = 'hello', now = Date.now(), channel = chan): Buffer => {
  const buf = encodeEnvelope({ node: 2, slot: 3 }, push(7, text, 'request', 42), TRAILER_BYTES);
  mac.sign(buf, channel, now);
  return buf;
};

describe('BusMac', () => {
  const mac = new BusMac('s'.repeat(16));

  it('round-trips: the envelope comes back whole, its kind byte restored', () => {
    const buf = signed(mac);
    expect(buf[0]! & SIGNED_FLAG).toBe(SIGNED_FLAG);
    const opened = mac.open(buf, chan);
    expect(Buffer.isBuffer(opened)).toBe(true);
    const env = decodeEnvelope(opened as Buffer);
    expect(env).toMatchObject({ from: { node: 2, slot: 3 }, msg: { kind: 'request', rid: 42 } });
    expect(textOf(env!.msg)).toBe('hello');
  });

  it('a signed message is no envelope to a node without the secret (dropped as malformed, not delivered garbled)', () => {
    expect(decodeEnvelope(signed(mac))).toBeNull();
  });

  it('refuses any single flipped bit, anywhere', () => {
    const good = signed(mac);
    for (let i = 0; i < good.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const bad = Buffer.from(good);
        bad[i] = bad[i]! ^ bit;
        // The flag bit cleared: unsigned; anything else: the tag does not match.
        expect(mac.open(bad, chan), `byte ${i} bit ${bit}`).toBe(i === 0 && bit === 0x80 ? 'unsigned' : 'bad-mac');
      }
    }
  });

  it('binds the channel: the same bytes published on another channel are refused', () => {
    expect(mac.open(signed(mac), channelId('c:w:1:1'))).toBe('bad-mac');
    expect(mac.open(signed(mac), channelId('other:w:1:0'))).toBe('bad-mac');
  });

  it('another secret, an unsigned envelope, a truncated one: refused', () => {
    expect(new BusMac('t'.repeat(16)).open(signed(mac), chan)).toBe('bad-mac');
    expect(mac.open(encodeEnvelope({ node: 1, slot: 0 }, push(1)), chan)).toBe('unsigned');
    expect(mac.open(signed(mac).subarray(0, TRAILER_BYTES + 4), chan)).toBe('bad-mac');
    expect(mac.open(signed(mac).subarray(0, TRAILER_BYTES), chan)).toBe('unsigned'); // too short to carry a trailer
    expect(mac.open(Buffer.alloc(0), chan)).toBe('unsigned');
  });

  it('bounds replay: a valid MAC outside the window (past or future) is stale', () => {
    const now = Date.now();
    expect(mac.open(signed(mac, 'x', now - REPLAY_WINDOW_MS - 1), chan, now)).toBe('stale');
    expect(mac.open(signed(mac, 'x', now + REPLAY_WINDOW_MS + 1), chan, now)).toBe('stale');
    expect(Buffer.isBuffer(mac.open(signed(mac, 'x', now - REPLAY_WINDOW_MS + 1000), chan, now))).toBe(true);
  });
});
