import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import {
  closeFrame,
  encodeClosePayload,
  encodeFrame,
  encodeSmallFrame,
  frameHeader,
  pingFrame,
  pongFrame,
} from '../../src/shared/protocol/frame-encoder.ts';
import { ServerFrameReader, closeCode, closeReason, type ServerFrame } from '../../scripts/lib/frames.ts';

const b = (...bytes: number[]): Buffer => Buffer.from(bytes);

/** Read back every frame in `bytes`, fed in the given chunks. */
function readAll(chunks: Buffer[]): ServerFrame[] {
  const reader = new ServerFrameReader();
  const frames = chunks.flatMap((chunk) => reader.push(chunk));
  expect(reader.bufferedBytes).toBe(0);
  return frames;
}

describe('frameHeader', () => {
  it('uses the 7-bit, 16-bit and 64-bit length forms at their boundaries (§5.2)', () => {
    expect(frameHeader(Opcode.Text, 0)).toEqual(b(0x81, 0));
    expect(frameHeader(Opcode.Text, 125)).toEqual(b(0x81, 125));
    expect(frameHeader(Opcode.Binary, 126)).toEqual(b(0x82, 126, 0, 126));
    expect(frameHeader(Opcode.Binary, 65535)).toEqual(b(0x82, 126, 0xff, 0xff));
    expect(frameHeader(Opcode.Binary, 65536)).toEqual(b(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0));
    expect(frameHeader(Opcode.Binary, 2 ** 32 + 5)).toEqual(b(0x82, 127, 0, 0, 0, 1, 0, 0, 0, 5));
    expect(frameHeader(Opcode.Binary, Number.MAX_SAFE_INTEGER)).toEqual(
      b(0x82, 127, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
    );
  });

  it('sets FIN and RSV1 as asked, never MASK (§5.1)', () => {
    expect(frameHeader(Opcode.Text, 3, false)).toEqual(b(0x01, 3));
    expect(frameHeader(Opcode.Continuation, 3, true)).toEqual(b(0x80, 3));
    expect(frameHeader(Opcode.Text, 3, true, true)).toEqual(b(0xc1, 3));
    expect(frameHeader(Opcode.Binary, 70000, false, true)[1]! & 0x80).toBe(0);
  });

  it('refuses what no valid frame has (programmer errors)', () => {
    expect(() => frameHeader(16, 1)).toThrow(RangeError);
    expect(() => frameHeader(Opcode.Text, -1)).toThrow(RangeError);
    expect(() => frameHeader(Opcode.Text, 1.5)).toThrow(RangeError);
    expect(() => frameHeader(Opcode.Text, 2 ** 53)).toThrow(RangeError);
    expect(() => frameHeader(Opcode.Ping, 126)).toThrow(RangeError);
    expect(() => frameHeader(Opcode.Ping, 1, false)).toThrow(RangeError);
    expect(() => frameHeader(Opcode.Close, 2, true, true)).toThrow(RangeError);
  });
});

describe('encodeFrame / encodeSmallFrame', () => {
  it('encodeFrame returns the payload itself, uncopied', () => {
    const payload = Buffer.from('hello');
    const [header, body] = encodeFrame(Opcode.Text, payload);
    expect(body).toBe(payload);
    expect(header).toEqual(b(0x81, 5));
  });

  it('encodeSmallFrame copies header and payload into one buffer', () => {
    const payload = Buffer.from('hello');
    const frame = encodeSmallFrame(Opcode.Binary, payload, true);
    expect(frame).toEqual(Buffer.concat([b(0xc2, 5), payload]));
    expect(frame.buffer === payload.buffer && frame.byteOffset + 2 === payload.byteOffset).toBe(false);
  });
});

describe('close, ping and pong frames', () => {
  it('encodes a close payload: code then UTF-8 reason (§5.5.1)', () => {
    expect(encodeClosePayload(1000)).toEqual(b(0x03, 0xe8));
    expect(encodeClosePayload(4999, 'é')).toEqual(b(0x13, 0x87, 0xc3, 0xa9));
  });

  it('refuses codes that may not go on the wire (§7.4.1)', () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000]) {
      expect(() => encodeClosePayload(code), `code ${code}`).toThrow(RangeError);
      expect(() => closeFrame(code), `code ${code}`).toThrow(RangeError);
    }
    for (const code of [1000, 1003, 1007, 1011, 1014, 3000, 4999]) expect(encodeClosePayload(code).readUInt16BE(0)).toBe(code);
  });

  it('refuses a reason over 123 bytes, counted in UTF-8', () => {
    expect(encodeClosePayload(1000, 'x'.repeat(123))).toHaveLength(125);
    expect(() => encodeClosePayload(1000, 'x'.repeat(124))).toThrow(RangeError);
    expect(encodeClosePayload(1000, 'é'.repeat(61) + 'x')).toHaveLength(125);
    expect(() => encodeClosePayload(1000, 'é'.repeat(62))).toThrow(RangeError);
  });

  it('closeFrame: no code gives an empty payload; a reason needs a code', () => {
    expect(closeFrame()).toEqual(b(0x88, 0));
    expect(closeFrame(1001, 'bye')).toEqual(Buffer.concat([b(0x88, 5, 0x03, 0xe9), Buffer.from('bye')]));
    expect(() => closeFrame(undefined, 'why')).toThrow(RangeError);
  });

  it('ping and pong carry at most 125 bytes (§5.5)', () => {
    expect(pingFrame()).toEqual(b(0x89, 0));
    expect(pongFrame()).toEqual(b(0x8a, 0));
    expect(pingFrame(Buffer.alloc(125, 1))).toHaveLength(127);
    expect(() => pingFrame(Buffer.alloc(126))).toThrow(RangeError);
    expect(() => pongFrame(Buffer.alloc(126))).toThrow(RangeError);
  });
});

