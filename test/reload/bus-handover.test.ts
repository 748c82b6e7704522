/**
 * The Redis bus's cut between a reload's old worker and its replacement (bus-handover.ts), sans
 * I/O: both see one stream; each message runs in exactly one of them, in order.
 */
import { describe, expect, it } from 'vitest';
import { BusHandover, CUT_MARKER } from '../../src/worker/reload/bus-handover.ts';
import type { Incoming, WorkerAddress } from '../../src/shared/bus/types.ts';

const self: WorkerAddress = { node: 3, slot: 1 };
const peer: WorkerAddress = { node: 7, slot: 0 };
const send = (n: number): Incoming => ({ kind: 'send', rid: 0, body: Buffer.from(`m${n}`) });
const reply = (rid: number): Incoming => ({ kind: 'reply', rid, body: Buffer.from(`r${rid}`) });
const marker: Incoming = { kind: 'send', rid: 0, body: CUT_MARKER };

describe('BusHandover', () => {
  it('splits one stream at the marker: the old worker runs what precedes it, the new one what follows, held until the move link ends', async () => {
    const oldRan: string[] = [];
    const newRan: string[] = [];
    const old = new BusHandover(self, (m) => oldRan.push(m.body.toString()), 'live');
    const neu = new BusHandover(self, (m) => newRan.push(m.body.toString()), 'successor');
    const stream: Incoming[] = [send(1), send(2), reply(9), marker, send(3), reply(10), send(4)];
    const cut = old.waitCut(() => true, 5000);
    for (const m of stream) {
      // The transport reuses its buffer: the held copy must not change with it.
      const view = Buffer.from(m.body);
      old.receive({ ...m, body: view }, m === marker ? self : peer);
      neu.receive({ ...m, body: view }, m === marker ? self : peer);
      view.fill(0);
    }
    expect(await cut).toEqual([]);
    // Replies go to whoever made the request (ids differ per process): both keep theirs.
    expect(oldRan).toEqual(['m1', 'm2', 'r9', 'r10']);
    expect(newRan).toEqual(['r9', 'r10']);
    neu.release();
    expect(newRan).toEqual(['r9', 'r10', 'm3', 'm4']);
    neu.receive(send(5), peer);
    expect(newRan.at(-1)).toBe('m5');
  });

  it('a marker from another address is an ordinary message; a replacement that never sees the marker goes live when told', () => {
    const ran: string[] = [];
    const neu = new BusHandover(self, (m) => ran.push(m.body.toString()), 'successor');
    neu.receive(marker, peer);
    neu.receive(send(1), peer);
    neu.release();
    expect(ran).toEqual([]);
    neu.forceLive();
    neu.receive(send(2), peer);
    expect(ran).toEqual(['m2']);
  });

  it('a worker started normally runs everything; markers of other workers (broadcast to all on a Redis Cluster) are never run', () => {
    const ran: string[] = [];
    const h = new BusHandover(self, (m) => ran.push(m.body.toString()), 'live', { splitBroadcasts: true });
    h.receive(send(1), peer);
    h.receive(marker, self);
    h.receive(marker, peer, 'broadcast');
    h.receive(marker, { node: self.node, slot: 0 }, 'broadcast');
    h.receive(send(2), peer, 'broadcast');
    expect(ran).toEqual(['m1', 'm2']);
  });

  it('Redis Cluster: the broadcast channel is cut by its own marker, each stream apart, whatever their interleaving', async () => {
    // The slot's channel and the broadcasts' come on two subscriptions: each process sees each
    // stream in the same order, but the two streams interleave differently in each process.
    const direct: Array<[Incoming, WorkerAddress]> = [[send(1), peer], [send(2), peer], [marker, self], [send(3), peer], [send(4), peer]];
    const bcast: Array<[Incoming, WorkerAddress]> = [[send(11), peer], [marker, self], [send(12), peer]];
    const interleave = (first: 'direct' | 'broadcast', k: number): Array<[Incoming, WorkerAddress, 'direct' | 'broadcast']> => {
      const a = direct.map(([m, f]) => [m, f, 'direct'] as [Incoming, WorkerAddress, 'direct']);
      const b = bcast.map(([m, f]) => [m, f, 'broadcast'] as [Incoming, WorkerAddress, 'broadcast']);
      const [x, y] = first === 'direct' ? [a, b] : [b, a];
      return [...x.slice(0, k), ...y, ...x.slice(k)];
    };
    for (const [oldOrder, newOrder] of [
      [interleave('direct', 5), interleave('broadcast', 3)],
      [interleave('broadcast', 0), interleave('direct', 0)],
      [interleave('direct', 2), interleave('broadcast', 1)],
    ] as const) {
      const oldRan: string[] = [];
      const newRan: string[] = [];
      const old = new BusHandover(self, (m) => oldRan.push(m.body.toString()), 'live', { splitBroadcasts: true });
      const neu = new BusHandover(self, (m) => newRan.push(m.body.toString()), 'successor', { splitBroadcasts: true });
      const published: string[] = [];
      const cut = old.waitCut((s) => published.push(s) > 0, 5000);
      expect(published).toEqual(['direct', 'broadcast']);
      for (const [m, f, via] of oldOrder) old.receive(m, f, via);
      for (const [m, f, via] of newOrder) neu.receive(m, f, via);
      expect(await cut).toEqual([]);
      neu.release();
      // Each message once, in one of the two, each stream in its order.
      expect([...oldRan].sort()).toEqual(['m1', 'm11', 'm2']);
      expect(newRan.filter((m) => m.length === 2)).toEqual(['m3', 'm4']);
      expect(newRan.filter((m) => m.length === 3)).toEqual(['m12']);
      expect(oldRan.filter((m) => m.length === 2)).toEqual(['m1', 'm2']);
    }
  });

  it('Redis Cluster: a broadcast marker that reaches the replacement after the move link ended still cuts; a lost one times out and is named', async () => {
    const ran: string[] = [];
    const neu = new BusHandover(self, (m) => ran.push(m.body.toString()), 'successor', { splitBroadcasts: true });
    neu.receive(marker, self, 'direct');
    neu.receive(send(1), peer, 'direct');
    neu.release();
    expect(ran).toEqual(['m1']);
    neu.receive(send(11), peer, 'broadcast'); // before its marker: the old worker ran it
    neu.receive(marker, self, 'broadcast');
    neu.receive(send(12), peer, 'broadcast');
    expect(ran).toEqual(['m1', 'm12']);
    const old = new BusHandover(self, () => {}, 'live', { splitBroadcasts: true });
    const cut = old.waitCut(() => true, 50);
    old.receive(marker, self, 'direct');
    expect(await cut).toEqual(['broadcast']);
  });

  it('one order (standalone Redis): one marker, on the slot\'s channel, cuts the broadcasts too', async () => {
    const oldRan: string[] = [];
    const old = new BusHandover(self, (m) => oldRan.push(m.body.toString()), 'live');
    const published: string[] = [];
    const cut = old.waitCut((s) => published.push(s) > 0, 5000);
    old.receive(send(11), peer, 'broadcast');
    old.receive(marker, self, 'direct');
    old.receive(send(12), peer, 'broadcast');
    expect(await cut).toEqual([]);
    expect(published).toEqual(['direct']);
    expect(oldRan).toEqual(['m11']);
  });
});
