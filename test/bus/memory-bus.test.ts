import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryBus, createMemoryNetwork } from '../../src/shared/bus/memory-bus.ts';
import type { Bus } from '../../src/shared/bus/types.ts';
import { busContract, type BusHarness, type BusSettings } from './contract.ts';
import { push, seqOf } from './messages.ts';

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
    const got: number[] = [];
    b.onMessage = (msg) => void got.push(seqOf(msg));
    a.send(b.self, push(1));
    expect(got).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([1]);
  });

  it('reconnect() undoes disconnect(); messages in flight to a cut bus are lost', async () => {
    const network = createMemoryNetwork();
    const [a, b] = [network.bus({ node: 0, slot: 0 }), network.bus({ node: 0, slot: 1 })];
    await Promise.all([a.start(), b.start()]);
    const got: number[] = [];
    b.onMessage = (msg) => void got.push(seqOf(msg));
    expect(a.send(b.self, push(1))).toBe('ok');
    network.disconnect(b.self);
    expect(a.send(b.self, push(2))).toBe('down');
    expect(b.send(a.self, push(3))).toBe('down');
    await new Promise((resolve) => setImmediate(resolve));
    network.reconnect(b.self);
    expect(a.send(b.self, push(4))).toBe('ok');
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toEqual([4]);
  });

  it('hands receivers what the wire would (the encoded envelope), each receiver its own bytes', async () => {
    const network = createMemoryNetwork();
    const [a, b, c] = [network.bus({ node: 0, slot: 0 }), network.bus({ node: 0, slot: 1 }), network.bus({ node: 0, slot: 2 })];
    await Promise.all([a.start(), b.start(), c.start()]);
    const bodies: Buffer[] = [];
    b.onMessage = (msg) => void bodies.push(msg.body);
    c.onMessage = (msg) => void bodies.push(msg.body);
    const sent = push(7, 'shared', 'request', 3);
    a.broadcast(sent);
    await new Promise((resolve) => setImmediate(resolve));
    expect(bodies.map(String)).toEqual([String(sent.body), String(sent.body)]);
    // Bytes of their own: what one receiver does to its body reaches neither the other nor the sender.
    bodies[0]!.fill(0);
    expect(String(bodies[1])).toBe(String(sent.body));
    expect(seqOf(sent)).toBe(7);
  });

  it('needs a network from createMemoryNetwork()', () => {
    expect(() => new MemoryBus({} as never, { node: 0, slot: 0 })).toThrow(TypeError);
  });
});
