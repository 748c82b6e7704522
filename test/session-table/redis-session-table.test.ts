import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NodeRegistry } from '../../src/master/cluster/node-registry.ts';
import { ClusterKeys } from '../../src/shared/redis-keys.ts';
import { RedisSessionTable, type RedisSessionTableOptions } from '../../src/shared/session-table/redis-session-table.ts';
import type { SessionOwner, SessionRecord } from '../../src/shared/session-table/types.ts';
import { externalTool } from '../helpers/process.ts';
import { REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { session, sessionTableContract, type SessionTableHarness } from './contract.ts';
import { PrivateRedis } from '../helpers/redis.ts';
import { until } from '../helpers/server.ts';

const redis = externalTool('Redis session table', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
const PREFIX = `sy-test-st-${randomBytes(4).toString('hex')}`;
let runs = 0;

/** Every client a test made; each test's keys live under its own prefix, deleted after. */
const clients: Redis[] = [];
function client(url = REDIS_URL, options: RedisOptions = {}): Redis {
  const c = new Redis(url, options);
  c.on('error', () => {}); // outages are the point of some tests
  clients.push(c);
  return c;
}

/** Keys under `prefix` (hash-tagged or not), or matching `pattern`. */
async function keysOf(prefix: string, pattern = `*${prefix}[:}]*`): Promise<string[]> {
  const admin = client();
  const keys = await admin.keys(pattern);
  admin.disconnect();
  return keys.sort();
}

async function deleteKeys(prefix: string): Promise<void> {
  const keys = await keysOf(prefix);
  if (keys.length > 0) {
    const admin = client();
    await admin.del(...keys);
    admin.disconnect();
  }
}

function capture(): { log: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  return { lines, log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) }) };
}


/** Awaits `p`'s rejection and returns how long it took. */
async function rejectsWithin(p: Promise<unknown>, code: string): Promise<number> {
  const t0 = Date.now();
  await expect(p).rejects.toMatchObject({ code });
  return Date.now() - t0;
}


/** Two handles (two clients) on one fresh prefix; liveness read at once (no cache). */
function harness(hashTag: boolean): () => Promise<SessionTableHarness> {
  return async () => {
    const prefix = `${PREFIX}-c${++runs}`;
    const dead = new Set<number>();
    const make = (): RedisSessionTable => new RedisSessionTable({ redis: client(), prefix, hashTag, ownsClient: true, aliveCacheMs: 0, isAlive: (n) => !dead.has(n) });
    const tables: [RedisSessionTable, RedisSessionTable] = [make(), make()];
    return {
      tables,
      setAlive: (node, alive) => void (alive ? dead.delete(node) : dead.add(node)),
      async teardown() {
        await Promise.all(tables.map((t) => t.close()));
        for (const t of tables) expect(t.stats()).toMatchObject({ failed: 0 });
        await deleteKeys(prefix);
      },
    };
  };
}

