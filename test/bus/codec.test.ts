import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytesMessage, FrameDecoder, decodeEnvelope, encodeEnvelope, encodeFrame, encodeStreamFrame, frameHeader } from '../../src/shared/bus/codec.ts';
import type { MessageKind } from '../../src/shared/bus/types.ts';

const buffer = fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u));
const rid = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
/** Every kind of envelope: 'send' has no rid (0), requests and replies a positive one. */
const message = fc.oneof(
  buffer.map((body) => new BytesMessage('send', 0, body)),
  fc.tuple(fc.constantFrom<MessageKind>('request', 'reply'), rid, buffer).map(([kind, r, body]) => new BytesMessage(kind, r, body)),
);
const address = fc.record({ node: fc.integer({ min: 0, max: 4095 }), slot: fc.integer({ min: 0, max: 255 }) });
const shape = (m: { kind: MessageKind; rid: number; body: Buffer }) => ({ kind: m.kind, rid: m.rid, body: m.body.toString('hex') });
const KINDS = ['send', 'request', 'reply'];

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

/** Only what an envelope may carry: a known kind, a rid that is 0 exactly for 'send'. */
function wellFormed(decoded: NonNullable<ReturnType<typeof decodeEnvelope>>): void {
  expect(KINDS).toContain(decoded.msg.kind);
  if (decoded.msg.kind === 'send') expect(decoded.msg.rid).toBe(0);
  else expect(Number.isSafeInteger(decoded.msg.rid) && decoded.msg.rid > 0).toBe(true);
  expect(Buffer.isBuffer(decoded.msg.body)).toBe(true);
}

describe('envelope', () => {
  it('round-trips every field: sender node and slot, kind, rid, body byte for byte', () => {
    fc.assert(
      fc.property(address, message, (from, msg) => {
        const decoded = decodeEnvelope(encodeEnvelope(from, msg));
        expect(decoded).not.toBeNull();
        expect(decoded!.from).toEqual(from);
        expect(shape(decoded!.msg)).toEqual(shape(msg));
      }),
      { numRuns: 500 },
    );
  });

  it('a stream frame is the length prefix, then the same envelope', () => {
    fc.assert(
      fc.property(address, message, (from, msg) => {
        const env = encodeEnvelope(from, msg);
        const frame = encodeStreamFrame(from, msg);
        expect(frame.readUInt32BE(0)).toBe(env.length);
        expect(frame.subarray(4).equals(env)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('lays out kind, node, slot, rid and body where the codec comment says', () => {
    const env = encodeEnvelope({ node: 0x0102, slot: 7 }, new BytesMessage('request', 42, Buffer.from('hi')));
    expect(env.toString('hex')).toBe(`02010207${Buffer.from([0x40, 0x45, 0, 0, 0, 0, 0, 0]).toString('hex')}6869`);
    expect(encodeEnvelope({ node: 0, slot: 1 }, new BytesMessage('send', 0, Buffer.from('x'))).toString('hex')).toBe('0100000178');
  });

  it('gives null for random bytes, never throws, and only ever well-formed envelopes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const decoded = decodeEnvelope(Buffer.from(bytes));
        if (decoded !== null) wellFormed(decoded);
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
          if (decoded !== null) wellFormed(decoded);
        }
      }),
      { numRuns: 1000 },
    );
  });

  const ridBytes = (v: number): Buffer => {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v, 0);
    return b;
  };
  it.each([
    ['an empty buffer', Buffer.alloc(0)],
    ['a head cut short', Buffer.from([1, 0, 0])],
    ['kind 0', Buffer.from([0, 0, 0, 1])],
    ['kind 4', Buffer.from([4, 0, 0, 1])],
    ['the old msgpack layout', Buffer.from([0x93, 0, 1, 0x80])],
    ['a request without its rid', Buffer.from([2, 0, 0, 1, 0, 0, 0])],
    ['a reply with rid 0', Buffer.concat([Buffer.from([3, 0, 0, 1]), ridBytes(0)])],
    ['a fractional rid', Buffer.concat([Buffer.from([2, 0, 0, 1]), ridBytes(1.5)])],
    ['a negative rid', Buffer.concat([Buffer.from([2, 0, 0, 1]), ridBytes(-3)])],
    ['a NaN rid', Buffer.concat([Buffer.from([3, 0, 0, 1]), ridBytes(Number.NaN)])],
  ])('rejects %s', (_what, bytes) => {
    expect(decodeEnvelope(bytes)).toBeNull();
  });

  it('refuses to encode what no peer could decode (a bug): an address or rid out of range', () => {
    const body = Buffer.from('x');
    expect(() => encodeEnvelope({ node: 0x10000, slot: 0 }, new BytesMessage('send', 0, body))).toThrow(RangeError);
    expect(() => encodeEnvelope({ node: 0, slot: 256 }, new BytesMessage('send', 0, body))).toThrow(RangeError);
    expect(() => encodeEnvelope({ node: 0, slot: 0 }, new BytesMessage('request', 0, body))).toThrow(RangeError);
  });

  it('the body is a view of the envelope (no copy); its owner copies what it keeps', () => {
    const env = encodeEnvelope({ node: 0, slot: 1 }, new BytesMessage('send', 0, Buffer.from('abc')));
    expect(decodeEnvelope(env)!.msg.body.buffer).toBe(env.buffer);
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
