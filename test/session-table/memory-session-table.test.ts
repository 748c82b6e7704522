import { describe, expect, it } from 'vitest';
import { MemorySessionTable } from '../../src/shared/session-table/memory-session-table.ts';
import { session, sessionTableContract } from './contract.ts';

sessionTableContract('MemorySessionTable', async () => {
  const dead = new Set<number>();
  const table = new MemorySessionTable({ isAlive: (node) => !dead.has(node) });
  return {
    tables: [table, table],
    setAlive: (node, alive) => void (alive ? dead.delete(node) : dead.add(node)),
    teardown: () => table.close(),
  };
});

describe('MemorySessionTable', () => {
  it('treats every node as alive by default and counts ignored writes', async () => {
    const table = new MemorySessionTable();
    table.add(session(4095, 255, 1));
    table.add({ ...session(1, 0, 1), node: 2 });
    table.bind(session(1, 0, 2).fd, 'nobody');
    expect(await table.count()).toBe(1);
    expect(await table.purgeDeadNodes()).toEqual([]);
    expect(table.stats()).toEqual({ invalid: 2 });
  });
});
