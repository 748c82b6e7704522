import { describe, expect, it } from 'vitest';
import { SnapshotRefusedError } from '../../src/shared/errors.ts';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import { ConnectionCore, type CoreSettings, type CoreSnapshot } from '../../src/shared/protocol/connection-core.ts';
import type { MessageCodec } from '../../src/shared/protocol/extension.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';
import { closePayload, FakeIo, SETTINGS, type IoEvent } from './connection-core-harness.ts';

/**
 * ConnectionCore's state as plain data: at every point of a scripted exchange where a
 * snapshot is allowed (between any two operations, and inside every event the core reports),
 * for many ways of cutting the peer's bytes into reads, the snapshot survives JSON and a core
 * restored from it behaves exactly as the original from there on.
 */

type Step =
  | { in: Buffer }
  | { send: string }
  | { ping: string }
  | { disconnect: [number, string] }
  | { eof: true }
  | { timeout: true };

const MASK = Buffer.from([1, 2, 3, 4]);
const f = (opcode: number, payload: string | Buffer, fin = true): Buffer => clientFrame(opcode, payload, { mask: MASK, fin });

interface Script {
  name: string;
  settings?: Partial<CoreSettings>;
  steps: Step[];
}

const SCRIPTS: Script[] = [
  {
    name: 'messages, pings, a fragmented message with a ping inside, then the peer closes',
    steps: [
      { in: Buffer.concat([f(Opcode.Text, 'hello'), f(Opcode.Binary, Buffer.from([0, 1, 2])), f(Opcode.Ping, 'p1')]) },
      { send: 'reply one' },
      { in: Buffer.concat([f(Opcode.Text, 'frag-', false), f(Opcode.Ping, 'mid'), f(Opcode.Continuation, 'ment', false), f(Opcode.Continuation, 'ed')]) },
      { ping: 'ours' },
      { in: Buffer.concat([f(Opcode.Pong, 'ours'), f(Opcode.Text, 'x'.repeat(300)), f(Opcode.Close, closePayload(1000, 'done')), f(Opcode.Text, 'late')]) },
      { eof: true },
    ],
  },
  {
    name: 'the server closes first; data and a ping after our close; the peer answers late; the timer fires',
    steps: [
      { in: f(Opcode.Text, 'before') },
      { disconnect: [4000, 'bye'] },
      { in: Buffer.concat([f(Opcode.Text, 'after'), f(Opcode.Ping, 'p'), f(Opcode.Close, closePayload(4000))]) },
      { timeout: true },
    ],
  },
  {
    name: 'control frames handed to the app; the app answers the close',
    settings: { openWebsocketPingFrame: true, openWebsocketPongFrame: true, openWebsocketCloseFrame: true },
    steps: [
      { in: Buffer.concat([f(Opcode.Ping, 'p'), f(Opcode.Pong, 'q'), f(Opcode.Text, 'msg')]) },
      { in: f(Opcode.Close, closePayload(1001, 'leaving')) },
      { send: 'last words' },
      { disconnect: [4002, 'app says bye'] },
      { eof: true },
    ],
  },
  {
    name: 'an invalid close frame after some traffic (1007), then FIN',
    steps: [
      { in: Buffer.concat([f(Opcode.Text, 'a'), f(Opcode.Ping, ''), f(Opcode.Close, closePayload(1000, Buffer.from([0xff])))]) },
      { in: f(Opcode.Text, 'ignored') },
      { eof: true },
    ],
  },
];

/** Reads of `bytes`: cut every `stride` bytes, or at the given points. */
function cut(bytes: Buffer, stride: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += stride) out.push(bytes.subarray(i, i + stride));
  return out;
}

