import { afterEach, describe, expect, it } from 'vitest';
import { slotOf } from '../../src/shared/session-id.ts';
import { closeAll, hello, startCluster, stats, type Hello } from '../helpers/cluster.ts';
import { killAll } from '../helpers/process.ts';

afterEach(() => killAll());

function countBy(clients: Hello[]): number[] {
  const counts: number[] = [];
  for (const c of clients) counts[c.worker] = (counts[c.worker] ?? 0) + 1;
  return counts;
}

describe('dispatch modes on a real cluster', () => {
  it('1 round-robin: connections spread evenly; every fd is unique and names its slot', async () => {
    const cli = await startCluster(['--workers', '3', '--dispatch-mode', '1']);
    const clients: Hello[] = [];
    for (let i = 0; i < 9; i++) clients.push(await hello(cli.port));
    expect(countBy(clients)).toEqual([3, 3, 3]);
    expect(new Set(clients.map((c) => c.fd)).size).toBe(9);
    for (const c of clients) expect(slotOf(c.fd)).toBe(c.worker);
    const s = await stats(cli.port);
    expect(s.dispatchMode).toBe('round-robin');
    await closeAll(clients);
  });

  it('2 fd-mod: each connection is on worker fd % workers', async () => {
    const cli = await startCluster(['--workers', '3', '--dispatch-mode', 'fd-mod']);
    const clients = await Promise.all(Array.from({ length: 12 }, () => hello(cli.port)));
    for (const c of clients) expect(c.fd % 3).toBe(c.worker);
    expect(countBy(clients).every((n) => n === 4)).toBe(true);
    await closeAll(clients);
  });

  it('4 ip-hash: one address always lands on the same worker; different addresses spread', async () => {
    const cli = await startCluster(['--workers', '3', '--dispatch-mode', '4']);
    const byAddress = new Map<string, Set<number>>();
    const clients: Hello[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 2; i <= 13; i++) {
        const addr = `127.0.0.${i}`;
        const c = await hello(cli.port, addr);
        clients.push(c);
        if (!byAddress.has(addr)) byAddress.set(addr, new Set());
        byAddress.get(addr)!.add(c.worker);
      }
    }
    for (const workers of byAddress.values()) expect(workers.size).toBe(1);
    const used = new Set([...byAddress.values()].map((s) => [...s][0]));
    expect(used.size).toBeGreaterThan(1);
    await closeAll(clients);
  });

  it('8 least-connections: new connections go to the worker that lost its clients', async () => {
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', '8']);
    const first = await Promise.all(Array.from({ length: 6 }, () => hello(cli.port)));
    expect(countBy(first)).toEqual([3, 3]);
    const onZero = first.filter((c) => c.worker === 0);
    await closeAll(onZero);
    // the master learns of closes from the workers' load reports
    await new Promise((r) => setTimeout(r, 700));
    const next = [];
    for (let i = 0; i < 3; i++) next.push(await hello(cli.port));
    expect(next.map((c) => c.worker)).toEqual([0, 0, 0]);
    await closeAll([...first, ...next]);
  });

  it('3 idle-worker: connections go to workers that are up, spread when all are idle', async () => {
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', '3']);
    const clients = await Promise.all(Array.from({ length: 8 }, () => hello(cli.port)));
    const counts = countBy(clients);
    expect((counts[0] ?? 0) + (counts[1] ?? 0)).toBe(8);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
    await closeAll(clients);
  });

  it('the dispatch hook picks the worker (Swoole dispatch_func)', async () => {
    const cli = await startCluster(['--workers', '3'], { FIXTURE_DISPATCH_TO: '2' });
    const clients = await Promise.all(Array.from({ length: 5 }, () => hello(cli.port)));
    expect(clients.map((c) => c.worker)).toEqual([2, 2, 2, 2, 2]);
    expect((await stats(cli.port)).dispatchMode).toBe('custom');
    await closeAll(clients);
  });
});
