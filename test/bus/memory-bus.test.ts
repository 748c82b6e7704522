import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryBus, createMemoryNetwork } from '../../src/shared/bus/memory-bus.ts';
import type { Bus } from '../../src/shared/bus/types.ts';
import { busContract, type BusHarness, type BusSettings } from './contract.ts';

async function makeHarness(count: number, settings: BusSettings = {}): Promise<BusHarness> {
  const network = createMemoryNetwork({ log: pino({ level: 'silent' }), ...settings });
  const buses: Bus[] = Array.from({ length: count }, (_, slot) => network.bus({ node: 0, slot }));
  await Promise.all(buses.map((bus) => bus.start()));
  return {
    buses,
    async restart(i) {
      const old = buses[i]!;
      await old.close();
      const fresh = network.bus(old.self);
      await fresh.start();
      buses[i] = fresh;
      return fresh;
    },
    async cut(i) {
      network.disconnect(buses[i]!.self);
    },
    async teardown() {
      await Promise.all(buses.map((bus) => bus.close()));
    },
  };
}

busContract('MemoryBus', makeHarness, { knowsAbsentPeers: true });

describe('MemoryBus specifics', () => {
  it('delivers asynchronously, never inside send()', async () => {
    const network = createMemoryNetwork();
    const [a, b] = [network.bus({ node: 0, slot: 0 }), network.bus({ node: 0, slot: 1 })];
    await Promise.all([a.start(), b.start()]);
    const got: string[] = [];
    b.onMessage = (msg) => void got.push(msg.t);
    a.send(b.self, { t: 'close', fd: 1 });
    expect(got).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual(['close']);
  });

  it('reconnect() undoes disconnect(); messages in flight to a cut bus are lost', async () => {
    const network = createMemoryNetwork();
    const [a, b] = [network.bus({ node: 0, slot: 0 }), network.bus({ node: 0, slot: 1 })];
    await Promise.all([a.start(), b.start()]);
    const got: number[] = [];
    b.onMessage = (msg) => void got.push('fd' in msg ? msg.fd : -1);
    expect(a.send(b.self, { t: 'close', fd: 1 })).toBe('ok');
    network.disconnect(b.self);
    expect(a.send(b.self, { t: 'close', fd: 2 })).toBe('down');
    expect(b.send(a.self, { t: 'close', fd: 3 })).toBe('down');
    await new Promise((resolve) => setImmediate(resolve));
    network.reconnect(b.self);
    expect(a.send(b.self, { t: 'close', fd: 4 })).toBe('ok');
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([4]);
  });

  it('hands receivers what the wire would (msgpack), never the sender\'s objects', async () => {
    const network = createMemoryNetwork();
    const [a, b] = [network.bus({ node: 0, slot: 0 }), network.bus({ node: 0, slot: 1 })];
    await Promise.all([a.start(), b.start()]);
    let got: unknown;
    b.onMessage = (msg) => void (got = msg);
    const data = { when: new Date(0), set: new Set([1]), buf: Buffer.from('x') };
    a.send(b.self, { t: 'pipe', src: 1, data });
    await new Promise((resolve) => setImmediate(resolve));
    // A Set does not survive msgpack: a test of the layers above sees that here, not in production.
    expect(got).toEqual({ t: 'pipe', src: 1, data: { when: new Date(0), set: [1], buf: Buffer.from('x') } });
    expect((got as { data: unknown }).data).not.toBe(data);
  });

  it('needs a network from createMemoryNetwork()', () => {
    expect(() => new MemoryBus({} as never, { node: 0, slot: 0 })).toThrow(TypeError);
  });
});
