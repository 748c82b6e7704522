/**
 * EmbeddedBus.flush(): what a turn queued for the peers is written at once instead of at the
 * end of the turn (a large broadcast sends its bus message before writing its own share), in
 * order, and what is queued afterwards in the same turn still coalesces into one write.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedBus } from '../../src/shared/bus/embedded-bus.ts';
import { until } from '../helpers/server.ts';
import { push, textOf } from './messages.ts';

const silent = pino({ level: 'silent' });
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mesh(count: number): Promise<EmbeddedBus[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sy-bus-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const buses = Array.from({ length: count }, (_, slot) => new EmbeddedBus({ self: { node: 0, slot }, slots: count, dir, log: silent }));
  cleanups.push(() => Promise.all(buses.map((bus) => bus.close())));
  await Promise.all(buses.map((bus) => bus.start()));
  expect((await Promise.all(buses.map((bus) => bus.waitForPeers(10_000)))).every(Boolean)).toBe(true);
  return buses;
}

const text = (i: number) => push(i, `m${i}`);

describe('EmbeddedBus.flush', () => {
  it('writes what is queued now, in order; later frames of the turn still leave together', async () => {
    const [a, b, c] = (await mesh(3)) as [EmbeddedBus, EmbeddedBus, EmbeddedBus];
    const got: Record<string, string[]> = { b: [], c: [] };
    b.onMessage = (m) => void got.b!.push(textOf(m));
    c.onMessage = (m) => void got.c!.push(textOf(m));
    const before = a.stats().writes;
    expect(a.send(b.self, text(0))).toBe('ok');
    expect(a.broadcast(text(1))).toBe('ok');
    a.flush();
    // Handed to the sockets in the call: one write to b (m0, m1), one to c (m1).
    expect(a.stats().writes - before).toBe(2);
    for (let i = 2; i < 10; i++) expect(a.broadcast(text(i))).toBe('ok');
    expect(a.stats().writes - before).toBe(2);
    await until(() => got.b!.length === 10 && got.c!.length === 9, 5000, 'every message');
    // The rest of the turn: one more write per peer.
    expect(a.stats().writes - before).toBe(4);
    expect(got.b).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(got.c).toEqual(Array.from({ length: 9 }, (_, i) => `m${i + 1}`));
  });
});
