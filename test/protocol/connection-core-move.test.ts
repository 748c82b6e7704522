import { describe, expect, it } from 'vitest';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import { ConnectionCore, type CoreSnapshot } from '../../src/shared/protocol/connection-core.ts';
import type { CodecMoveState, MessageCodec } from '../../src/shared/protocol/extension.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';
import { FakeIo, SETTINGS } from './connection-core-harness.ts';

/**
 * A connection about to move to another worker (a reload) with permessage-deflate: while its
 * peer and its app keep it busy, an inflate or a compression is nearly always in flight, and a
 * snapshot is refused then. prepareMove() makes it reach a point where it can be captured, in
 * bounded time: the message under way is finished, nothing new is parsed or compressed, and
 * what waits is carried as data (sans I/O: a codec whose jobs complete when the test says).
 */

const MASK = Buffer.from([9, 8, 7, 6]);
const f = (opcode: number, payload: string, opts: { fin?: boolean; rsv1?: boolean } = {}): Buffer => clientFrame(opcode, payload, { mask: MASK, ...opts });

/** A codec whose "compression" upper-cases and whose "inflate" lower-cases, completing on demand. */
class ManualCodec implements MessageCodec {
  inflates: Array<() => void> = [];
  compressions: Array<() => void> = [];
  decompress(data: Buffer, _fin: boolean, _limit: number, callback: (err: null, inflated: Buffer) => void): void {
    const copy = Buffer.from(data);
    this.inflates.push(() => callback(null, Buffer.from(copy.toString().toLowerCase())));
  }
  compress(data: Buffer, callback: (err: null, compressed: Buffer) => void): void {
    const copy = Buffer.from(data);
    this.compressions.push(() => callback(null, Buffer.from(copy.toString().toUpperCase())));
  }
  dispose(): void {}
  moveState(): CodecMoveState | null {
    if (this.inflates.length > 0 || this.compressions.length > 0) return null;
    return { agreement: { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 }, window: null };
  }
  /** Completes the oldest job of that kind. */
  finish(kind: 'inflates' | 'compressions'): void {
    const job = this[kind].shift();
    if (!job) throw new Error(`no ${kind} in flight`);
    job();
  }
}

const settings = { ...SETTINGS, compressionThreshold: 0 };

function core(): { core: ConnectionCore; io: FakeIo; codec: ManualCodec } {
  const io = new FakeIo();
  const codec = new ManualCodec();
  return { core: new ConnectionCore(io, settings, codec), io, codec };
}

/** The data and control frames written, as `opcode:rsv1:payload`. */
const written = (io: FakeIo): string[] => io.frames.map((fr) => `${fr.opcode}:${fr.rsv1 ? 1 : 0}:${fr.payload.toString()}`);
const messages = (io: FakeIo): string[] => io.events.flatMap((e) => (e.t === 'message' ? [e.data] : []));

describe('prepareMove: a busy permessage-deflate connection reaches a point where it can move', () => {
  it('sends keep coming: the compression in flight finishes, the rest waits and is carried, in order, behind it', () => {
    const a = core();
    a.core.send(Buffer.from('one'), Opcode.Text, null);
    a.core.send(Buffer.from('two'), Opcode.Text, null);
    a.core.ping(Buffer.from('p'));
    expect(a.core.snapshotRefusal()).toBe('a compression is in flight');
    a.core.prepareMove();
    a.core.send(Buffer.from('three'), Opcode.Text, null);
    a.codec.finish('compressions');
    // 'one' went out; 'two' would start the next compression: held, not started.
    expect(a.codec.compressions).toHaveLength(0);
    expect(written(a.io)).toEqual(['1:1:ONE']);
    expect(a.core.snapshotRefusal()).toBe(null);
    const snap = JSON.parse(JSON.stringify(a.core.snapshot())) as CoreSnapshot;
    expect(snap.deflate?.waiting?.map((w) => [w.opcode, Buffer.from(w.payload, 'base64').length > 0, w.compress])).toEqual([
      [Opcode.Text, true, true],
      [-1, true, false],
      [Opcode.Text, true, true],
    ]);
    // The next owner compresses them with its own codec, in order, before what it sends itself.
    const io = new FakeIo();
    const codec = new ManualCodec();
    const b = ConnectionCore.restore(snap, io, settings, codec);
    b.send(Buffer.from('four'), Opcode.Text, null);
    while (codec.compressions.length > 0) codec.finish('compressions');
    expect(written(io)).toEqual(['1:1:TWO', `${Opcode.Ping}:0:p`, '1:1:THREE', '1:1:FOUR']);
  });

  it('reads keep coming: the compressed message under way is finished, the next ones wait as raw bytes and are parsed by the next owner', () => {
    const a = core();
    // A compressed message in two frames, the first one inflating; then two whole messages.
    a.core.newTurn();
    a.core.receiveData(f(Opcode.Text, 'AB', { fin: false, rsv1: true }));
    expect(a.core.snapshotRefusal()).toBe('an inflate is in flight');
    a.core.prepareMove();
    a.core.receiveData(Buffer.concat([f(Opcode.Continuation, 'CD'), f(Opcode.Text, 'EF', { rsv1: true }), f(Opcode.Ping, 'x'), f(Opcode.Text, 'plain')]));
    a.codec.finish('inflates');
    // The second frame of the message under way is inflated: the message must be finished.
    expect(a.core.snapshotRefusal()).toBe('an inflate is in flight');
    a.codec.finish('inflates');
    expect(messages(a.io)).toEqual(['abcd']);
    // Nothing after it was started: no inflate, the ping not answered here.
    expect(a.codec.inflates).toHaveLength(0);
    expect(written(a.io)).toEqual([]);
    expect(a.core.snapshotRefusal()).toBe(null);
    const snap = JSON.parse(JSON.stringify(a.core.snapshot())) as CoreSnapshot;
    const io = new FakeIo();
    const codec = new ManualCodec();
    const b = ConnectionCore.restore(snap, io, settings, codec);
    b.newTurn();
    codec.finish('inflates');
    expect(messages(io)).toEqual(['ef', 'plain']);
    expect(written(io)).toEqual([`${Opcode.Pong}:0:x`]);
  });

  it('abandonMove (the connection closes here instead): parsing and compressing go on where they stopped', () => {
    const a = core();
    a.core.send(Buffer.from('one'), Opcode.Text, null);
    a.core.send(Buffer.from('two'), Opcode.Text, null);
    a.core.newTurn();
    a.core.receiveData(f(Opcode.Text, 'AB', { rsv1: true }));
    a.core.prepareMove();
    a.core.receiveData(f(Opcode.Text, 'CD', { rsv1: true }));
    a.codec.finish('compressions');
    a.codec.finish('inflates');
    expect(messages(a.io)).toEqual(['ab']);
    expect(a.codec.compressions).toHaveLength(0);
    a.core.abandonMove();
    a.codec.finish('compressions');
    a.codec.finish('inflates');
    expect(messages(a.io)).toEqual(['ab', 'cd']);
    expect(written(a.io)).toEqual(['1:1:ONE', '1:1:TWO']);
  });

  it('a connection without permessage-deflate is captured at once, even inside a fragmented message', () => {
    const io = new FakeIo();
    const c = new ConnectionCore(io, settings);
    c.newTurn();
    c.receiveData(f(Opcode.Text, 'frag', { fin: false }));
    c.prepareMove();
    c.receiveData(f(Opcode.Continuation, 'ment'));
    // The message under way is finished (uncompressed: it could have moved mid-way too).
    expect(messages(io)).toEqual(['fragment']);
    expect(c.snapshotRefusal()).toBe(null);
  });
});
