/** The sans-I/O core of the embedded bus's per-sender order across generations (sender-order.ts). */
import { describe, expect, it } from 'vitest';
import { SenderOrder, markerBody, markerOf, type Release } from '../../src/shared/bus/sender-order.ts';

const f = (n: number): Buffer => Buffer.from([n]);
const nums = (releases: Array<Release<string>>): Array<[string, number[], string]> => releases.map((r) => [r.key, r.frames.map((b) => b[0]!), r.why]);

/** Offers a frame the way the shell does: delivered now (its number), or held (null). */
function offer(order: SenderOrder<string>, key: string, n: number, now = 0): number | null | Array<Release<string>> {
  if (!order.mustHold(key)) return n;
  const r = order.hold(key, f(n), now);
  return r === null ? null : [r];
}

describe('markers', () => {
  it('round-trip, and anything else is no marker or an invalid one', () => {
    for (const m of [{ t: 'hello', generation: 1_765_000_000_123 }, { t: 'follow' }, { t: 'done' }] as const) expect(markerOf(markerBody(m))).toEqual(m);
    expect(markerOf(Buffer.from([1, 2, 3]))).toBeNull();
    expect(markerOf(Buffer.from([0xff, 0x00]))).toBeNull();
    const hello = markerBody({ t: 'hello', generation: 5 });
    expect(markerOf(hello.subarray(0, hello.length - 1))).toBe('invalid');
    const bad = Buffer.from(hello);
    bad.writeDoubleBE(-1, bad.length - 8);
    expect(markerOf(bad)).toBe('invalid');
    expect(markerOf(Buffer.concat([markerBody({ t: 'done' }), Buffer.from([0])]))).toBe('invalid');
  });
});

describe('SenderOrder', () => {
  const limits = { maxHeldBytes: 1000, holdMs: 100 };

  it('holds a following newer generation behind an open older one; done releases it in order', () => {
    const o = new SenderOrder<string>(limits);
    o.hello('old', 1, 10);
    o.hello('new', 1, 20);
    o.hello('other', 2, 5);
    expect(offer(o, 'new', 1)).toBe(1); // not following yet: the move has not begun
    o.follow('new');
    expect(offer(o, 'new', 2)).toBeNull();
    expect(offer(o, 'new', 3)).toBeNull();
    expect(offer(o, 'other', 4)).toBe(4); // another slot: never held
    expect(offer(o, 'old', 5)).toBe(5);
    expect(o.bytesHeld).toBe(2);
    expect(nums(o.done('old'))).toEqual([['new', [2, 3], 'predecessor-done']]);
    expect(offer(o, 'new', 6)).toBe(6);
    expect(offer(o, 'old', 7)).toBe(7); // the old one after its done: delivered
    expect(o.bytesHeld).toBe(0);
  });

  it("releases at the older one's close, one generation at a time", () => {
    const o = new SenderOrder<string>(limits);
    o.hello('g1', 1, 1);
    o.hello('g2', 1, 2);
    o.hello('g3', 1, 3);
    o.follow('g2');
    o.follow('g3');
    expect(offer(o, 'g2', 1)).toBeNull();
    expect(offer(o, 'g3', 2)).toBeNull();
    expect(nums(o.closed('g1'))).toEqual([['g2', [1], 'predecessor-done']]);
    expect(offer(o, 'g3', 3)).toBeNull(); // behind what it holds, and g2 is not done
    expect(nums(o.done('g2'))).toEqual([['g3', [2, 3], 'predecessor-done']]);
  });

  it('does not hold a stream whose older peer said done already, nor an older or equal generation', () => {
    const o = new SenderOrder<string>(limits);
    o.hello('old', 1, 10);
    o.done('old');
    o.hello('new', 1, 20);
    o.follow('new');
    expect(offer(o, 'new', 1)).toBe(1);
    o.hello('same', 1, 20);
    o.follow('same');
    expect(offer(o, 'same', 2)).toBe(2);
    o.hello('older', 1, 5);
    o.follow('older');
    expect(offer(o, 'older', 3)).toBe(3);
    expect(offer(o, 'unknown', 4)).toBe(4); // no hello (a sender of an older release): as before
  });

  it('takes over at the deadline: delivered, never held again; the older one still delivers', () => {
    const o = new SenderOrder<string>(limits);
    o.hello('old', 1, 10);
    o.hello('new', 1, 20);
    o.follow('new');
    expect(offer(o, 'new', 1, 1000)).toBeNull();
    expect(offer(o, 'new', 2, 1050)).toBeNull();
    expect(o.nextDeadline()).toBe(1100);
    expect(o.expire(1099)).toEqual([]);
    expect(nums(o.expire(1100))).toEqual([['new', [1, 2], 'deadline']]);
    expect(o.nextDeadline()).toBeNull();
    expect(offer(o, 'new', 3, 1200)).toBe(3);
    expect(offer(o, 'old', 4, 1200)).toBe(4);
    expect(o.counts).toEqual({ held: 2, takeovers: 1 });
  });

  it('takes over past the byte bound, counting every stream together', () => {
    const o = new SenderOrder<string>({ maxHeldBytes: 3, holdMs: 100 });
    o.hello('old', 1, 10);
    o.hello('new', 1, 20);
    o.follow('new');
    expect(offer(o, 'new', 1)).toBeNull();
    expect(offer(o, 'new', 2)).toBeNull();
    expect(offer(o, 'new', 3)).toBeNull();
    expect(nums(offer(o, 'new', 4) as Array<Release<string>>)).toEqual([['new', [1, 2, 3, 4], 'bytes']]);
    expect(o.bytesHeld).toBe(0);
    expect(offer(o, 'new', 5)).toBe(5);
  });

  it('delivers what a closing stream held; detach hands its state over unreleased', () => {
    const o = new SenderOrder<string>(limits);
    o.hello('old', 1, 10);
    o.hello('new', 1, 20);
    o.follow('new');
    offer(o, 'new', 1);
    expect(nums(o.closed('new'))).toEqual([['new', [1], 'closed']]);
    o.hello('newer', 1, 30);
    o.follow('newer');
    offer(o, 'newer', 2);
    const s = o.detach('newer');
    expect(s).toMatchObject({ slot: 1, generation: 30, following: true, done: false, takenOver: false });
    expect(s!.held.map((b) => b[0])).toEqual([2]);
    expect(o.bytesHeld).toBe(0);
    expect(o.closed('old')).toEqual([]);
  });

  it('keeps a copy of a held frame (the transport reuses its buffers)', () => {
    const o = new SenderOrder<string>(limits);
    o.hello('old', 1, 10);
    o.hello('new', 1, 20);
    o.follow('new');
    const frame = Buffer.from([7]);
    expect(o.mustHold('new')).toBe(true);
    o.hold('new', frame, 0);
    frame[0] = 0;
    expect(nums(o.done('old'))).toEqual([['new', [7], 'predecessor-done']]);
  });
});
