import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PUBLISH_OVERHEAD_BYTES, RedisBus, publishCost, type RedisBusOptions } from '../../src/shared/bus/redis-bus.ts';
import { BytesMessage, encodeEnvelope } from '../../src/shared/bus/codec.ts';
import { CUT_MARKER, isCutMarker } from '../../src/shared/bus/cut-marker.ts';
import type { Bus, Incoming, SendResult, WorkerAddress } from '../../src/shared/bus/types.ts';
import { busContract, type BusHarness, type BusSettings } from './contract.ts';
import { dataOf, keep, push as message, seqOf, textOf } from './messages.ts';
import { PrivateRedis, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { SlowRedis } from '../helpers/slow-redis.ts';
import { until } from '../helpers/server.ts';

const PREFIX = `sy-test-bus-${randomBytes(4).toString('hex')}`;


const redisUp = redisProbe() === null;
if (!redisUp && process.env.CI !== 'true') {
  console.warn(`\n!!! redis-bus tests SKIPPED: no Redis at ${REDIS_URL} (set REDIS_URL; with CI=true this fails) !!!\n`);
}

describe.runIf(!redisUp && process.env.CI === 'true')('redis bus (CI)', () => {
  it('needs a reachable Redis', () => {
    expect.fail(`no Redis at ${REDIS_URL}: the redis-bus tests cannot run`);
  });
});

type Received = Array<{ msg: Incoming; from: WorkerAddress }>;
type LogLine = { level: number; msg: string; role?: string };

function capture(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) }) };
}


const push = (n: number, data: Buffer | string = `m${n}`) => message(n, data);
/** A broadcast sample: numbered -1, so that a receiver tells it from a direct send. */
const cast = (data: string) => message(-1, data);
const tOf = (m: Incoming): string => (seqOf(m) === -1 ? 'broadcast' : 'push');

/**
 * Calls `fn` `times` times: each must return 'down' synchronously (a value, not a promise),
 * i.e. fail fast instead of waiting on the dead connection. The time bound is only a guard
 * against a hidden wait (a reconnect attempt takes 50 ms or more), loose enough for a loaded
 * 2-core CI box: speed itself is measured by benchmarks, not tests.
 */
function assertRefusedFast(fn: () => SendResult, times = 1): void {
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const result = fn();
    took.push(performance.now() - t0);
    expect(result).toBe('down');
  }
  took.sort((a, b) => a - b);
  expect(took[Math.floor(took.length / 2)]).toBeLessThan(20);
}


