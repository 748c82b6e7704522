import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFd, encodeFd, FdAllocator, MAX_NODES, MAX_SEQ, MAX_SLOTS, nodeOf, slotOf } from '../src/shared/session-id.ts';

describe('session ids', () => {
  it('round-trips seq, node and slot, and stays a safe integer at the limits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SEQ }), fc.integer({ min: 0, max: MAX_NODES - 1 }), fc.integer({ min: 0, max: MAX_SLOTS - 1 }), (seq, node, slot) => {
        const fd = encodeFd(seq, node, slot);
        expect(Number.isSafeInteger(fd)).toBe(true);
        expect(fd).toBeGreaterThan(0);
        expect(decodeFd(fd)).toEqual({ seq, node, slot });
        expect(slotOf(fd)).toBe(slot);
        expect(nodeOf(fd)).toBe(node);
      }),
    );
  });

  it('rejects malformed fds without throwing', () => {
    for (const bad of [0, -1, 1.5, 255, Number.NaN, 2 ** 60]) expect(decodeFd(bad)).toBeNull();
  });

  it('refuses out-of-range parts (programmer errors)', () => {
    expect(() => encodeFd(0, 0, 0)).toThrow(RangeError);
    expect(() => encodeFd(1, MAX_NODES, 0)).toThrow(RangeError);
    expect(() => encodeFd(1, 0, MAX_SLOTS)).toThrow(RangeError);
  });

  it('allocates increasing, unique fds', () => {
    const a = new FdAllocator(3);
    const fds = Array.from({ length: 1000 }, (_, i) => a.next(i % 7));
    expect(new Set(fds).size).toBe(1000);
    expect(fds.every((fd, i) => i === 0 || fd > fds[i - 1]!)).toBe(true);
    expect(fds.every((fd, i) => slotOf(fd) === i % 7 && nodeOf(fd) === 3)).toBe(true);
  });

  it('fd-mod: fd % workers === slot for every worker count and node', () => {
    for (const workers of [1, 2, 3, 5, 6, 7, 8, 12, 255]) {
      for (const node of [0, 1, 77]) {
        const a = new FdAllocator(node);
        for (let i = 0; i < 50; i++) {
          const slot = i % workers;
          const fd = a.next(slot, workers);
          expect(fd % workers).toBe(slot);
          expect(slotOf(fd)).toBe(slot);
        }
      }
    }
  });
});
