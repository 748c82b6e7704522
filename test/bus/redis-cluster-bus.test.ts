import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClusterBus } from '../../src/shared/bus/redis-cluster-bus.ts';
import type { Bus, Incoming } from '../../src/shared/bus/types.ts';
import { parseEndpoint, splitRedisUrls } from '../../src/shared/redis-target.ts';
import { PrivateRedisCluster, redisServer } from '../helpers/redis-cluster.ts';
import { until } from '../helpers/server.ts';
import { busContract, type BusHarness, type BusSettings } from './contract.ts';
import { push, seqOf } from './messages.ts';

/** The Bus contract and the bus's own promises (probes, sequence numbers) on a real 3-master Redis Cluster. */
describe.runIf(redisServer.run)('RedisClusterBus', () => {
  let rc: PrivateRedisCluster;
  beforeAll(async () => {
    if (!redisServer.available) throw new Error(redisServer.problem ?? 'redis-server unavailable');
    rc = await PrivateRedisCluster.create();
  }, 60_000);
  afterAll(async () => rc?.stop());

  /** Kills every connection whose name starts with `prefix`, on every node. */
  async function killNamed(prefix: string): Promise<number> {
    let killed = 0;
    for (const port of rc.livePorts()) {
      const list = String(await rc.call(port, 'CLIENT', 'LIST'));
      for (const line of list.split('\n').filter((l) => l.includes(` name=${prefix}`))) {
        killed += Number(await rc.call(port, 'CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(line)![1]!));
      }
    }
    return killed;
  }

  let runs = 0;
  const harness = async (count: number, settings: BusSettings = {}): Promise<BusHarness> => {
    const prefix = `sy-rcb-${randomBytes(3).toString('hex')}-${++runs}`;
    const seeds = splitRedisUrls(rc.seeds).map(parseEndpoint);
    const made: RedisClusterBus[] = [];
    const make = async (i: number): Promise<RedisClusterBus> => {
      const bus = new RedisClusterBus({ self: { node: i + 1, slot: 0 }, seeds, prefix, log: pino({ level: 'silent' }), ...(settings.maxQueuedBytes === undefined ? {} : { maxPendingBytes: settings.maxQueuedBytes }) });
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
        await killNamed(`{${prefix}}:pub:${i + 1}:0`);
        await killNamed(`{${prefix}}:sub:${i + 1}:0`);
      },
      async teardown() {
        await Promise.all(made.map((b) => b.close()));
      },
    };
  };

  busContract('RedisClusterBus', harness, { knowsAbsentPeers: false });

  it('a subscription whose connection is killed comes back by itself; the gap is counted, nothing reordered', async () => {
    const h = await harness(2);
    try {
      const [a, b] = h.buses as [RedisClusterBus, RedisClusterBus];
      const got: number[] = [];
      b.onMessage = (m: Incoming) => void got.push(seqOf(m));
      let n = 0;
      const timer = setInterval(() => a.send(b.self, push(n++)), 5);
      await until(() => got.length > 20, 5000, 'first messages');
      // The connection names are `${prefix}:sub:${node}:${slot}` with the cluster-wide prefix {name}.
      const keysPrefix = (b as unknown as { keys: { prefix: string } }).keys.prefix;
      expect(await killNamed(`${keysPrefix}:sub:2:0`)).toBeGreaterThan(0);
      const mark = got.length;
      await until(() => got.length > mark + 20, 5000, 'messages after the subscription was killed');
      clearInterval(timer);
      for (let k = 1; k < got.length; k++) expect(got[k]!).toBeGreaterThan(got[k - 1]!);
      expect(b.stats().resubscribes).toBeGreaterThan(0);
      expect(b.stats().reordered).toBe(0);
    } finally {
      await h.teardown();
    }
  });
});
