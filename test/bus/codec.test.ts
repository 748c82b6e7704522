import fc from 'fast-check';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, decodeEnvelope, encodeEnvelope, encodeFrame, encodeStreamFrame, frameHeader, isBusMessage } from '../../src/shared/bus/codec.ts';
import type { BusMessage } from '../../src/shared/bus/types.ts';
import { canonical } from './contract.ts';

const int = fc.maxSafeInteger();
const optRid = fc.option(int, { nil: undefined });
const buffer = fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u));
// 'binary' covers every code point but lone surrogates (which UTF-8 cannot carry).
const text = fc.string({ unit: 'binary', maxLength: 60 });
const data = fc.oneof(text, buffer);
const key = text.filter((k) => k !== '__proto__');
const finite = fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d));
const { value: anyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    int,
    finite,
    text,
    buffer,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
}));

/** Optional fields left out rather than set to undefined, as a caller would write them. */
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const message: fc.Arbitrary<BusMessage> = fc.oneof(
  fc.record({ t: fc.constant('push' as const), fd: int, op: int, data, rid: optRid }).map(compact),
  fc.record({ t: fc.constant('disconnect' as const), fd: int, code: int, reason: text, rid: optRid }).map(compact),
  fc.record({ t: fc.constant('close' as const), fd: int, rid: optRid }).map(compact),
  fc.record({ t: fc.constant('info' as const), fd: int, rid: int }),
  fc
    .record({ t: fc.constant('broadcast' as const), op: int, data, except: fc.option(fc.array(int, { maxLength: 5 }), { nil: undefined }), room: fc.option(text, { nil: undefined }) })
    .map(compact),
  fc.record({ t: fc.constantFrom('join' as const, 'leave' as const), fd: int, room: text, rid: optRid }).map(compact),
  fc.record({ t: fc.constant('pipe' as const), src: int, data: anyValue }),
  fc.record({ t: fc.constant('reply' as const), rid: int, value: anyValue }),
  fc.record({ t: fc.constant('call' as const), method: text, args: fc.array(anyValue, { maxLength: 4 }), rid: int }),
);
const address = fc.record({ node: fc.integer({ min: 0, max: 4095 }), slot: fc.integer({ min: 0, max: 255 }) });

