import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NodeRegistry, type NodeInfo } from '../../src/master/cluster/node-registry.ts';
import { REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { until } from '../helpers/server.ts';

const PREFIX = `sy-test-reg-${randomBytes(4).toString('hex')}`;


const redisUp = redisProbe() === null;
if (!redisUp && process.env.CI !== 'true') {
  console.warn(`\n!!! node-registry tests SKIPPED: no Redis at ${REDIS_URL} (set REDIS_URL; with CI=true this fails) !!!\n`);
}

describe.runIf(!redisUp && process.env.CI === 'true')('node registry (CI)', () => {
  it('needs a reachable Redis', () => {
    expect.fail(`no Redis at ${REDIS_URL}: the node-registry tests cannot run`);
  });
});

/** A pino logger whose JSON lines land in `lines`, to assert on logs. */
function capture(): { log: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  return { lines, log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) }) };
}


describe.runIf(redisUp)('NodeRegistry (real Redis)', () => {
  const clients: Redis[] = [];
  const registries: NodeRegistry[] = [];
  let n = 0;

  function client(): Redis {
    const c = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    c.on('error', () => {}); // connection errors are expected where a test disconnects a client
    clients.push(c);
    return c;
  }
  const admin = client();

  function info(extra: Record<string, unknown> = {}): NodeInfo {
    return { host: hostname(), pid: process.pid, workers: 2, ...extra };
  }

  /** Each test its own prefix: sequences and leases never leak between tests. */
  function prefix(): string {
    return `${PREFIX}-${++n}`;
  }

  async function join(redis: Redis, p: string, ttlMs?: number, extra?: Record<string, unknown>, log?: Logger): Promise<NodeRegistry> {
    const r = await NodeRegistry.join(redis, p, info(extra), ttlMs, log ? { log } : {});
    registries.push(r);
    return r;
  }

  afterEach(async () => {
    await Promise.allSettled(registries.splice(0).map((r) => r.leave()));
  });

  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${PREFIX}-*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await admin.del(...keys);
    } while (cursor !== '0');
    for (const c of clients) c.disconnect();
  });

  it('gives 20 concurrent joins 20 distinct ids, skipping taken ids and wrapping at 4096', async () => {
    const p = prefix();
    await admin.set(`${p}:node-seq`, 4090); // the next INCRs give 4091.., then wrap to 0..
    for (const id of [4092, 4094, 0, 3]) await admin.set(`${p}:node:${id}`, JSON.stringify({ token: 'other', info: info() }));
    const conns = [client(), client(), client(), client()];
    const joined = await Promise.all(Array.from({ length: 20 }, (_, i) => join(conns[i % 4]!, p, 5000, { i })));
    const ids = joined.map((r) => r.id);
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) {
      expect(id).toBeGreaterThanOrEqual(0);
      expect(id).toBeLessThan(4096);
      expect([4092, 4094, 0, 3]).not.toContain(id);
    }
    const live = await joined[0]!.liveNodes();
    expect(live.map((l) => l.id).sort((a, b) => a - b)).toEqual([...ids, 4092, 4094, 0, 3].sort((a, b) => a - b));
    expect(live.find((l) => l.id === joined[5]!.id)?.info).toMatchObject({ host: hostname(), i: 5 });
  });

  it('reuses an id only after its lease expired', async () => {
    const p = prefix();
    const crashed = client();
    const a = await join(crashed, p, 600);
    crashed.disconnect(); // a crashed node: no keep-alive, no leave()
    await admin.set(`${p}:node-seq`, a.id - 1 + 4096); // the next INCR lands on a.id again
    const b = await join(admin, p, 600);
    expect(b.id).not.toBe(a.id);
    await until(async () => (await admin.exists(`${p}:node:${a.id}`)) === 0, 2000);
    await admin.set(`${p}:node-seq`, a.id - 1 + 4096);
    const c = await join(admin, p, 600);
    expect(c.id).toBe(a.id);
  });

  it('drops a node that stopped refreshing from liveNodes() within its ttl', async () => {
    const p = prefix();
    const ttlMs = 600;
    const observer = await join(admin, p, ttlMs);
    const doomedConn = client();
    const doomed = await join(doomedConn, p, ttlMs, { role: 'doomed' });
    expect((await observer.liveNodes()).map((l) => l.id)).toContain(doomed.id);
    // Survives several refresh periods while alive.
    await new Promise((r) => setTimeout(r, ttlMs * 2));
    expect(await observer.isAlive(doomed.id)).toBe(true);
    doomedConn.disconnect();
    const gone = await until(async () => !(await observer.liveNodes()).some((l) => l.id === doomed.id), ttlMs + 500);
    expect(gone).toBeLessThanOrEqual(ttlMs + 100);
    expect(await observer.isAlive(observer.id)).toBe(true);
  });

  it('leave() frees the id at once', async () => {
    const p = prefix();
    const r = await join(admin, p, 10_000);
    expect(await r.isAlive(r.id)).toBe(true);
    await r.leave();
    expect(await admin.exists(`${p}:node:${r.id}`)).toBe(0);
    await admin.set(`${p}:node-seq`, r.id - 1 + 4096);
    const again = await join(admin, p, 10_000);
    expect(again.id).toBe(r.id);
    await r.leave(); // idempotent, and does not free a lease that is no longer ours
    expect(await again.isAlive(again.id)).toBe(true);
  });

  it('re-claims its id, loudly, when the lease is deleted under it', async () => {
    const p = prefix();
    const { log, lines } = capture();
    const r = await join(admin, p, 600, {}, log);
    const key = `${p}:node:${r.id}`;
    const value = await admin.get(key);
    await admin.del(key);
    await until(async () => (await admin.get(key)) === value, 1000);
    expect(await admin.pttl(key)).toBeGreaterThan(0);
    const loud = lines.find((l) => l.level >= 50 && /re-claimed/.test(l.msg));
    expect(loud).toBeDefined();
  });

  it('reports, never shares, an id another node took', async () => {
    const p = prefix();
    const { log, lines } = capture();
    const r = await join(admin, p, 600, {}, log);
    const lost: string[] = [];
    r.onLost = (reason) => lost.push(reason);
    const key = `${p}:node:${r.id}`;
    await admin.set(key, JSON.stringify({ token: 'usurper', info: info() }), 'PX', 5000);
    await until(() => lost.length > 0, 1000);
    expect(lost).toEqual([`node id ${r.id} is now leased by another node`]);
    expect(lines.some((l) => l.level === 60)).toBe(true);
    await r.leave(); // must not delete the other node's lease
    expect(JSON.parse((await admin.get(key))!).token).toBe('usurper');
  });

  it('fails clearly when all 4096 ids are taken', async () => {
    const p = prefix();
    const pipe = admin.pipeline();
    for (let id = 0; id < 4096; id++) pipe.set(`${p}:node:${id}`, '{}', 'PX', 20_000);
    await pipe.exec();
    await expect(NodeRegistry.join(admin, p, info())).rejects.toMatchObject({ code: 'ERR_NODE_IDS_EXHAUSTED' });
  });

  it('refuses a ttl too short to refresh in time', async () => {
    await expect(NodeRegistry.join(admin, prefix(), info(), 50)).rejects.toThrow(RangeError);
  });
});
