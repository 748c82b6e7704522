/**
 * The contract every Bus implementation passes (STYLE.md principle 3), run by each
 * implementation's test file: `busContract('EmbeddedBus', makeHarness, { knowsAbsentPeers: true })`.
 * Time bounds are real and generous (a loaded 2-core CI box): they bound "eventually", they do
 * not measure speed (scripts/bench-bus.ts does).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Bus, Incoming, WorkerAddress } from '../../src/shared/bus/types.ts';
import { keep, push, seqOf, shape, textOf } from './messages.ts';
import { sleep, until } from '../helpers/server.ts';

export interface BusHarness {
  /** Started buses, all able to reach each other. Their handlers must log, not rethrow, errors. */
  buses: Bus[];
  /** replaces bus i by a fresh instance (same address), as after a worker restart */
  restart?(i: number): Promise<Bus>;
  /** makes bus i unreachable without closing the others (kill its sockets / connection) */
  cut?(i: number): Promise<void>;
  teardown(): Promise<void>;
}

/** Settings a harness applies to the buses it makes (`make(count, settings)`). */
export interface BusSettings {
  /** The bus's budget of queued bytes (per peer, or per worker for Redis): past it 'congested'. */
  maxQueuedBytes?: number;
}

export interface BusContractOptions {
  /** send() to an address that has no bus returns 'down' at once (a mesh knows its peers; a
   * pub/sub transport cannot know and may accept the message, which is then never delivered). */
  knowsAbsentPeers: boolean;
  /** Bound on anything "eventually": delivery, reconnection, noticing a dead peer. */
  timeoutMs?: number;
}

interface Received {
  msg: Incoming;
  from: WorkerAddress;
}

/** Everything a bus receives, with a polling wait. */
class Inbox {
  readonly got: Received[] = [];
  constructor(bus: Bus) {
    bus.onMessage = (msg, from) => void this.got.push({ msg: keep(msg), from });
  }
  from(address: WorkerAddress): Incoming[] {
    return this.got.filter((r) => sameAddress(r.from, address)).map((r) => r.msg);
  }
}

const sameAddress = (a: WorkerAddress, b: WorkerAddress): boolean => a.node === b.node && a.slot === b.slot;


const fdOf = seqOf;

/** Every kind of envelope, with bodies a careless codec would mangle. */
function payloadSamples(): ReturnType<typeof push>[] {
  const text = 'héllo wörld — 日本語 — 😀🎉 — e\u0301 — \u0000 — \u{10FFFF}';
  return [
    push(1, randomBytes(1024 * 1024)),
    push(2, Buffer.alloc(0)),
    push(3, ''),
    push(4, text),
    push(5, text.repeat(2000)),
    push(2 ** 52 + 7, 'large number'),
    push(8, 'bye — 👋', 'request', 1),
    push(9, randomBytes(300), 'request', 2 ** 53 - 1),
    push(10, '', 'reply', 4),
    push(11, randomBytes(16), 'reply', 5),
  ];
}

/**
 * A comparable form: each Buffer becomes { $buffer: base64 }, so a Buffer that came back as a
 * string or a plain Uint8Array (or the reverse) differs, and a 1 MiB Buffer compares in
 * milliseconds (toEqual walks a Buffer byte by byte: seconds per MiB).
 */
