/**
 * The contract every SessionTable implementation passes (STYLE.md principle 3), run by each
 * implementation's test file: `sessionTableContract('RedisSessionTable', makeHarness)`.
 */
import { describe, expect, it } from 'vitest';
import { encodeFd } from '../../src/shared/session-id.ts';
import type { SessionRecord, SessionTable } from '../../src/shared/session-table/types.ts';

export interface SessionTableHarness {
  /** Two handles on one store, as on two nodes (one process: the same instance twice). Reads
   * must reflect liveness changes at once (no liveness cache). */
  tables: [SessionTable, SessionTable];
  /** Liveness as every handle's `isAlive` reports it (all nodes start alive). */
  setAlive(node: number, alive: boolean): void;
  /** Closes the handles and removes whatever the store kept. */
  teardown(): Promise<void>;
}

const T0 = Date.UTC(2024, 0, 1);

/** The session record of (node, slot, seq), as a worker would add it. */
export function session(node: number, slot: number, seq: number): Omit<SessionRecord, 'uid'> {
  return { fd: encodeFd(seq, node, slot), node, slot, remoteAddress: `10.0.${node}.${slot}`, remotePort: 40_000 + seq, connectTime: T0 + seq };
}

/** A read on the handle that wrote: once it answers, that handle's writes have landed, and
 * another handle sees them (handles on different nodes are not ordered with each other). */
const landed = async (t: SessionTable): Promise<void> => void (await t.count());
const fdOf = (node: number, slot: number, seq: number): number => encodeFd(seq, node, slot);
const sorted = (fds: number[]): number[] => [...fds].sort((a, b) => a - b);

