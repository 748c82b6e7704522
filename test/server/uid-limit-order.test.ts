import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { UidLimit, UID_LIMIT_CLOSE_CODE } from '../../src/worker/uid-limit.ts';

/** A cluster of sessions as the check sees it: fd -> connect time, and what it closed. */
function fakeCluster(sessions: Record<number, number>) {
  const closed: Array<[number, number]> = [];
  const api = {
    getFdsByUid: async () => Object.keys(sessions).map(Number),
    connectTime: async (fd: number) => sessions[fd] ?? null,
    disconnect: (fd: number, code: number) => {
      closed.push([fd, code]);
      return true;
    },
  };
  return { api, closed };
}

describe('UidLimit', () => {
  it('closes the earliest connected beyond the limit, ties by fd, whoever checks', async () => {
    for (const order of [[3, 1, 2, 4], [4, 2, 1, 3]]) {
      const sessions: Record<number, number> = {};
      const at: Record<number, number> = { 1: 60, 2: 50, 3: 50, 4: 10 }; // 4 connected first (bound last), 2 and 3 together
      for (const fd of order) sessions[fd] = at[fd]!;
      const { api, closed } = fakeCluster(sessions);
      await new UidLimit(2, api, pino({ level: 'silent' })).bound(4, 'alice');
      expect(closed).toEqual([[4, UID_LIMIT_CLOSE_CODE], [2, UID_LIMIT_CLOSE_CODE]]);
    }
  });

  it('at or under the limit, nothing is closed', async () => {
    const { api, closed } = fakeCluster({ 1: 1, 2: 2 });
    await new UidLimit(2, api, pino({ level: 'silent' })).bound(2, 'alice');
    expect(closed).toEqual([]);
  });
});