/** A small deterministic PRNG (the chunkings must be the same in every run of one case). */
function randomCuts(bytes: Buffer, seed: number): Buffer[] {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(next() * 12);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

type Op = { read: Buffer } | Exclude<Step, { in: Buffer }>;

/** The steps with every `in` cut into reads by `chunker`. */
function operations(steps: Step[], chunker: (b: Buffer) => Buffer[]): Op[] {
  return steps.flatMap((s): Op[] => ('in' in s ? chunker(s.in).map((read) => ({ read })) : [s]));
}

function apply(core: ConnectionCore, op: Op): void {
  if ('read' in op) {
    core.newTurn();
    // The parser unmasks in place: every run gets its own copy of the bytes.
    core.receiveData(Buffer.from(op.read));
  } else if ('send' in op) core.send(Buffer.from(op.send), Opcode.Text, null);
  else if ('ping' in op) core.ping(Buffer.from(op.ping));
  else if ('disconnect' in op) core.disconnect(...op.disconnect);
  else if ('eof' in op) core.receiveEof();
  else core.closeTimeout();
}

interface Capture {
  snapshot: CoreSnapshot;
  /** The original's events after the snapshot, and its end state. */
  after: IoEvent[];
  end: unknown;
  /** The point (op index, or -1 inside the op's events) after which the snapshot was taken. */
  opIndex: number;
  inside: boolean;
}

/**
 * Runs the ops on a fresh core and takes a snapshot at moment `k` (moments are counted: after
 * each op, and after each event the core reports while an op runs). Returns null when there
 * is no moment k; `refused` when the core refuses a snapshot there.
 */
function runWithSnapshotAt(ops: Op[], settings: CoreSettings, k: number): Capture | 'refused' | null {
  const io = new FakeIo();
  const core = new ConnectionCore(io, settings);
  let moment = 0;
  let capture: { snapshot: CoreSnapshot; mark: number; opIndex: number; inside: boolean } | 'refused' | null = null;
  let opIndex = -1;
  const at = (inside: boolean): void => {
    if (moment++ !== k) return;
    if (core.snapshotRefusal() !== null) {
      expect(() => core.snapshot()).toThrow(SnapshotRefusedError);
      capture = 'refused';
      return;
    }
    const snapshot = core.snapshot();
    const json = JSON.parse(JSON.stringify(snapshot)) as CoreSnapshot;
    expect(json).toEqual(snapshot);
    capture = { snapshot: json, mark: io.events.length, opIndex, inside };
  };
  io.onEvent = (e) => {
    // A pong the app opted in to is reported twice (pongArrived, then control): its moment is after both.
    if (e.t === 'message' || e.t === 'control' || (e.t === 'pongArrived' && !settings.openWebsocketPongFrame)) at(true);
  };
  at(false);
  for (opIndex = 0; opIndex < ops.length; opIndex++) {
    apply(core, ops[opIndex]!);
    at(false);
  }
  if (capture === null || capture === 'refused') return capture;
  const c = capture as { snapshot: CoreSnapshot; mark: number; opIndex: number; inside: boolean };
  return { snapshot: c.snapshot, after: io.events.slice(c.mark), end: { status: core.status, info: core.connectionLost() }, opIndex: c.opIndex, inside: c.inside };
}

/** A core restored from the capture, given the rest of the ops: its events and end state. */
function runRestored(ops: Op[], settings: CoreSettings, capture: Capture): { after: IoEvent[]; end: unknown } {
  const io = new FakeIo();
  const core = ConnectionCore.restore(capture.snapshot, io, settings);
  // What the snapshot had already asked of its shell is asked again of the new one.
  const reasked = io.events.splice(0);
  expect(reasked.every((e) => e.t === 'timer' || e.t === 'end')).toBe(true);
  // Bytes of the interrupted read that were not parsed yet are parsed at the next turn.
  core.newTurn();
  // Inside an op's events or after it, the restored core goes on with the next op.
  for (const op of ops.slice(capture.opIndex + 1)) apply(core, op);
  return { after: io.events, end: { status: core.status, info: core.connectionLost() } };
}

describe('ConnectionCore snapshot/restore: a round trip at every point of a scripted exchange', () => {
  const chunkers: Array<[string, (b: Buffer) => Buffer[]]> = [
    ['whole reads', (b) => [b]],
    ...[1, 2, 3, 5, 7].map((n): [string, (b: Buffer) => Buffer[]] => [`${n}-byte reads`, (b) => cut(b, n)]),
    ...Array.from({ length: 12 }, (_, i): [string, (b: Buffer) => Buffer[]] => [`random reads #${i}`, (b) => randomCuts(b, i + 1)]),
  ];

  for (const script of SCRIPTS) {
    it(`${script.name}: restored cores behave as the original, for ${chunkers.length} chunkings`, () => {
      const settings = { ...SETTINGS, ...script.settings };
      let taken = 0;
      let refused = 0;
      for (const [, chunker] of chunkers) {
        const ops = operations(script.steps, chunker);
        for (let k = 0; ; k++) {
          const capture = runWithSnapshotAt(ops, settings, k);
          if (capture === null) break;
          if (capture === 'refused') {
            refused++;
            continue;
          }
          taken++;
          const restored = runRestored(ops, settings, capture);
          expect(restored.after).toEqual(capture.after);
          expect(restored.end).toEqual(capture.end);
        }
      }
      expect(taken).toBeGreaterThan(50);
      // Inside a data message (the fragmented message of the first script) is taken too.
      expect(refused).toBe(0);
    });
  }
});

describe('what a snapshot refuses', () => {
  it('inside a fragmented text message cut mid code point: the fragments and the UTF-8 carry move', () => {
    const core = new ConnectionCore(new FakeIo(), SETTINGS);
    const text = Buffer.from('h\u00e9llo \u20ac!');
    // The first fragment ends inside the euro sign (3 bytes): the validator carries its lead.
    const cut = text.indexOf(0xe2) + 1;
    core.receiveData(f(Opcode.Text, text.subarray(0, cut), false));
    expect(core.snapshotRefusal()).toBe(null);
    const snap = JSON.parse(JSON.stringify(core.snapshot())) as CoreSnapshot;
    expect(snap.parser.message?.utf8?.[1]).toBe(1);
    const io = new FakeIo();
    const restored = ConnectionCore.restore(snap, io, SETTINGS);
    restored.newTurn();
    restored.receiveData(f(Opcode.Continuation, text.subarray(cut), true));
    expect(io.events).toEqual([{ t: 'message', data: text.toString(), binary: false }]);
  });

  it('a bad continuation of the carried code point still fails after the move (1007)', () => {
    const core = new ConnectionCore(new FakeIo(), SETTINGS);
    core.receiveData(f(Opcode.Text, Buffer.from([0x61, 0xe2]), false));
    const io = new FakeIo();
    const restored = ConnectionCore.restore(JSON.parse(JSON.stringify(core.snapshot())) as CoreSnapshot, io, SETTINGS);
    restored.newTurn();
    restored.receiveData(f(Opcode.Continuation, Buffer.from([0x41]), true));
    expect(io.events.some((e) => JSON.stringify(e).includes('1007'))).toBe(true);
  });

  it('inside a data frame that has not arrived whole, text checked as it arrived', () => {
    const core = new ConnectionCore(new FakeIo(), SETTINGS);
    const frame = f(Opcode.Text, 'x'.repeat(300));
    core.receiveData(Buffer.from(frame.subarray(0, 120)));
    const snap = JSON.parse(JSON.stringify(core.snapshot())) as CoreSnapshot;
    const io = new FakeIo();
    const restored = ConnectionCore.restore(snap, io, SETTINGS);
    restored.newTurn();
    restored.receiveData(Buffer.from(frame.subarray(120)));
    expect(io.events).toEqual([{ t: 'message', data: 'x'.repeat(300), binary: false }]);
  });

  it('with permessage-deflate: the LZ77 windows live in zlib', () => {
    const codec: MessageCodec = { decompress() {}, compress() {}, dispose() {} };
    const core = new ConnectionCore(new FakeIo(), SETTINGS, codec);
    expect(core.snapshotRefusal()).toBe('permessage-deflate contexts are not plain data');
  });

  it('once closed', () => {
    const core = new ConnectionCore(new FakeIo(), SETTINGS);
    core.connectionLost();
    expect(() => core.snapshot()).toThrow(/closed/);
  });

  it('mid-way through a control frame is fine: the header read so far and the raw bytes are data', () => {
    const io = new FakeIo();
    const core = new ConnectionCore(io, SETTINGS);
    const ping = f(Opcode.Ping, 'hello');
    core.receiveData(Buffer.from(ping.subarray(0, 4)));
    const snap = JSON.parse(JSON.stringify(core.snapshot())) as CoreSnapshot;
    const io2 = new FakeIo();
    const restored = ConnectionCore.restore(snap, io2, SETTINGS);
    restored.newTurn();
    restored.receiveData(Buffer.from(ping.subarray(4)));
    expect(io2.frames.map((fr) => [fr.opcode, fr.payload.toString()])).toEqual([[Opcode.Pong, 'hello']]);
  });
});