export function sessionTableContract(name: string, make: () => Promise<SessionTableHarness>): void {
  async function withTables(body: (h: SessionTableHarness) => Promise<void>): Promise<void> {
    const h = await make();
    try {
      await body(h);
    } finally {
      await h.teardown();
    }
  }

  describe(`SessionTable contract: ${name}`, () => {
    it('add, get and remove a session; unknown and malformed fds read as null', async () => {
      await withTables(async ({ tables: [a, b] }) => {
        const s = session(1, 2, 7);
        a.add(s);
        expect(await a.get(s.fd)).toEqual({ ...s, uid: null });
        expect(await b.get(s.fd)).toEqual({ ...s, uid: null });
        expect(await a.get(fdOf(1, 2, 8))).toBeNull();
        for (const bad of [-1, 0, 1.5, Number.NaN, 2 ** 60]) expect(await a.get(bad)).toBeNull();
        a.remove(s.fd);
        expect(await a.get(s.fd)).toBeNull();
        expect(await b.get(s.fd)).toBeNull();
        expect(() => a.remove(s.fd)).not.toThrow(); // twice: no-op
        expect(await b.count()).toBe(0);
      });
    });

    it('ignores, without throwing, writes with malformed fds or an fd that contradicts node/slot', async () => {
      await withTables(async ({ tables: [a] }) => {
        expect(() => a.add({ ...session(1, 2, 1), slot: 3 })).not.toThrow();
        expect(() => a.add({ ...session(1, 2, 1), fd: -5 })).not.toThrow();
        for (const bad of [-1, Number.NaN, 1.5]) {
          expect(() => a.remove(bad)).not.toThrow();
          expect(() => a.bind(bad, 'u')).not.toThrow();
          expect(() => a.unbind(bad)).not.toThrow();
        }
        expect(await a.count()).toBe(0);
        expect(await a.fdsByUid('u')).toEqual([]);
      });
    });

    it('binds, rebinds and unbinds a uid', async () => {
      await withTables(async ({ tables: [a, b] }) => {
        const [s1, s2, s3] = [session(1, 0, 1), session(1, 1, 2), session(2, 0, 3)];
        for (const s of [s1, s2, s3]) a.add(s);
        a.bind(s1.fd, 'alice');
        await landed(a);
        b.bind(s3.fd, 'alice'); // another node binds its own session
        await landed(b);
        expect(await a.fdsByUid('alice')).toEqual(sorted([s1.fd, s3.fd]));
        expect((await b.get(s1.fd))?.uid).toBe('alice');

        a.bind(s1.fd, 'bob'); // rebinding replaces
        expect(await a.fdsByUid('alice')).toEqual([s3.fd]);
        expect(await a.fdsByUid('bob')).toEqual([s1.fd]);
        expect((await a.get(s1.fd))?.uid).toBe('bob');

        a.unbind(s1.fd);
        a.unbind(s2.fd); // never bound: no-op
        expect(await a.fdsByUid('bob')).toEqual([]);
        expect(await a.get(s1.fd)).toEqual({ ...s1, uid: null });
        expect(await a.fdsByUid('nobody')).toEqual([]);
        a.bind(s1.fd, 'ünï côdé: {x} *?');
        expect(await a.fdsByUid('ünï côdé: {x} *?')).toEqual([s1.fd]);
      });
    });

    it('ignores a bind of an unknown fd (a session closed already must not linger under its uid)', async () => {
      await withTables(async ({ tables: [a] }) => {
        const s = session(1, 0, 1);
        a.bind(s.fd, 'ghost');
        a.add(s);
        expect(await a.fdsByUid('ghost')).toEqual([]);
        expect((await a.get(s.fd))?.uid).toBeNull();
      });
    });

    it('remove forgets the uid binding too', async () => {
      await withTables(async ({ tables: [a] }) => {
        const [s1, s2] = [session(1, 0, 1), session(1, 0, 2)];
        a.add(s1);
        a.add(s2);
        a.bind(s1.fd, 'carol');
        a.bind(s2.fd, 'carol');
        a.remove(s1.fd);
        expect(await a.fdsByUid('carol')).toEqual([s2.fd]);
        a.remove(s2.fd);
        expect(await a.fdsByUid('carol')).toEqual([]);
      });
    });

    it('an add of an fd already present replaces its record, uid included', async () => {
      await withTables(async ({ tables: [a] }) => {
        const s = session(1, 0, 1);
        a.add(s);
        a.bind(s.fd, 'dave');
        const again = { ...s, remotePort: 1, connectTime: T0 + 999 };
        a.add(again);
        expect(await a.get(s.fd)).toEqual({ ...again, uid: null });
        expect(await a.fdsByUid('dave')).toEqual([]);
      });
    });

    it('all and count span every node and worker', async () => {
      await withTables(async ({ tables: [a, b] }) => {
        expect(await a.all()).toEqual([]);
        expect(await a.count()).toBe(0);
        const onA = [session(1, 0, 1), session(1, 1, 2), session(1, 1, 3)];
        const onB = [session(2, 0, 4), session(2, 5, 5)];
        onA.forEach((s) => a.add(s));
        onB.forEach((s) => b.add(s));
        await landed(b);
        const every = sorted([...onA, ...onB].map((s) => s.fd));
        expect(await a.all()).toEqual(every);
        expect(await b.all()).toEqual(every);
        expect(await a.count()).toBe(5);
        b.remove(onB[0]!.fd);
        await landed(b);
        expect(await a.count()).toBe(4);
        expect(await a.all()).toEqual(every.filter((fd) => fd !== onB[0]!.fd));
      });
    });

    it('purgeWorker forgets exactly that worker\'s sessions and their uids', async () => {
      await withTables(async ({ tables: [a, b] }) => {
        const victims = [session(1, 1, 1), session(1, 1, 2), session(1, 1, 3)];
        const others = [session(1, 0, 4), session(1, 2, 5), session(2, 1, 6)];
        [...victims, ...others].forEach((s) => a.add(s));
        a.bind(victims[0]!.fd, 'erin');
        a.bind(others[2]!.fd, 'erin');
        await landed(a);
        expect(await b.purgeWorker(1, 1)).toBe(3);
        expect(await a.all()).toEqual(sorted(others.map((s) => s.fd)));
        expect(await a.fdsByUid('erin')).toEqual([others[2]!.fd]);
        for (const s of victims) expect(await a.get(s.fd)).toBeNull();
        expect(await b.purgeWorker(1, 1)).toBe(0); // idempotent
        expect(await b.purgeWorker(9, 9)).toBe(0); // never had sessions
        a.add(session(1, 1, 7)); // the restarted worker's new sessions are kept
        await landed(a);
        expect(await b.count()).toBe(4);
      });
    });

    it('hides a dead node\'s sessions from every read at once, and purgeDeadNodes removes them', async () => {
      await withTables(async ({ tables: [a, b], setAlive }) => {
        const live = [session(1, 0, 1), session(1, 1, 2)];
        const dying = [session(2, 0, 3), session(2, 1, 4)];
        live.forEach((s) => a.add(s));
        dying.forEach((s) => b.add(s));
        b.bind(dying[0]!.fd, 'frank');
        a.bind(live[0]!.fd, 'frank');
        await Promise.all([landed(a), landed(b)]);
        expect(await a.count()).toBe(4);

        setAlive(2, false);
        expect(await a.count()).toBe(2);
        expect(await a.all()).toEqual(sorted(live.map((s) => s.fd)));
        expect(await a.fdsByUid('frank')).toEqual([live[0]!.fd]);
        expect(await a.get(dying[0]!.fd)).toBeNull();

        expect(await a.purgeDeadNodes()).toEqual([2]);
        expect(await a.purgeDeadNodes()).toEqual([]);
        setAlive(2, true); // the id comes back (leased again): the old sessions stay gone
        expect(await a.count()).toBe(2);
        expect(await a.fdsByUid('frank')).toEqual([live[0]!.fd]);
        expect(await a.get(dying[1]!.fd)).toBeNull();
      });
    });

    it('concurrent purges (from two nodes, of workers and of dead nodes) are safe', async () => {
      await withTables(async ({ tables: [a, b], setAlive }) => {
        const live = Array.from({ length: 50 }, (_, i) => session(1, i % 3, i + 1));
        const dead = [2, 3, 4].flatMap((node) => Array.from({ length: 400 }, (_, i) => session(node, i % 4, i + 1)));
        live.forEach((s) => a.add(s));
        dead.forEach((s) => b.add(s));
        dead.forEach((s, i) => i % 3 === 0 && b.bind(s.fd, `user${i % 7}`));
        await Promise.all([landed(a), landed(b)]);
        [2, 3, 4].forEach((n) => setAlive(n, false));
        const [r1, r2, , r4] = await Promise.all([a.purgeDeadNodes(), b.purgeDeadNodes(), a.purgeWorker(3, 1), b.purgeDeadNodes()]);
        // A purger reports the dead nodes it found, purged by it or by a concurrent one.
        expect(sorted([...new Set([...r1, ...r2, ...r4])])).toEqual([2, 3, 4]);
        for (const r of [r1, r2, r4]) expect(r.every((n) => [2, 3, 4].includes(n))).toBe(true);
        [2, 3, 4].forEach((n) => setAlive(n, true));
        expect(await a.all()).toEqual(sorted(live.map((s) => s.fd)));
        for (let u = 0; u < 7; u++) expect(await b.fdsByUid(`user${u}`)).toEqual([]);
        expect(await b.purgeDeadNodes()).toEqual([]);
      });
    });

    it('takes thousands of writes issued in one turn, applied in order', async () => {
      await withTables(async ({ tables: [a, b] }) => {
        const many = Array.from({ length: 3000 }, (_, i) => session(1 + (i % 2), i % 8, i + 1));
        for (const s of many) {
          a.add(s);
          if (s.fd % 3 === 0) a.bind(s.fd, `u${s.fd % 5}`);
          if (s.fd % 10 === 0) a.remove(s.fd);
        }
        const kept = many.filter((s) => s.fd % 10 !== 0);
        await landed(a);
        expect(await b.count()).toBe(kept.length);
        expect(await b.all()).toEqual(sorted(kept.map((s) => s.fd)));
        const u0 = kept.filter((s) => s.fd % 3 === 0 && s.fd % 5 === 0).map((s) => s.fd);
        expect(await b.fdsByUid('u0')).toEqual(sorted(u0));
        expect(await b.get(kept[1234]!.fd)).toEqual({ ...kept[1234]!, uid: kept[1234]!.fd % 3 === 0 ? `u${kept[1234]!.fd % 5}` : null });
        for (const s of many) a.remove(s.fd);
        expect(await a.count()).toBe(0);
      });
    });

    it('close() lands pending writes, then ignores writes and rejects reads', async () => {
      await withTables(async ({ tables: [a, b] }) => {
        for (let i = 1; i <= 200; i++) b.add(session(2, 0, i));
        await b.close();
        await b.close(); // twice: fine
        expect(() => b.add(session(2, 0, 999))).not.toThrow();
        expect(() => b.bind(fdOf(2, 0, 1), 'x')).not.toThrow();
        await expect(b.count()).rejects.toMatchObject({ code: 'ERR_SESSION_TABLE_CLOSED' });
        await expect(b.get(fdOf(2, 0, 1))).rejects.toMatchObject({ code: 'ERR_SESSION_TABLE_CLOSED' });
        if (a !== b) {
          expect(await a.count()).toBe(200);
          expect((await a.get(fdOf(2, 0, 1)))?.uid).toBeNull();
        }
      });
    });
  });
}