/** Kills our own connection by the name the bus set (CLIENT SETNAME). */
async function killConnection(redis: Redis, name: string): Promise<void> {
  const list = (await redis.call('CLIENT', 'LIST', 'TYPE', name.includes(':sub:') ? 'pubsub' : 'normal')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  expect(line, `a connection named ${name}`).toBeDefined();
  const id = /\bid=(\d+)/.exec(line!)![1]!;
  expect(await redis.call('CLIENT', 'KILL', 'ID', id)).toBe(1);
}

/** Contract harness: bus i is node i+1, slot 0, all on one fresh prefix. */
function contractHarness(sharded: boolean, secret?: string): (count: number, settings?: BusSettings) => Promise<BusHarness> {
  let runs = 0;
  return async (count, settings = {}) => {
    const prefix = `${PREFIX}-contract-${sharded ? 's' : 'p'}${secret === undefined ? '' : 'm'}${++runs}`;
    const admin = new Redis(REDIS_URL);
    const made: RedisBus[] = [];
    const make = async (i: number): Promise<RedisBus> => {
      const budget = settings.maxQueuedBytes === undefined ? {} : { maxPendingBytes: settings.maxQueuedBytes };
      const bus = new RedisBus({ self: { node: i + 1, slot: 0 }, url: REDIS_URL, prefix, sharded, secret, log: pino({ level: 'silent' }), ...budget });
      made.push(bus);
      await bus.start();
      return bus;
    };
    const buses: Bus[] = await Promise.all(Array.from({ length: count }, (_, i) => make(i)));
    return {
      buses,
      async restart(i) {
        await buses[i]!.close();
        return (buses[i] = await make(i));
      },
      async cut(i) {
        // Both connections dropped by the server; the bus reconnects by itself in ~50 ms.
        await killConnection(admin, `${prefix}:pub:${i + 1}:0`);
        await killConnection(admin, `${prefix}:sub:${i + 1}:0`);
      },
      async teardown() {
        await Promise.all(made.map((bus) => bus.close()));
        admin.disconnect();
      },
    };
  };
}

describe.runIf(redisUp)('RedisBus contract', () => {
  // Pub/sub cannot tell an absent subscriber from a present one when publishing.
  busContract('RedisBus', contractHarness(false), { knowsAbsentPeers: false });
  busContract('RedisBus (sharded)', contractHarness(true), { knowsAbsentPeers: false });
  // Every guarantee holds with signed messages too (--bus-secret).
  busContract('RedisBus (signed)', contractHarness(false, 'contract-secret-0123456789'), { knowsAbsentPeers: false });
  busContract('RedisBus (signed, sharded)', contractHarness(true, 'contract-secret-0123456789'), { knowsAbsentPeers: false });
});

describe.runIf(redisUp)('RedisBus (real Redis)', () => {
  const buses: RedisBus[] = [];
  const servers: PrivateRedis[] = [];
  const admin = new Redis(REDIS_URL);
  admin.on('error', () => {});
  let run = 0;

  async function bus(node: number, slot = 0, options: Partial<RedisBusOptions> = {}): Promise<{ bus: RedisBus; got: Received }> {
    const b = new RedisBus({ self: { node, slot }, url: REDIS_URL, prefix: `${PREFIX}-${run}`, ...options });
    const got: Received = [];
    b.onMessage = (msg, from) => got.push({ msg: keep(msg), from });
    buses.push(b);
    await b.start();
    return { bus: b, got };
  }

  afterEach(async () => {
    run++;
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  afterAll(() => void admin.disconnect());

  // Buffers and strings round-tripping (every message type, 1 MiB Buffers): the contract's test.

  it('broadcasts reach other nodes once, and not the sender\'s own node', async () => {
    const { bus: a } = await bus(1, 0);
    const sibling = await bus(1, 1);
    const other = await bus(2, 0);
    const b = cast('all');
    expect(a.broadcast(b)).toBe('ok');
    // A direct message after the broadcast: once it arrives, the broadcast would have too.
    a.send({ node: 1, slot: 1 }, push(9));
    a.send({ node: 2, slot: 0 }, push(9));
    await until(() => sibling.got.length === 1 && other.got.length === 2);
    expect(other.got.map((g) => tOf(g.msg))).toEqual(['broadcast', 'push']);
    expect(sibling.got.map((g) => tOf(g.msg))).toEqual(['push']);
    expect(a.stats()).toMatchObject({ published: 3, refused: 0 });
  });

  it('close() hands what was published to Redis first, what ioredis\'s auto-pipeline holds behind a batch awaiting its replies too', async () => {
    const url = new URL(REDIS_URL);
    const slow = await SlowRedis.start({ host: url.hostname, port: Number(url.port || 6379) });
    try {
      const { bus: a } = await bus(1, 0, { url: slow.url });
      const { got } = await bus(2);
      // Redis answers a 200 ms late from now: a publish made while the first awaits its reply waits in the auto-pipeline.
      slow.delayMs = 200;
      expect(a.send({ node: 2, slot: 0 }, push(1))).toBe('ok');
      await new Promise((r) => setTimeout(r, 30));
      expect(a.send({ node: 2, slot: 0 }, push(2))).toBe('ok');
      await a.close();
      await until(() => got.length === 2, 3000, 'both messages');
      expect(got.map((g) => seqOf(g.msg))).toEqual([1, 2]);
    } finally {
      await slow.stop();
    }
  });

  it('says which subscription brought a message; a reload\'s cut marker broadcast by an address reaches that address (old worker and replacement), not the rest of its node', async () => {
    const seen = (b: RedisBus): string[] => {
      const out: string[] = [];
      b.onMessage = (msg, from, via) => out.push(`${isCutMarker(msg) ? 'marker' : textOf(msg)}:${from.node}/${from.slot}:${via}`);
      return out;
    };
    const { bus: old } = await bus(1, 0);
    const { bus: replacement } = await bus(1, 0);
    const { bus: sibling } = await bus(1, 1);
    const { bus: other } = await bus(2, 0);
    const oldGot = seen(old);
    const newGot = seen(replacement);
    const siblingGot = seen(sibling);
    const otherGot = seen(other);
    expect(old.broadcast(new BytesMessage('send', 0, CUT_MARKER))).toBe('ok');
    expect(old.send({ node: 1, slot: 0 }, new BytesMessage('send', 0, CUT_MARKER))).toBe('ok');
    // After them, in the same order everywhere: once these arrive, the markers would have.
    old.broadcast(cast('after'));
    old.send({ node: 1, slot: 1 }, push(1, 'after'));
    await until(() => otherGot.length === 2 && siblingGot.length === 1 && newGot.length === 2, 3000, 'the messages');
    expect(newGot).toEqual(['marker:1/0:broadcast', 'marker:1/0:direct']);
    expect(oldGot).toEqual(['marker:1/0:broadcast', 'marker:1/0:direct']);
    expect(siblingGot).toEqual(['after:1/0:direct']);
    expect(otherGot).toEqual(['marker:1/0:broadcast', 'after:1/0:broadcast']);
  });

  it('keeps one sender\'s order across direct sends and broadcasts', async () => {
    const { bus: a } = await bus(1);
    const { got } = await bus(2);
    for (let i = 0; i < 2000; i++) {
      expect(i % 7 === 0 ? a.broadcast(cast(`m${i}`)) : a.send({ node: 2, slot: 0 }, push(i))).toBe('ok');
    }
    await until(() => got.length === 2000);
    expect(got.map((g) => textOf(g.msg))).toEqual(Array.from({ length: 2000 }, (_, i) => `m${i}`));
  });

  it('works in sharded mode (SPUBLISH/SSUBSCRIBE on one hash slot)', async () => {
    const { bus: a } = await bus(1, 0, { sharded: true });
    const { got } = await bus(2, 0, { sharded: true });
    const plain = await bus(3, 0); // a non-sharded bus hears nothing of the sharded ones
    const [, counts] = (await admin.call('PUBSUB', 'SHARDNUMSUB', `{${PREFIX}-${run}}:w:2:0`, `{${PREFIX}-${run}}:all`)) as [string, number, string, number];
    expect(counts).toBe(1);
    const bytes = randomBytes(1000);
    expect(a.send({ node: 2, slot: 0 }, push(1, bytes))).toBe('ok');
    expect(a.broadcast(cast('b'))).toBe('ok');
    expect(a.send({ node: 2, slot: 0 }, push(2))).toBe('ok');
    await until(() => got.length === 3);
    expect(got.map((g) => tOf(g.msg))).toEqual(['push', 'broadcast', 'push']);
    expect(bytes.equals(dataOf(got[0]!.msg))).toBe(true);
    expect(plain.got).toEqual([]);
  });

  it('drops undecodable messages, counted and logged', async () => {
    const { log, lines } = capture();
    const { bus: a } = await bus(1);
    const { bus: b, got } = await bus(2, 0, { log });
    await admin.publish(`${PREFIX}-${run}:w:2:0`, 'not msgpack at all \xff');
    a.send({ node: 2, slot: 0 }, push(1));
    await until(() => got.length === 1);
    expect(b.stats()).toMatchObject({ malformed: 1, received: 1 });
    expect(lines.some((l) => l.level === 40 && l.msg === 'undecodable bus message dropped')).toBe(true);
  });

  it('refuses bad addresses and sends after close(), without throwing', async () => {
    const { bus: a } = await bus(1);
    // Nodes 4096..65535 are emitters' addresses (replies to their calls go there): 65536 fits no envelope.
    assertRefusedFast(() => a.send({ node: 65536, slot: 0 }, push(1)));
    assertRefusedFast(() => a.send({ node: 1, slot: Number.NaN }, push(1)));
    await a.close();
    assertRefusedFast(() => a.send({ node: 2, slot: 0 }, push(1)));
    assertRefusedFast(() => a.broadcast(cast('x')));
  });

  it("is 'congested' once publishes awaiting Redis cost its budget (bookkeeping counted), and takes them again after", async () => {
    const channel = `${PREFIX}-${run}:w:2:0`;
    const cost = publishCost(encodeEnvelope({ node: 1, slot: 0 }, push(0, randomBytes(1000))).length, channel.length);
    expect(cost).toBeGreaterThan(2 * 1000 + PUBLISH_OVERHEAD_BYTES); // not the payload alone
    const { bus: a } = await bus(1, 0, { maxPendingBytes: 4 * cost + 100 });
    const { got } = await bus(2);
    const results = Array.from({ length: 10 }, (_, i) => a.send({ node: 2, slot: 0 }, push(i, randomBytes(1000))));
    expect(results).toEqual([...Array(4).fill('ok'), ...Array(6).fill('congested')]);
    expect(a.stats()).toMatchObject({ published: 4, refused: 6, congested: 6 });
    await until(() => got.length === 4);
    await until(() => a.send({ node: 2, slot: 0 }, push(99, randomBytes(1000))) === 'ok', 1000, 'room again');
  });

  it('one publish larger than the budget still goes when nothing is pending', async () => {
    const { bus: a } = await bus(1, 0, { maxPendingBytes: 64 * 1024 });
    const { got } = await bus(2);
    expect(a.send({ node: 2, slot: 0 }, push(1, randomBytes(100 * 1024)))).toBe('ok');
    expect(a.send({ node: 2, slot: 0 }, push(2))).toBe('congested');
    await until(() => got.length === 1);
  });

  it('start() rejects clearly when Redis is unreachable, and the bus connects by itself once Redis is up', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    await server.stop();
    const opts = { url: server.url, retryDelay: () => 100 };
    const { bus: b, got } = { bus: new RedisBus({ self: { node: 1, slot: 0 }, prefix: `${PREFIX}-${run}`, ...opts }), got: [] as Received };
    buses.push(b);
    b.onMessage = (msg, from) => got.push({ msg: keep(msg), from });
    await expect(b.start()).rejects.toMatchObject({ code: 'ERR_BUS_CONNECT' });
    assertRefusedFast(() => b.send({ node: 2, slot: 0 }, push(1)));
    // A worker started during an outage: its bus was closed for good before; now it heals.
    await server.start();
    await until(() => b.ready, 5000, 'ready once Redis is up');
    const { bus: a } = await bus(2, 0, opts);
    expect(a.send({ node: 1, slot: 0 }, push(7))).toBe('ok');
    await until(() => got.length === 1, 5000, 'delivered');
  });

  it('Redis killed with -9 while publishing and restarted: nothing claimed sent is stuck, delivery resumes in order', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    const opts = { url: server.url, retryDelay: () => 100, probeIntervalMs: 60_000 }; // the fix itself, not the watchdog
    const { bus: a } = await bus(1, 0, opts);
    const { got } = await bus(2, 0, opts);
    // 50 publishes every millisecond: some are always awaiting Redis's reply when it dies.
    let n = 0;
    const load = setInterval(() => {
      for (let i = 0; i < 50; i++) a.send({ node: 2, slot: 0 }, push(n++));
    }, 1);
    try {
      await until(() => got.length > 1000, 5000, 'load flowing');
      await server.kill();
      await until(() => !a.ready, 2000, 'outage seen');
      await server.start();
      await until(() => a.ready, 5000, 'ready again');
      // Before the fix the publisher said ready and took every send, and none left the process.
      const mark = n;
      await until(() => got.some((g) => seqOf(g.msg) > mark), 5000, 'pushes made after the restart delivered');
    } finally {
      clearInterval(load);
    }
    got.length = 0;
    for (let i = 0; i < 500; i++) expect(a.send({ node: 2, slot: 0 }, push(1_000_000 + i))).toBe('ok');
    // The load's last publishes may still be arriving: wait for the last of ours, then look at ours only.
    await until(() => got.some((g) => seqOf(g.msg) === 1_000_499), 5000, '500 after the load');
    expect(got.map((g) => seqOf(g.msg)).filter((s) => s >= 1_000_000)).toEqual(Array.from({ length: 500 }, (_, i) => 1_000_000 + i));
  });

  it('watchdog: a connection that is up but answers nothing is replaced, sends refused meanwhile', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    const { log, lines } = capture();
    const opts = { url: server.url, retryDelay: () => 100, probeIntervalMs: 100, probeTimeoutMs: 500 };
    const { bus: a } = await bus(1, 0, { ...opts, log });
    const { bus: b, got } = await bus(2, 0, opts);
    server.signal('SIGSTOP'); // TCP stays up, nothing answers: 'ready' but silent
    try {
      await until(() => !a.ready, 3000, 'silence noticed');
      assertRefusedFast(() => a.send({ node: 2, slot: 0 }, push(1)), 20);
      // Either connection's probe may time out first (the subscriber's makes the bus not ready):
      // keep Redis silent until the publisher's has too.
      await until(() => lines.some((l) => l.level === 50 && l.role === 'publisher'), 3000, 'publisher found wedged');
    } finally {
      server.signal('SIGCONT');
    }
    await until(() => a.ready && b.ready, 10_000, 'up again');
    expect(a.send({ node: 2, slot: 0 }, push(2))).toBe('ok');
    await until(() => got.some((g) => seqOf(g.msg) === 2), 5000, 'delivered after');
    expect(lines.some((l) => l.level === 50 && l.msg === 'redis bus publisher wedged (ready, but no reply): replaced by a new connection')).toBe(true);
  });

  it('recovers from CLIENT KILL of its publisher: false while down, then flows again', async () => {
    const { log, lines } = capture();
    const { bus: a } = await bus(1, 0, { log, retryDelay: () => 300 });
    const { got } = await bus(2);
    await killConnection(admin, `${PREFIX}-${run}:pub:1:0`);
    await until(() => a.send({ node: 2, slot: 0 }, push(0)) === 'down', 1000, 'publisher seen down');
    assertRefusedFast(() => a.send({ node: 2, slot: 0 }, push(0)), 50);
    assertRefusedFast(() => a.broadcast(cast('x')));
    await until(() => a.ready, 3000, 'reconnected');
    got.length = 0;
    expect(a.send({ node: 2, slot: 0 }, push(1))).toBe('ok');
    await until(() => got.length === 1);
    expect(lines.filter((l) => l.role === 'publisher' && l.level >= 30).map((l) => l.msg)).toEqual([
      'redis bus publisher connection lost',
      'redis bus publisher reconnected',
    ]);
  });

  it('recovers from CLIENT KILL of its subscriber: resubscribes by itself', async () => {
    const { log, lines } = capture();
    const { bus: a } = await bus(1);
    const { bus: b, got } = await bus(2, 0, { log, retryDelay: () => 100 });
    await killConnection(admin, `${PREFIX}-${run}:sub:2:0`);
    await until(() => !b.ready, 1000, 'subscriber seen down');
    await until(() => b.ready, 3000, 'resubscribed');
    a.send({ node: 2, slot: 0 }, push(1));
    a.broadcast(cast('after'));
    await until(() => got.length === 2);
    expect(lines.some((l) => l.msg === 'redis bus subscriber reconnected and resubscribed')).toBe(true);
  });

  it('rides out a Redis restart: fast false during the outage, recovery after', async () => {
    const server = await PrivateRedis.create();
    servers.push(server);
    const { log, lines } = capture();
    const opts = { url: server.url, retryDelay: () => 100 };
    const { bus: a } = await bus(1, 0, { ...opts, log });
    const { bus: b, got } = await bus(2, 0, opts);
    expect(a.send({ node: 2, slot: 0 }, push(1))).toBe('ok');
    await until(() => got.length === 1);

    await server.stop();
    await until(() => !a.ready && !b.ready, 2000, 'outage seen');
    const outageEnd = Date.now() + 300;
    let calls = 0;
    while (Date.now() < outageEnd) {
      assertRefusedFast(() => a.send({ node: 2, slot: 0 }, push(2)), 5);
      assertRefusedFast(() => b.broadcast(cast('x')), 5);
      calls++;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(calls).toBeGreaterThan(20);

    await server.start();
    await until(() => a.ready && b.ready, 5000, 'both buses back');
    for (let i = 10; i < 20; i++) expect(a.send({ node: 2, slot: 0 }, push(i))).toBe('ok');
    await until(() => got.length === 11);
    expect(got.slice(1).map((g) => seqOf(g.msg))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(lines.filter((l) => l.msg === 'redis bus publisher connection lost')).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'redis bus subscriber reconnected and resubscribed')).toHaveLength(1);
  });
});