/** Cuts `bytes` at the given points (any numbers: reduced modulo the length, sorted). */
function split(bytes: Buffer, points: number[]): Buffer[] {
  const cuts = [...new Set(points.map((p) => (bytes.length === 0 ? 0 : p % (bytes.length + 1))))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

function decodeAll(chunks: Buffer[], max: number): { frames: string[]; error: string | null } {
  const decoder = new FrameDecoder(max);
  const frames = chunks.flatMap((c) => decoder.push(c)).map((f) => f.toString('hex'));
  return { frames, error: decoder.error?.code ?? null };
}

describe('envelope', () => {
  it('round-trips every message type: Buffers stay Buffers, strings stay strings', () => {
    fc.assert(
      fc.property(address, message, (from, msg) => {
        const decoded = decodeEnvelope(encodeEnvelope(from, msg));
        expect(decoded).not.toBeNull();
        expect(decoded!.from).toEqual(from);
        expect(canonical(decoded!.msg)).toEqual(canonical(msg));
      }),
      { numRuns: 500 },
    );
  });

  it('gives null for random bytes, never throws, and only ever well-formed messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const decoded = decodeEnvelope(Buffer.from(bytes));
        if (decoded !== null) expect(isBusMessage(decoded.msg)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('survives corrupted and truncated envelopes', () => {
    fc.assert(
      fc.property(address, message, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (from, msg, flips, cut) => {
        const bytes = Buffer.from(encodeEnvelope(from, msg));
        for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
        const truncated = bytes.subarray(0, cut % (bytes.length + 1));
        for (const candidate of [bytes, truncated]) {
          const decoded = decodeEnvelope(candidate);
          if (decoded !== null) expect(isBusMessage(decoded.msg)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['trailing bytes', Buffer.concat([encodeEnvelope({ node: 0, slot: 1 }, { t: 'close', fd: 1 }), Buffer.from([0])])],
    ['an empty buffer', Buffer.alloc(0)],
    ['a map instead of an array', pack({ node: 0, slot: 1, msg: { t: 'close', fd: 1 } })],
    ['four elements', pack([0, 1, { t: 'close', fd: 1 }, 'extra'])],
    ['a negative slot', pack([0, -1, { t: 'close', fd: 1 }])],
    ['a fractional node', pack([0.5, 1, { t: 'close', fd: 1 }])],
    ['an unknown type', pack([0, 1, { t: 'shutdown' }])],
    ['push data of the wrong type', pack([0, 1, { t: 'push', fd: 1, op: 1, data: 5 }])],
    ['an info without rid', pack([0, 1, { t: 'info', fd: 1 }])],
    ['a string fd', pack([0, 1, { t: 'close', fd: '1' }])],
    ['except that is not a list of numbers', pack([0, 1, { t: 'broadcast', op: 1, data: 'x', except: ['a'] }])],
    ['call args that are not an array', pack([0, 1, { t: 'call', method: 'm', args: 'a', rid: 1 }])],
    ['a reply without value', pack([0, 1, { t: 'reply', rid: 1 }])],
  ])('rejects %s', (_what, bytes) => {
    expect(decodeEnvelope(bytes)).toBeNull();
  });
});

describe('FrameDecoder', () => {
  it('prefixes each payload with its length, big-endian', () => {
    expect(frameHeader(0x01020304)).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(encodeFrame(Buffer.from('ab'))).toEqual(Buffer.from([0, 0, 0, 2, 0x61, 0x62]));
  });

  it('yields the same payloads whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (payloads, points) => {
        const stream = Buffer.concat(payloads.map((p) => encodeFrame(Buffer.from(p))));
        const want = payloads.map((p) => Buffer.from(p).toString('hex'));
        expect(decodeAll([stream], 1024)).toEqual({ frames: want, error: null });
        expect(decodeAll(split(stream, points), 1024)).toEqual({ frames: want, error: null });
      }),
      { numRuns: 1000 },
    );
  });

  it('gives identical results, error included, for random bytes at any split, and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 12 }), (bytes, points) => {
        const stream = Buffer.from(bytes);
        expect(decodeAll(split(stream, points), 64)).toEqual(decodeAll([stream], 64));
      }),
      { numRuns: 2000 },
    );
  });

  it('one byte at a time gives the same frames as one chunk', () => {
    const stream = Buffer.concat([encodeFrame(Buffer.from('first')), encodeFrame(Buffer.alloc(0)), encodeFrame(Buffer.alloc(70_000, 1))]);
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expect(decodeAll(bytes, 1 << 20)).toEqual(decodeAll([stream], 1 << 20));
    expect(decodeAll(bytes, 1 << 20).frames).toHaveLength(3);
  });

  it('stops at a length above the limit: earlier frames out, error set, later input ignored', () => {
    const decoder = new FrameDecoder(10);
    const out = decoder.push(Buffer.concat([encodeFrame(Buffer.from('ok')), frameHeader(11), Buffer.alloc(11)]));
    expect(out.map(String)).toEqual(['ok']);
    expect(decoder.error?.code).toBe('ERR_BUS_FRAME_TOO_BIG');
    expect(decoder.push(encodeFrame(Buffer.from('late')))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('slices payloads that lie within one chunk instead of copying them', () => {
    const chunk = Buffer.concat([encodeFrame(Buffer.from('abc')), encodeFrame(Buffer.from('def'))]);
    const [first, second] = new FrameDecoder().push(chunk);
    expect(first!.buffer).toBe(chunk.buffer);
    expect(second!.buffer).toBe(chunk.buffer);
  });

  it('holds an incomplete frame until the rest arrives', () => {
    const decoder = new FrameDecoder();
    const frame = encodeFrame(Buffer.from('hello'));
    expect(decoder.push(frame.subarray(0, 6))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(2);
    expect(decoder.push(frame.subarray(6)).map(String)).toEqual(['hello']);
  });

  it('refuses a limit a u32 prefix cannot express (configuration error)', () => {
    expect(() => new FrameDecoder(2 ** 32)).toThrow(RangeError);
    expect(() => new FrameDecoder(-1)).toThrow(RangeError);
  });
});

describe('push fast path (fixed binary layout)', () => {
  const from = { node: 3, slot: 7 };
  it('pushes use the 0xC1 layout and round-trip, with and without rid, text and bytes', () => {
    for (const msg of [
      { t: 'push', fd: 1048583, op: 1, data: 'héllo ✓' },
      { t: 'push', fd: 1048583, op: 2, data: Buffer.from([0, 255, 7]), rid: 42 },
      { t: 'push', fd: 1048583, op: 1, data: '' },
    ] as const) {
      const env = encodeEnvelope(from, msg);
      expect(env[0]).toBe(0xc1);
      expect(decodeEnvelope(env)).toEqual({ from, msg });
      const frame = encodeStreamFrame(from, msg);
      expect(frame.readUInt32BE(0)).toBe(env.length);
      expect(frame.subarray(4)).toEqual(env);
    }
  });
  it('other messages stay msgpack', () => {
    expect(encodeEnvelope(from, { t: 'close', fd: 1 })[0]).not.toBe(0xc1);
  });
  it('malformed push envelopes give null, never throw', () => {
    const good = encodeEnvelope(from, { t: 'push', fd: 1048583, op: 1, data: 'x', rid: 1 });
    expect(decodeEnvelope(good.subarray(0, 10))).toBeNull();
    const badFlags = Buffer.from(good);
    badFlags[4] = 0x80;
    expect(decodeEnvelope(badFlags)).toBeNull();
    const noRid = Buffer.from(good.subarray(0, 16));
    expect(decodeEnvelope(noRid)).toBeNull();
    const nanFd = Buffer.from(good);
    nanFd.writeDoubleBE(Number.NaN, 6);
    expect(decodeEnvelope(nanFd)).toBeNull();
  });
});