describe.runIf(redis.run)('RedisSessionTable', () => {
  if (!redis.available) it('needs a reachable Redis', () => expect.fail(redis.problem ?? 'Redis unavailable'));
  else {
    sessionTableContract('RedisSessionTable', harness(false));
    sessionTableContract('RedisSessionTable (hash tag)', harness(true));
  }

  const tables: RedisSessionTable[] = [];
  const registries: NodeRegistry[] = [];
  const servers: PrivateRedis[] = [];
  let prefix = '';

  function table(options: Partial<RedisSessionTableOptions> = {}): RedisSessionTable {
    const t = new RedisSessionTable({ redis: client(), prefix, ownsClient: true, isAlive: () => true, ...options });
    tables.push(t);
    return t;
  }

  afterEach(async () => {
    await Promise.allSettled(registries.splice(0).map((r) => r.leave()));
    await Promise.all(tables.splice(0).map((t) => t.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await deleteKeys(prefix);
    prefix = `${PREFIX}-t${++runs}`;
  });
  prefix = `${PREFIX}-t${++runs}`;

  afterAll(async () => {
    expect(await keysOf(PREFIX, `*${PREFIX}-*`)).toEqual([]); // every test cleaned up after itself
    for (const c of clients) c.disconnect();
  });

  it('keeps the documented key layout, and leaves no key behind once sessions are gone', async () => {
    const t = table();
    const [a, b] = [session(3, 1, 1), session(3, 2, 2)];
    t.add(a);
    t.add(b);
    t.bind(a.fd, 'alice');
    await t.count();
    const p = prefix;
    expect(await keysOf(prefix)).toEqual([`${p}:nw:3`, `${p}:s:${a.fd}`, `${p}:s:${b.fd}`, `${p}:sn`, `${p}:u:alice`, `${p}:ws:3:1`, `${p}:ws:3:2`].sort());
    // The Lua scripts build the names ClusterKeys gives (the one list of key names).
    const k = ClusterKeys.of(prefix);
    expect(await keysOf(prefix)).toEqual([k.nodeWorkers(3), k.session(a.fd), k.session(b.fd), k.sessionNodes, k.uidSessions('alice'), k.workerSessions(3, 1), k.workerSessions(3, 2)].sort());
    const admin = client();
    expect(await admin.hgetall(`${p}:s:${a.fd}`)).toEqual({ node: '3', slot: '1', addr: a.remoteAddress, port: String(a.remotePort), t: String(a.connectTime), uid: 'alice' });
    expect(await admin.smembers(`${p}:nw:3`)).toEqual(expect.arrayContaining(['1', '2']));
    t.remove(a.fd);
    await t.count();
    expect(await keysOf(prefix)).toEqual([`${p}:nw:3`, `${p}:s:${b.fd}`, `${p}:sn`, `${p}:ws:3:2`].sort());
    expect(await t.purgeWorker(3, 2)).toBe(1);
    expect(await keysOf(prefix)).toEqual([]);
  });

  it('wraps the prefix in a hash tag when asked (Redis Cluster)', async () => {
    const t = table({ hashTag: true });
    t.add(session(1, 0, 1));
    await t.count();
    expect(await keysOf(prefix)).toEqual([`{${prefix}}:nw:1`, `{${prefix}}:s:${session(1, 0, 1).fd}`, `{${prefix}}:sn`, `{${prefix}}:ws:1:0`]);
    expect(() => table({ prefix: 'a{b}' })).toThrow(RangeError);
  });

  it('sends the writes of one event-loop turn as one batch; purges big sets in steps', async () => {
    let alive = true;
    const t = table({ isAlive: () => alive });
    for (let i = 1; i <= 2500; i++) t.add(session(1, i % 4, i));
    expect(t.stats()).toMatchObject({ batches: 0, written: 0 });
    await new Promise((r) => setImmediate(r));
    expect(t.stats().batches).toBe(1);
    expect(await t.count()).toBe(2500);
    expect(t.stats()).toEqual({ batches: 1, written: 2500, failed: 0, dropped: 0, resyncs: 0 });
    expect(await t.purgeWorker(1, 1)).toBe(625); // two PURGE steps of at most 500
    alive = false;
    expect(await t.purgeDeadNodes()).toEqual([1]);
    expect(await keysOf(prefix)).toEqual([]);
  });

  it('asks isAlive at most once per node per aliveCacheMs, and never caches a failure', async () => {
    const asked: number[] = [];
    let fail = false;
    const t = table({ aliveCacheMs: 300, isAlive: (n) => (asked.push(n), fail ? Promise.reject(new Error('registry down')) : true) });
    [session(1, 0, 1), session(2, 0, 2), session(2, 1, 3)].forEach((s) => t.add(s));
    for (let i = 0; i < 5; i++) expect(await t.count()).toBe(3);
    await t.all();
    await t.get(session(2, 1, 3).fd);
    expect(asked.sort()).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 350));
    fail = true;
    await expect(t.all()).rejects.toMatchObject({ code: 'ERR_SESSION_TABLE_UNAVAILABLE', message: expect.stringContaining('registry down') });
    fail = false;
    expect(await t.all()).toHaveLength(3);
  });

  it('Redis stopped: reads reject within the bound, writes never throw; after a restart it works again', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    const { log, lines } = capture();
    const t = table({ redis: client(server.url, { retryStrategy: () => 100 }), timeoutMs: 500, maxPendingOps: 50, log });
    t.add(session(1, 0, 1));
    expect(await t.count()).toBe(1);

    await server.stop();
    for (let i = 2; i < 200; i++) expect(() => t.add(session(1, 0, i))).not.toThrow();
    expect(() => t.bind(session(1, 0, 1).fd, 'u')).not.toThrow();
    const reads = [t.count(), t.all(), t.get(session(1, 0, 1).fd), t.fdsByUid('u'), t.purgeWorker(1, 0), t.purgeDeadNodes()];
    for (const took of await Promise.all(reads.map((r) => rejectsWithin(r, 'ERR_SESSION_TABLE_UNAVAILABLE')))) expect(took).toBeLessThan(1500);
    expect(t.stats().dropped).toBeGreaterThanOrEqual(140); // beyond maxPendingOps while Redis is away
    expect(lines.filter((l) => l.msg.startsWith('session table writes dropped'))).toHaveLength(1);

    await server.start(); // an empty Redis (no persistence): sessions written from now on count
    await until(async () => (await t.count().catch(() => -1)) >= 0, 5000, 'reads work again');
    t.add(session(2, 0, 1));
    expect(await t.get(session(2, 0, 1).fd)).toEqual({ ...session(2, 0, 1), uid: null });
  });

  /** A worker's live state, as LocalConnections offers it to keepInSync. */
  function owner(node: number, slot: number, seqs: number[], uids: Record<number, string> = {}): SessionOwner & { live: Map<number, SessionRecord> } {
    const live = new Map(seqs.map((seq) => [session(node, slot, seq).fd, { ...session(node, slot, seq), uid: uids[seq] ?? null }]));
    return { node, slot, live, fds: () => live.keys(), record: (fd) => live.get(fd) ?? null };
  }

  it('keepInSync: Redis killed with -9 and restarted empty: the worker\'s sessions and uids are written again by themselves', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    const { log, lines } = capture();
    const c = client(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    await new Promise((r) => c.once('ready', r));
    const t = table({ redis: c, log });
    const w = owner(3, 1, [1, 2, 3], { 1: 'ann', 3: 'ann' });
    t.keepInSync(w);
    for (const r of w.live.values()) t.add(r);
    t.bind(session(3, 1, 1).fd, 'ann');
    t.bind(session(3, 1, 3).fd, 'ann');
    expect(await t.fdsByUid('ann')).toHaveLength(2);

    await server.kill();
    await server.start();
    const want = [1, 3].map((seq) => session(3, 1, seq).fd);
    await until(async () => (await t.fdsByUid('ann').catch(() => [])).length === 2, 5000, 'uids written again');
    expect(await t.fdsByUid('ann')).toEqual(want);
    expect(await t.count()).toBe(3);
    expect(await t.get(session(3, 1, 2).fd)).toEqual({ ...session(3, 1, 2), uid: null });
    expect(t.stats().resyncs).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.msg === 'session table re-written for this worker')).toBe(true);
  });

  it('keepInSync: a bind that finds its session gone (FLUSHALL) triggers the re-write; stale sessions of the worker are removed', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    const t = table({ redis: client(server.url, { maxRetriesPerRequest: 0 }) });
    const w = owner(3, 1, [1, 2]);
    t.keepInSync(w);
    for (const seq of [1, 2, 9]) t.add(session(3, 1, seq)); // 9 closed while its remove was lost
    expect(await t.count()).toBe(3);
    const admin = client(server.url);
    await admin.flushall();
    // Before: the bind was ignored for good (the session hash was gone) and nothing noticed.
    w.live.get(session(3, 1, 2).fd)!.uid = 'zed';
    t.bind(session(3, 1, 2).fd, 'zed');
    await until(async () => (await t.fdsByUid('zed')).length === 1, 5000, 'bind landed after the re-write');
    expect(await t.all()).toEqual([1, 2].map((seq) => session(3, 1, seq).fd));
    // a stale session is swept too (written back by another handle, then a re-write asked for)
    t.add(session(3, 1, 9));
    t.resync('test');
    await until(async () => (await t.count()) === 2, 5000, 'stale session removed');
    expect(await t.get(session(3, 1, 9).fd)).toBeNull();
  });

  it('with a client that has no offline queue: failed writes are counted and logged once', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    const { log, lines } = capture();
    const redisClient = client(server.url, { enableOfflineQueue: false, retryStrategy: () => 100 });
    const t = table({ redis: redisClient, timeoutMs: 500, log });
    await until(() => redisClient.status === 'ready', 2000, 'connected');
    await server.stop();
    await until(() => redisClient.status !== 'ready', 2000, 'outage seen');
    for (let turn = 0; turn < 3; turn++) {
      t.add(session(1, 0, turn + 1));
      await new Promise((r) => setImmediate(r));
    }
    await until(() => t.stats().failed === 3, 2000, 'three failed writes');
    expect(lines.filter((l) => l.level === 40 && l.msg.startsWith('session table writes failed'))).toHaveLength(1);
    await rejectsWithin(t.count(), 'ERR_SESSION_TABLE_UNAVAILABLE');
    await server.start();
    await until(() => redisClient.status === 'ready', 5000, 'reconnected');
    t.add(session(1, 0, 9));
    expect(await t.count()).toBe(1);
    expect(lines.some((l) => l.msg === 'session table writes work again')).toBe(true);
  });

  it('a client closed for good: reads reject at once', async () => {
    const c = client();
    const t = table({ redis: c, ownsClient: false });
    c.disconnect();
    await until(() => c.status === 'end', 1000, 'client ended');
    expect(await rejectsWithin(t.all(), 'ERR_SESSION_TABLE_UNAVAILABLE')).toBeLessThan(50);
  });

  it('a node whose lease expires: its sessions vanish from reads within the ttl, then purgeDeadNodes removes them', async () => {
    const ttlMs = 600;
    const info = { host: 'test', pid: process.pid, workers: 2 };
    const nodeA = await NodeRegistry.join(client(), prefix, info, ttlMs);
    const bClient = client();
    const nodeB = await NodeRegistry.join(bClient, prefix, info, ttlMs);
    registries.push(nodeA, nodeB);
    const isAlive = (n: number): Promise<boolean> => nodeA.isAlive(n);
    const a = table({ isAlive, aliveCacheMs: 100 });
    const b = table({ isAlive });
    const onA = [session(nodeA.id, 0, 1), session(nodeA.id, 1, 2)];
    const onB = [session(nodeB.id, 0, 3), session(nodeB.id, 1, 4)];
    onA.forEach((s) => a.add(s));
    onB.forEach((s) => b.add(s));
    a.bind(onA[0]!.fd, 'gina');
    b.bind(onB[0]!.fd, 'gina');
    await b.count();
    expect(await a.count()).toBe(4);
    expect(await a.purgeDeadNodes()).toEqual([]);

    bClient.disconnect(); // node B "crashes": its lease is no longer refreshed
    const took = await until(async () => (await a.count()) === 2, ttlMs + 100 + 1000, 'node B hidden');
    expect(took).toBeLessThan(ttlMs + 100 + 500); // lease ttl + alive cache + scheduling slack
    expect(await a.all()).toEqual(onA.map((s) => s.fd));
    expect(await a.fdsByUid('gina')).toEqual([onA[0]!.fd]);
    expect(await a.get(onB[1]!.fd)).toBeNull();

    const [p1, p2] = await Promise.all([a.purgeDeadNodes(), a.purgeDeadNodes()]);
    expect([...new Set([...p1, ...p2])]).toEqual([nodeB.id]);
    const keys = await keysOf(prefix);
    expect(keys.filter((k) => k.includes(`:ws:${nodeB.id}:`) || k.endsWith(`:nw:${nodeB.id}`))).toEqual([]);
    for (const s of onB) expect(keys).not.toContain(`${prefix}:s:${s.fd}`);
    expect(await client().smembers(`${prefix}:u:gina`)).toEqual([String(onA[0]!.fd)]);
  });
});
