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
    expect(await cut).toBe(true);
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

  it('a worker started normally runs everything', () => {
    const ran: string[] = [];
    const h = new BusHandover(self, (m) => ran.push(m.body.toString()), 'live');
    h.receive(send(1), peer);
    h.receive(marker, self);
    h.receive(send(2), peer);
    expect(ran).toEqual(['m1', 'm2']);
  });
});