describe('round trip through ServerFrameReader', () => {
  it('close frames read back with code and reason', () => {
    const [frame] = readAll([closeFrame(1008, 'policy ✓')]) as [ServerFrame];
    expect(frame.opcode).toBe(Opcode.Close);
    expect(closeCode(frame)).toBe(1008);
    expect(closeReason(frame)).toBe('policy ✓');
    expect(closeCode(readAll([closeFrame()])[0]!)).toBeUndefined();
  });

  it('any frame the encoder writes reads back the same, however it is chunked', () => {
    const lengths = fc.oneof(fc.integer({ min: 0, max: 130 }), fc.integer({ min: 65530, max: 65540 }), fc.integer({ min: 0, max: 70000 }));
    const dataFrame = fc.record({
      opcode: fc.constantFrom(Opcode.Text, Opcode.Binary, Opcode.Continuation),
      length: lengths,
      fill: fc.nat(255),
      fin: fc.boolean(),
      rsv1: fc.boolean(),
      how: fc.constantFrom('pair' as const, 'small' as const, 'header' as const),
    });
    const controlFrame = fc.record({
      opcode: fc.constantFrom(Opcode.Ping, Opcode.Pong),
      length: fc.integer({ min: 0, max: 125 }),
      fill: fc.nat(255),
      fin: fc.constant(true),
      rsv1: fc.constant(false),
      how: fc.constantFrom('pair' as const, 'small' as const, 'control' as const),
    });
    const splits = fc.array(fc.nat(), { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.oneof(dataFrame, controlFrame), { minLength: 1, maxLength: 5 }), splits, (specs, cuts) => {
        const parts: Buffer[] = [];
        const expected: ServerFrame[] = [];
        for (const { opcode, length, fill, fin, rsv1, how } of specs) {
          const payload = Buffer.alloc(length, fill);
          if (length > 0) payload[length - 1] = fill ^ 0x5a;
          const wholeFin = how === 'small' || how === 'control' ? true : fin;
          if (how === 'pair') parts.push(...encodeFrame(opcode, payload, fin, rsv1));
          else if (how === 'small') parts.push(encodeSmallFrame(opcode, payload, rsv1));
          else if (how === 'header') parts.push(frameHeader(opcode, length, fin, rsv1), payload);
          else parts.push(opcode === Opcode.Ping ? pingFrame(payload) : pongFrame(payload));
          expected.push({ opcode, fin: wholeFin, rsv1, payload });
        }
        const bytes = Buffer.concat(parts);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
        const chunks = [...points, bytes.length].map((p, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1]!, p));
        const summary = (f: ServerFrame) => ({ ...f, payload: f.payload.toString('hex') });
        expect(readAll(chunks).map(summary)).toEqual(expected.map(summary));
      }),
      { numRuns: 300 },
    );
  });
});