export function canonical(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { $buffer: value.toString('base64') };
  if (value instanceof Uint8Array) return { $uint8array: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
  return value;
}

export function busContract(
  name: string,
  make: (count: number, settings?: BusSettings) => Promise<BusHarness>,
  options: BusContractOptions = { knowsAbsentPeers: true },
): void {
  const bound = options.timeoutMs ?? 10_000;
  const testTimeout = bound * 3;

  /** Runs `body` with `count` fresh buses and tears them down whatever happens. */
  async function withBuses(count: number, body: (h: BusHarness, inboxes: Inbox[]) => Promise<void>, settings?: BusSettings): Promise<void> {
    const h = await make(count, settings);
    try {
      await body(h, h.buses.map((bus) => new Inbox(bus)));
    } finally {
      await h.teardown();
    }
  }

  describe(`Bus contract: ${name}`, () => {
    it('delivers a message to another bus, with the sender address', async () => {
      await withBuses(2, async ({ buses: [a, b] }, [ia, ib]) => {
        expect(a!.send(b!.self, push(1, 'to b'))).toBe('ok');
        expect(b!.send(a!.self, push(2, 'to a'))).toBe('ok');
        await until(() => ib!.got.length === 1 && ia!.got.length === 1, bound, 'one message each way');
        expect({ ...ib!.got[0], msg: shape(ib!.got[0]!.msg) }).toEqual({ msg: shape(push(1, 'to b')), from: a!.self });
        expect({ ...ia!.got[0], msg: shape(ia!.got[0]!.msg) }).toEqual({ msg: shape(push(2, 'to a')), from: b!.self });
      });
    }, testTimeout);

    it('connects every ordered pair of three buses', async () => {
      await withBuses(3, async ({ buses }, inboxes) => {
        buses.forEach((src, i) => buses.forEach((dst, j) => i !== j && expect(src.send(dst.self, push(10 * i + j, `${i}->${j}`))).toBe('ok')));
        await until(() => inboxes.every((box) => box.got.length === 2), bound, 'two messages at each bus');
        inboxes.forEach((box, j) => {
          const seen = box.got.map((r) => ({ slot: r.from.slot, fd: fdOf(r.msg) })).sort((x, y) => x.fd - y.fd);
          const want = buses.flatMap((src, i) => (i === j ? [] : [{ slot: src.self.slot, fd: 10 * i + j }]));
          expect(seen).toEqual(want);
        });
      });
    }, testTimeout);

    it('delivers 2000 messages from one sender complete and in order', async () => {
      await withBuses(2, async ({ buses: [a, b] }, [, ib]) => {
        let accepted = 0;
        for (let i = 1; i <= 2000; i++) if (a!.send(b!.self, push(i, `m${i}`)) === 'ok') accepted++;
        expect(accepted).toBe(2000);
        await until(() => ib!.got.length >= 2000, bound, '2000 messages');
        await sleep(50); // nothing extra follows
        expect(ib!.got.map((r) => fdOf(r.msg))).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
      });
    }, testTimeout);

    it('keeps each sender in order when two senders interleave', async () => {
      await withBuses(3, async ({ buses: [a, b, c] }, [, ib]) => {
        for (let i = 1; i <= 2000; i++) {
          expect(a!.send(b!.self, push(i, 'a'))).toBe('ok');
          expect(c!.send(b!.self, push(i, Buffer.from('c')))).toBe('ok');
        }
        await until(() => ib!.got.length >= 4000, bound, '4000 messages');
        const seq = Array.from({ length: 2000 }, (_, i) => i + 1);
        expect(ib!.from(a!.self).map(fdOf)).toEqual(seq);
        expect(ib!.from(c!.self).map(fdOf)).toEqual(seq);
        expect(ib!.got.length).toBe(4000);
      });
    }, testTimeout);

    it('round-trips every kind, rid and body byte for byte', async () => {
      await withBuses(2, async ({ buses: [a, b] }, [, ib]) => {
        const sent = payloadSamples();
        for (const msg of sent) expect(a!.send(b!.self, msg)).toBe('ok');
        await until(() => ib!.got.length === sent.length, bound, `${sent.length} messages`);
        expect(ib!.got.map((r) => shape(r.msg))).toEqual(sent.map(shape));
      });
    }, testTimeout);

    it('broadcast reaches every other bus exactly once and never the sender', async () => {
      await withBuses(3, async ({ buses }, inboxes) => {
        buses.forEach((bus, i) => expect(bus.broadcast(push(0, `from ${i}`))).toBe('ok'));
        await until(() => inboxes.every((box) => box.got.length >= 2), bound, 'two broadcasts at each bus');
        await sleep(200); // time for a duplicate or a self-delivery to show up
        inboxes.forEach((box, j) => {
          const from = box.got.map((r) => r.from.slot).sort((x, y) => x - y);
          expect(from).toEqual(buses.filter((_, i) => i !== j).map((bus) => bus.self.slot).sort((x, y) => x - y));
          for (const r of box.got) expect(textOf(r.msg)).toBe(`from ${buses.findIndex((bus) => sameAddress(bus.self, r.from))}`);
        });
      });
    }, testTimeout);

    it('never delivers a send to an address that has no bus', async () => {
      await withBuses(2, async ({ buses: [a, b] }, inboxes) => {
        const top = Math.max(a!.self.slot, b!.self.slot);
        const absent: WorkerAddress[] = [{ node: a!.self.node, slot: top + 1 }];
        for (const to of absent) {
          const result = a!.send(to, push(1, 'nobody'));
          if (options.knowsAbsentPeers) expect(result).toBe('down');
        }
        await sleep(200);
        for (const box of inboxes) expect(box.got).toEqual([]);
      });
    }, testTimeout);

    it('reaches a restarted bus (same address) again within the bound, both ways', async (ctx) => {
      await withBuses(3, async (h, [, , ic]) => {
        if (h.restart === undefined) return ctx.skip();
        const [a, old, c] = h.buses;
        const fresh = await h.restart(1);
        expect(fresh).not.toBe(old);
        expect(fresh.self).toEqual(old!.self);
        const inbox = new Inbox(fresh);
        // Probe until one arrives: a transport may need a moment to notice the new instance.
        await until(() => (a!.send(fresh.self, push(1, 'probe')), inbox.from(a!.self).length > 0), bound, 'a -> restarted');
        await until(() => (fresh.send(c!.self, push(2, 'probe')), ic!.from(fresh.self).length > 0), bound, 'restarted -> c');
        // Once through, the link carries a burst complete and in order.
        const before = inbox.from(a!.self).length;
        for (let i = 100; i < 200; i++) expect(a!.send(fresh.self, push(i, 'after'))).toBe('ok');
        await until(() => inbox.from(a!.self).length >= before + 100, bound, '100 messages after restart');
        expect(inbox.from(a!.self).slice(before).map(fdOf)).toEqual(Array.from({ length: 100 }, (_, i) => i + 100));
      });
    }, testTimeout);

    it('fails fast towards a cut-off bus, never throws, and keeps the others connected', async (ctx) => {
      await withBuses(3, async (h, [, , ic]) => {
        if (h.cut === undefined) return ctx.skip();
        const [a, b, c] = h.buses;
        await h.cut(1);
        for (let i = 0; i < 20; i++) {
          expect(() => a!.send(b!.self, push(i, 'to cut'))).not.toThrow();
          expect(() => a!.broadcast(push(0, 'x'))).not.toThrow();
          await sleep(10);
        }
        if (options.knowsAbsentPeers) {
          await until(() => a!.send(b!.self, push(99, 'to cut')) === 'down', bound, "send to the cut bus to return 'down'");
          expect(a!.broadcast(push(0, 'partial'))).toBe('down');
        }
        const mark = ic!.got.length;
        expect(a!.send(c!.self, push(7, 'still here'))).toBe('ok');
        await until(() => ic!.got.slice(mark).some((r) => fdOf(r.msg) === 7), bound, 'a -> c after the cut');
        if (options.knowsAbsentPeers) {
          await until(() => ic!.got.some((r) => textOf(r.msg) === 'partial'), bound, 'partial broadcast at c');
        }
      });
    }, testTimeout);

    it("after close, send and broadcast return 'down'; close is idempotent", async () => {
      await withBuses(2, async ({ buses: [a, b] }) => {
        await a!.close();
        expect(a!.send(b!.self, push(1, 'late'))).toBe('down');
        expect(a!.broadcast(push(0, 'late'))).toBe('down');
        await a!.close();
        if (options.knowsAbsentPeers) await until(() => b!.send(a!.self, push(2, 'to closed')) === 'down', bound, "send to a closed bus to return 'down'");
      });
    }, testTimeout);

    it("a burst past the byte budget in one turn is 'congested' (not 'down'); nothing accepted is lost; it clears", async () => {
      const budget = 256 * 1024;
      const payload = randomBytes(1024);
      await withBuses(2, async ({ buses: [a, b] }, [, ib]) => {
        let accepted = 0;
        let refused: string = 'ok';
        // One synchronous loop: nothing can drain meanwhile, so the budget alone decides.
        while (refused === 'ok' && accepted < 100_000) {
          refused = a!.send(b!.self, push(accepted + 1, payload));
          if (refused === 'ok') accepted++;
        }
        expect(refused).toBe('congested');
        expect(accepted).toBeGreaterThan(0);
        // Every message is counted at no less than its payload (most at far more: bookkeeping).
        expect(accepted).toBeLessThanOrEqual(budget / payload.length);
        for (let i = 0; i < 10; i++) expect(a!.send(b!.self, push(0, payload))).toBe('congested');
        expect(a!.broadcast(push(0, payload))).toBe('congested');
        await until(() => ib!.got.length >= accepted, bound, `${accepted} accepted messages`);
        await sleep(50);
        expect(ib!.got.map((r) => fdOf(r.msg))).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
        // Once the transport has taken them, the budget is free again.
        await until(() => a!.send(b!.self, push(accepted + 1, 'again')) === 'ok', bound, "'ok' again after the drain");
      }, { maxQueuedBytes: budget });
    }, testTimeout);

    it('keeps delivering after a handler throws', async () => {
      await withBuses(2, async ({ buses: [a, b] }) => {
        const got: number[] = [];
        b!.onMessage = (msg) => {
          got.push(fdOf(msg));
          if (fdOf(msg) === 1) throw new Error('handler bug');
        };
        for (let i = 1; i <= 3; i++) expect(a!.send(b!.self, push(i, 'x'))).toBe('ok');
        await until(() => got.length === 3, bound, 'three messages');
        expect(got).toEqual([1, 2, 3]);
      });
    }, testTimeout);
  });
}
