import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFd, encodeFd, FdAllocator, MAX_NODES, MAX_SEQ, MAX_SLOTS, nodeOf, SEQ_BLOCK, slotOf } from '../src/shared/session-id.ts';

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

  it('leased blocks: ids come from the block, then from the next one fetched ahead of time', async () => {
    let leases = 0;
    const refill = async () => {
      leases++;
      return { first: 1000, last: 1000 + SEQ_BLOCK - 1 };
    };
    const a = new FdAllocator(2, { first: 10, last: 10 + SEQ_BLOCK / 2 + 2 }, refill);
    const seqs: number[] = [];
    for (let i = 0; i < 4; i++) seqs.push(decodeFd(a.next(0))!.seq);
    expect(seqs).toEqual([10, 11, 12, 13]);
    await new Promise((r) => setImmediate(r));
    expect(leases).toBe(1); // fetched while the first block was still half full
    const b = new FdAllocator(2, { first: 10, last: 12 }, refill);
    b.next(0);
    await new Promise((r) => setImmediate(r));
    expect([b.next(0), b.next(0), b.next(0)].map((fd) => decodeFd(fd)!.seq)).toEqual([11, 12, 1000]);
  });

  it('a block used up before its successor arrives: ids go on past it, and it is reported', () => {
    let reported = 0;
    const a = new FdAllocator(0, { first: 1, last: 2 }, () => new Promise(() => {}), () => reported++);
    const seqs = Array.from({ length: 4 }, () => decodeFd(a.next(1))!.seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(reported).toBe(1);
  });
});
