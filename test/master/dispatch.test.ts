import { describe, expect, it } from 'vitest';
import { createDispatchPolicy, fnv1a, type WorkerView } from '../../src/master/dispatch.ts';

function workers(spec: Array<Partial<WorkerView>>): WorkerView[] {
  return spec.map((w, slot) => ({ slot, up: true, pid: 100 + slot, connections: 0, inflight: 0, lagMs: 0, ...w }));
}
const info = (remoteAddress = '127.0.0.1') => ({ remoteAddress, remotePort: 5000, fd: 1 << 20 });

describe('dispatch policies (pure)', () => {
  it('round-robin cycles and skips workers that are down; -1 when none is up', () => {
    const p = createDispatchPolicy(1, 3);
    const ws = workers([{}, { up: false }, {}]);
    expect(Array.from({ length: 4 }, () => p.pick(info(), ws))).toEqual([0, 2, 0, 2]);
    expect(p.pick(info(), workers([{ up: false }, { up: false }]))).toBe(-1);
  });

  it('fd-mod asks the allocator to align fds to the worker count', () => {
    expect(createDispatchPolicy(2, 3).fdModulus).toBe(3);
    expect(createDispatchPolicy(1, 3).fdModulus).toBe(1);
  });

  it('least-connections counts in-flight hand-offs and spreads ties', () => {
    const p = createDispatchPolicy(8, 3);
    expect(p.pick(info(), workers([{ connections: 5 }, { connections: 2, inflight: 4 }, { connections: 3 }]))).toBe(2);
    const even = workers([{}, {}, {}]);
    expect(new Set(Array.from({ length: 3 }, () => p.pick(info(), even)))).toEqual(new Set([0, 1, 2]));
  });

  it('idle-worker prefers low event-loop delay over few connections', () => {
    const p = createDispatchPolicy(3, 2);
    expect(p.pick(info(), workers([{ lagMs: 40, connections: 0 }, { lagMs: 1, connections: 50 }]))).toBe(1);
  });

  it('idle-worker treats a few ms of event-loop delay as noise: idle workers share new connections', () => {
    const p = createDispatchPolicy(3, 2);
    const picks = Array.from({ length: 4 }, (_, i) => p.pick(info(), workers([{ lagMs: 0.4, connections: i }, { lagMs: 2.3, connections: i }])));
    expect(new Set(picks)).toEqual(new Set([0, 1]));
  });

  it('ip-hash is stable per address and moves only a down worker’s addresses', () => {
    const p = createDispatchPolicy(4, 4);
    const all = workers([{}, {}, {}, {}]);
    const addrs = Array.from({ length: 40 }, (_, i) => `10.0.${i}.7`);
    const first = addrs.map((a) => p.pick(info(a), all));
    expect(addrs.map((a) => p.pick(info(a), all))).toEqual(first);
    expect(new Set(first).size).toBe(4);
    const down = first[0]!;
    const degraded = workers([{}, {}, {}, {}].map((w, i) => (i === down ? { up: false } : w)));
    const after = addrs.map((a) => p.pick(info(a), degraded));
    for (const [i, slot] of after.entries()) {
      if (first[i] !== down) expect(slot).toBe(first[i]);
      else expect(slot).not.toBe(down);
    }
    expect(fnv1a('127.0.0.2') % 2).not.toBe(fnv1a('127.0.0.3') % 2);
  });

  it('a dispatch function decides; a bad answer falls back to least-connections and is reported', () => {
    const complaints: string[] = [];
    const ws = workers([{ connections: 9 }, { connections: 1 }, {}]);
    expect(createDispatchPolicy(8, 3, () => 0).pick(info(), ws)).toBe(0);
    for (const bad of [() => 7, () => -1, () => 1.5, () => Number.NaN, () => { throw new Error('x'); }]) {
      expect(createDispatchPolicy(8, 3, bad as () => number, (why) => complaints.push(why)).pick(info(), ws)).toBe(2);
    }
    expect(complaints).toHaveLength(5);
    // a valid answer for a worker that is down also falls back
    expect(createDispatchPolicy(8, 3, () => 0).pick(info(), workers([{ up: false }, { connections: 3 }, { connections: 1 }]))).toBe(2);
  });
});
