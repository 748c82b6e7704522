import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/shared/errors.ts';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import type { Inflater } from '../../src/shared/protocol/extension.ts';
import { FrameParser, unmask, type ParserOptions, type ParserSink } from '../../src/shared/protocol/frame-parser.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';

// ---- recording -------------------------------------------------------------------------

type Event =
  | ['message', string, boolean] // hex of the data, binary
  | ['ping' | 'pong', string] // hex
  | ['close', number, string]
  | ['error', string, number]; // code, closeCode

const hex = (b: Buffer | string): string => (typeof b === 'string' ? Buffer.from(b) : b).toString('hex');
const text = (s: string | Buffer): Event => ['message', hex(s), false];
const binary = (b: Buffer): Event => ['message', hex(b), true];
const ping = (p: string | Buffer = ''): Event => ['ping', hex(p)];
const pong = (p: string | Buffer = ''): Event => ['pong', hex(p)];
const close = (code: number, reason = ''): Event => ['close', code, reason];
const error = (code: string, closeCode: number): Event => ['error', code, closeCode];

class Recorder implements ParserSink {
  events: Event[] = [];
  data: Buffer[] = [];
  errors: ProtocolError[] = [];
  onMessage(data: Buffer, isBinary: boolean): void {
    this.events.push(['message', hex(data), isBinary]);
    this.data.push(data);
  }
  onPing(payload: Buffer): void {
    this.events.push(['ping', hex(payload)]);
  }
  onPong(payload: Buffer): void {
    this.events.push(['pong', hex(payload)]);
  }
  onClose(code: number, reason: string): void {
    this.events.push(['close', code, reason]);
  }
  onError(err: ProtocolError): void {
    this.events.push(['error', err.code, err.closeCode]);
    this.errors.push(err);
  }
}

const DEFAULTS: ParserOptions = { maxMessageSize: 1 << 20 };

/** Feed `chunks` (copied: the parser unmasks in place) and return the events. */
function parse(chunks: Buffer[], options: ParserOptions = DEFAULTS): Event[] {
  const sink = new Recorder();
  const parser = new FrameParser(sink, options);
  for (const chunk of chunks) parser.push(Buffer.from(chunk));
  return sink.events;
}

/** `bytes` cut at the given points (sorted, clamped). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const sorted = points.map((p) => Math.min(p, bytes.length)).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const p of [...sorted, bytes.length]) {
    chunks.push(bytes.subarray(at, p));
    at = p;
  }
  return chunks;
}

/** Whole, split at every point (or every `stride`-th for big inputs), and one byte at a time: the same events. */
function expectEverywhere(bytes: Buffer, expected: Event[], options: ParserOptions = DEFAULTS, stride = 1): void {
  expect(parse([bytes], options)).toEqual(expected);
  for (let i = 0; i <= bytes.length; i += i < 16 || bytes.length - i < 16 ? 1 : stride) {
    expect(parse(cut(bytes, [i]), options), `split at ${i}`).toEqual(expected);
  }
  expect(parse(cut(bytes, [...bytes.keys()]), options), 'one byte at a time').toEqual(expected);
}

const RFC_MASK = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
const cat = (...frames: Buffer[]): Buffer => Buffer.concat(frames);
const bytesOf = (n: number, seed = 7): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + 3) & 0xff));

// ---- RFC 6455 §5.7 -----------------------------------------------------------------------

describe('RFC 6455 §5.7 examples, whole and at every split point', () => {
  it('a single-frame masked text message "Hello"', () => {
    const frame = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    expect(clientFrame(Opcode.Text, 'Hello', { mask: RFC_MASK })).toEqual(frame);
    expectEverywhere(frame, [text('Hello')]);
  });

  it('a single-frame unmasked text message is refused from a client (§5.1)', () => {
    const frame = Buffer.from([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expectEverywhere(frame, [error('ERR_UNMASKED_FRAME', 1002)]);
  });

  it('a fragmented text message "Hel" + "lo" (masked variant)', () => {
    const frames = cat(
      clientFrame(Opcode.Text, 'Hel', { fin: false, mask: RFC_MASK }),
      clientFrame(Opcode.Continuation, 'lo', { mask: RFC_MASK }),
    );
    expect(frames.subarray(0, 2)).toEqual(Buffer.from([0x01, 0x83]));
    expect(frames.subarray(9, 11)).toEqual(Buffer.from([0x80, 0x82]));
    expectEverywhere(frames, [text('Hello')]);
  });

  it('a ping "Hello" (masked variant) and the masked pong "Hello"', () => {
    const pingFrame = clientFrame(Opcode.Ping, 'Hello', { mask: RFC_MASK });
    const pongFrame = Buffer.from([0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    expect(pingFrame.subarray(0, 2)).toEqual(Buffer.from([0x89, 0x85]));
    expectEverywhere(pingFrame, [ping('Hello')]);
    expectEverywhere(pongFrame, [pong('Hello')]);
  });

  it('256 bytes of binary data with a 16-bit length', () => {
    const payload = bytesOf(256);
    const frame = clientFrame(Opcode.Binary, payload, { mask: RFC_MASK });
    expect(frame.subarray(0, 4)).toEqual(Buffer.from([0x82, 0xfe, 0x01, 0x00]));
    expectEverywhere(frame, [binary(payload)]);
  });

  it('64 KiB of binary data with a 64-bit length', () => {
    const payload = bytesOf(65536, 13);
    const frame = clientFrame(Opcode.Binary, payload, { mask: RFC_MASK });
    expect(frame.subarray(0, 10)).toEqual(Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0]));
    expectEverywhere(frame, [binary(payload)], DEFAULTS, 1021); // every split in the header and the last 16, then a stride
  });
});

// ---- RFC 6455 rules -----------------------------------------------------------------------

describe('framing rules (§5.2-§5.5)', () => {
  it('RSV2 or RSV3 set -> 1002', () => {
    expectEverywhere(clientFrame(Opcode.Text, 'x', { rsv2: true }), [error('ERR_RESERVED_BITS', 1002)]);
    expectEverywhere(clientFrame(Opcode.Text, 'x', { rsv3: true }), [error('ERR_RESERVED_BITS', 1002)]);
  });

  it('RSV1 set with no extension negotiated -> 1002', () => {
    expectEverywhere(clientFrame(Opcode.Text, 'x', { rsv1: true }), [error('ERR_RESERVED_BITS', 1002)]);
    expectEverywhere(clientFrame(Opcode.Ping, 'x', { rsv1: true }), [error('ERR_UNEXPECTED_RSV1', 1002)]);
  });

  it('reserved opcodes 3-7 and 0xB-0xF -> 1002', () => {
    for (const opcode of [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
      expect(parse([clientFrame(opcode, 'x')]), `opcode ${opcode}`).toEqual([error('ERR_RESERVED_OPCODE', 1002)]);
    }
  });

  it('a control frame over 125 bytes -> 1002 as soon as its first two bytes arrive', () => {
    for (const opcode of [Opcode.Ping, Opcode.Pong, Opcode.Close]) {
      const frame = clientFrame(opcode, bytesOf(126));
      expect(parse([frame.subarray(0, 2)])).toEqual([error('ERR_CONTROL_TOO_LONG', 1002)]);
      expectEverywhere(frame, [error('ERR_CONTROL_TOO_LONG', 1002)]);
    }
    expectEverywhere(clientFrame(Opcode.Ping, bytesOf(125)), [ping(bytesOf(125))]);
  });

  it('a fragmented control frame (FIN clear) -> 1002', () => {
    for (const opcode of [Opcode.Ping, Opcode.Pong, Opcode.Close]) {
      expectEverywhere(clientFrame(opcode, '', { fin: false }), [error('ERR_FRAGMENTED_CONTROL', 1002)]);
    }
  });

  it('a continuation frame with no message open -> 1002', () => {
    expectEverywhere(clientFrame(Opcode.Continuation, 'x'), [error('ERR_UNEXPECTED_CONTINUATION', 1002)]);
    const afterMessage = cat(clientFrame(Opcode.Text, 'a'), clientFrame(Opcode.Continuation, 'b'));
    expectEverywhere(afterMessage, [text('a'), error('ERR_UNEXPECTED_CONTINUATION', 1002)]);
  });

  it('a new data frame while a fragmented message is open -> 1002', () => {
    for (const opcode of [Opcode.Text, Opcode.Binary]) {
      const frames = cat(clientFrame(Opcode.Text, 'a', { fin: false }), clientFrame(opcode, 'b'));
      expectEverywhere(frames, [error('ERR_EXPECTED_CONTINUATION', 1002)]);
    }
  });

  it('non-minimal length encodings are accepted', () => {
    expectEverywhere(clientFrame(Opcode.Text, 'Hello', { lengthBytes: 2 }), [text('Hello')]);
    expectEverywhere(clientFrame(Opcode.Text, 'Hello', { lengthBytes: 8 }), [text('Hello')]);
    expectEverywhere(clientFrame(Opcode.Binary, bytesOf(300), { lengthBytes: 8 }), [binary(bytesOf(300))]);
  });

  it('empty data frames make empty messages', () => {
    const frames = cat(
      clientFrame(Opcode.Text, ''),
      clientFrame(Opcode.Binary, Buffer.alloc(0)),
      clientFrame(Opcode.Text, '', { fin: false }),
      clientFrame(Opcode.Continuation, ''),
    );
    expectEverywhere(frames, [text(''), binary(Buffer.alloc(0)), text('')]);
  });
});

describe('UTF-8 in text messages (§8.1) -> 1007', () => {
  const bad = Buffer.from([0x48, 0xed, 0xa0, 0x80]); // "H" + a surrogate

  it('an invalid single-frame text message', () => {
    expectEverywhere(clientFrame(Opcode.Text, bad), [error('ERR_INVALID_UTF8', 1007)]);
    expectEverywhere(clientFrame(Opcode.Binary, bad), [binary(bad)]);
  });

  it('a valid code point split across fragments is accepted', () => {
    const euro = Buffer.from('€uro', 'utf8'); // E2 82 AC ...
    const frames = cat(
      clientFrame(Opcode.Text, euro.subarray(0, 1), { fin: false }),
      clientFrame(Opcode.Continuation, euro.subarray(1, 2), { fin: false }),
      clientFrame(Opcode.Continuation, euro.subarray(2)),
    );
    expectEverywhere(frames, [text('€uro')]);
  });

  it('an invalid code point split across fragments fails on the fragment that breaks it', () => {
    const first = clientFrame(Opcode.Text, Buffer.from([0x41, 0xed]), { fin: false });
    const second = clientFrame(Opcode.Continuation, Buffer.from([0xa0, 0x80]), { fin: false });
    // The message never ends, yet the error comes as soon as the second fragment is in.
    expect(parse([first])).toEqual([]);
    expectEverywhere(cat(first, second), [error('ERR_INVALID_UTF8', 1007)]);
  });

  it('fails fast: a bad first fragment fails before the rest of the message arrives', () => {
    expectEverywhere(clientFrame(Opcode.Text, Buffer.from([0x61, 0xff, 0x62]), { fin: false }), [
      error('ERR_INVALID_UTF8', 1007),
    ]);
  });

  it('a message ending inside a code point', () => {
    const frames = cat(
      clientFrame(Opcode.Text, 'ok', { fin: false }),
      clientFrame(Opcode.Continuation, Buffer.from([0xe2, 0x82])),
    );
    expectEverywhere(frames, [error('ERR_INVALID_UTF8', 1007)]);
  });

  it('validation restarts with each message', () => {
    const frames = cat(
      clientFrame(Opcode.Text, 'é', { fin: false }),
      clientFrame(Opcode.Continuation, ''),
      clientFrame(Opcode.Text, 'ü'),
    );
    expectEverywhere(frames, [text('é'), text('ü')]);
  });
});

describe('fail fast inside one text frame (§8.1; Autobahn 6.4.3, 6.4.4)', () => {
  const KOSME = Buffer.from('cebae1bdb9cf83cebcceb5', 'hex'); // κόσμε
  const INVALID = Buffer.concat([KOSME, Buffer.from('f4908080', 'hex'), Buffer.from('edited')]); // F4 90: above U+10FFFF, bad at byte 12

  /** Push `chunks` one at a time; the events seen after each push. */
  function eventsAfterEach(chunks: Buffer[], options: ParserOptions = DEFAULTS): { after: Event[][]; parser: FrameParser } {
    const sink = new Recorder();
    const parser = new FrameParser(sink, options);
    const after = chunks.map((chunk) => {
      parser.push(Buffer.from(chunk));
      return [...sink.events];
    });
    return { after, parser };
  }

  /** One frame written in 3 pieces, cut at payload offsets `a` and `b` (Autobahn's chops). */
  const chops = (frame: Buffer, payloadLength: number, a: number, b: number): Buffer[] => {
    const header = frame.length - payloadLength;
    return cut(frame, [header + a, header + b]);
  };

  it('fails with 1007 right after the 2nd of 3 chunks, before the rest of the frame', () => {
    for (const [a, b] of [[11, 15], [12, 13]] as const) {
      const { after, parser } = eventsAfterEach(chops(clientFrame(Opcode.Text, INVALID), INVALID.length, a, b));
      expect(after, `chops at ${a}, ${b}`).toEqual([[], [error('ERR_INVALID_UTF8', 1007)], [error('ERR_INVALID_UTF8', 1007)]]);
      expect(parser.finished).toBe(true);
      expect(parser.bufferedBytes).toBe(0);
    }
  });

  it('the same inside a continuation frame, with control frames before it', () => {
    const payload = Buffer.concat([Buffer.from('x'.repeat(200)), INVALID]); // 16-bit length, word-wise unmasking
    const first = cat(clientFrame(Opcode.Text, 'é', { fin: false }), clientFrame(Opcode.Ping, 'p'));
    const frame = clientFrame(Opcode.Continuation, payload);
    const [c1, c2, c3] = chops(frame, payload.length, 100, 213) as [Buffer, Buffer, Buffer];
    const { after } = eventsAfterEach([cat(first, c1), c2, c3]);
    expect(after).toEqual([[ping('p')], [ping('p'), error('ERR_INVALID_UTF8', 1007)], [ping('p'), error('ERR_INVALID_UTF8', 1007)]]);
  });

  it('a bad byte in the first chunk fails before the frame is complete, even with the header split', () => {
    const frame = clientFrame(Opcode.Text, Buffer.from([0x61, 0xff, 0x62, 0x63]));
    for (let i = 0; i <= 7; i++) {
      const { after } = eventsAfterEach(cut(frame, [i, 8]));
      expect(after[1], `split at ${i}`).toEqual([error('ERR_INVALID_UTF8', 1007)]);
    }
  });

  it('a code point left open at the end of the frame fails only when the frame is complete', () => {
    const frame = clientFrame(Opcode.Text, Buffer.from('ok€').subarray(0, 4)); // ok + E2 82
    const { after } = eventsAfterEach(cut(frame, [frame.length - 1]));
    expect(after).toEqual([[], [error('ERR_INVALID_UTF8', 1007)]]);
  });

  it('valid multi-byte text split at every byte across chunks is delivered unchanged', () => {
    const sample = Buffer.from('aé€𝄞'.repeat(30) + 'ü'); // 1-4 byte code points, 16-bit length
    expectEverywhere(clientFrame(Opcode.Text, sample), [text(sample)]);
    const frames = cat(
      clientFrame(Opcode.Text, sample.subarray(0, 101), { fin: false }),
      clientFrame(Opcode.Ping, 'p'),
      clientFrame(Opcode.Continuation, sample.subarray(101)),
    );
    expectEverywhere(frames, [ping('p'), text(sample)]);
    // Every 3-way split of a shorter frame: the first two cuts inside the payload check part of it.
    const short = clientFrame(Opcode.Text, '€𝄞é');
    for (let i = 0; i <= short.length; i++) {
      for (let j = i; j <= short.length; j++) {
        expect(parse(cut(short, [i, j])), `split at ${i}, ${j}`).toEqual([text('€𝄞é')]);
      }
    }
  });

  it('a message checked as it arrived is delivered whole, and a later one-chunk frame is still a view of its chunk', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, DEFAULTS);
    const frame = clientFrame(Opcode.Text, 'κόσμε');
    parser.push(frame.subarray(0, 9));
    parser.push(frame.subarray(9));
    expect(parser.bufferedBytes).toBe(0);
    const next = clientFrame(Opcode.Text, 'next');
    parser.push(next);
    expect(sink.events).toEqual([text('κόσμε'), text('next')]);
    expect(sink.data[1]!.buffer).toBe(next.buffer);
  });

  it('binary frames and compressed messages are not checked while they arrive', () => {
    const bad = Buffer.from([0x61, 0xff, 0x62]);
    const binaryFrame = clientFrame(Opcode.Binary, bad);
    expect(eventsAfterEach(cut(binaryFrame, [7])).after).toEqual([[], [binary(bad)]]);
    // Compressed: the wire bytes are not UTF-8 at all; the inflated message is validated (here invalid) once inflated.
    const compressedFrame = clientFrame(Opcode.Text, bad, { rsv1: true });
    const { after } = eventsAfterEach(cut(compressedFrame, [7]), { maxMessageSize: 100, inflater: new FakeInflater('sync') });
    expect(after).toEqual([[], [error('ERR_INVALID_UTF8', 1007)]]);
  });
});

describe('size limits -> 1009', () => {
  const small: ParserOptions = { maxMessageSize: 200 };

  it('a 16-bit length over the limit fails as soon as the header is read', () => {
    const frame = clientFrame(Opcode.Binary, bytesOf(201));
    const sink = new Recorder();
    const parser = new FrameParser(sink, small);
    parser.push(Buffer.from(frame.subarray(0, 4)));
    expect(sink.events).toEqual([error('ERR_MESSAGE_TOO_BIG', 1009)]);
    expect(parser.finished).toBe(true);
    expect(parser.bufferedBytes).toBe(0);
    expectEverywhere(frame, [error('ERR_MESSAGE_TOO_BIG', 1009)], small);
    expectEverywhere(clientFrame(Opcode.Binary, bytesOf(200)), [binary(bytesOf(200))], small);
  });

  it('a 64-bit length above 2^53 - 1', () => {
    const header = Buffer.from([0x82, 0xff, 0x00, 0x20, 0, 0, 0, 0, 0, 0]); // 2^53
    expectEverywhere(header, [error('ERR_FRAME_TOO_BIG', 1009)]);
    const top = Buffer.from([0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expectEverywhere(top, [error('ERR_FRAME_TOO_BIG', 1009)]);
  });

  it('a 64-bit length over the limit, with no payload sent', () => {
    const header = Buffer.from([0x82, 0xff, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]); // 2^53 - 1
    expectEverywhere(header, [error('ERR_MESSAGE_TOO_BIG', 1009)]);
    const big = Buffer.from([0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0]); // 2^32
    expectEverywhere(big, [error('ERR_MESSAGE_TOO_BIG', 1009)], { maxMessageSize: 2 ** 32 - 1 });
  });

  it('a reassembled message over the limit fails at the header of the fragment that crosses it', () => {
    const frames = cat(
      clientFrame(Opcode.Text, 'x'.repeat(150), { fin: false }),
      clientFrame(Opcode.Continuation, 'y'.repeat(51)).subarray(0, 4), // header only
    );
    expectEverywhere(frames, [error('ERR_MESSAGE_TOO_BIG', 1009)], small);
  });

  it('control frames do not count towards the message limit', () => {
    const frames = cat(
      clientFrame(Opcode.Text, 'abc', { fin: false }),
      clientFrame(Opcode.Ping, bytesOf(100)),
      clientFrame(Opcode.Continuation, 'de'),
    );
    expectEverywhere(frames, [ping(bytesOf(100)), text('abcde')], { maxMessageSize: 5 });
  });
});

describe('close frames (§5.5.1, §7.4)', () => {
  const closeWith = (payload: Buffer): Buffer => clientFrame(Opcode.Close, payload);
  const codeBytes = (code: number, reason = ''): Buffer =>
    Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);

  it('an empty close reports 1005', () => {
    expectEverywhere(closeWith(Buffer.alloc(0)), [close(1005, '')]);
  });

  it('a 1-byte payload -> 1002', () => {
    expectEverywhere(closeWith(Buffer.from([0x03])), [error('ERR_INVALID_CLOSE_PAYLOAD', 1002)]);
  });

  it('codes that may not be on the wire -> 1002', () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]) {
      expect(parse([closeWith(codeBytes(code))]), `code ${code}`).toEqual([error('ERR_INVALID_CLOSE_CODE', 1002)]);
    }
  });

  it('valid codes are reported with their reason', () => {
    for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 4000, 4999]) {
      expect(parse([closeWith(codeBytes(code, 'bye ✓'))]), `code ${code}`).toEqual([close(code, 'bye ✓')]);
    }
    expectEverywhere(closeWith(codeBytes(1000, 'done')), [close(1000, 'done')]);
  });

  it('a reason that is not UTF-8 -> 1007', () => {
    const payload = Buffer.concat([codeBytes(1000), Buffer.from([0xce, 0xba, 0xed, 0xa0, 0x80])]);
    expectEverywhere(closeWith(payload), [error('ERR_INVALID_CLOSE_REASON', 1007)]);
  });

  it('finishes the parser: later frames, in the same chunk or later, are ignored', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, DEFAULTS);
    parser.push(cat(clientFrame(Opcode.Text, 'a'), closeWith(codeBytes(1000)), clientFrame(Opcode.Text, 'b')));
    parser.push(clientFrame(Opcode.Text, 'c'));
    expect(sink.events).toEqual([text('a'), close(1000)]);
    expect(parser.finished).toBe(true);
    expect(parser.bufferedBytes).toBe(0);
  });
});

describe('delivery', () => {
  it('control frames between fragments are delivered at once (§5.4)', () => {
    const frames = cat(
      clientFrame(Opcode.Text, 'frag', { fin: false }),
      clientFrame(Opcode.Ping, 'p1'),
      clientFrame(Opcode.Continuation, 'men', { fin: false }),
      clientFrame(Opcode.Pong, 'p2'),
      clientFrame(Opcode.Continuation, 'ted'),
    );
    expectEverywhere(frames, [ping('p1'), pong('p2'), text('fragmented')]);
  });

  it('a close between fragments ends the parser without the message', () => {
    const frames = cat(clientFrame(Opcode.Binary, 'ab', { fin: false }), clientFrame(Opcode.Close, Buffer.from([3, 232])));
    expectEverywhere(frames, [close(1000)]);
  });

  it('many frames in one chunk, in order', () => {
    const frames = cat(
      clientFrame(Opcode.Text, 'one'),
      clientFrame(Opcode.Binary, bytesOf(130)),
      clientFrame(Opcode.Ping, ''),
      clientFrame(Opcode.Pong, 'x'),
      clientFrame(Opcode.Text, 'two'),
    );
    expectEverywhere(frames, [text('one'), binary(bytesOf(130)), ping(), pong('x'), text('two')]);
  });

  it('a single-frame message in one chunk is a view of that chunk (zero-copy)', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, DEFAULTS);
    const chunk = cat(clientFrame(Opcode.Text, 'Hello'), clientFrame(Opcode.Binary, bytesOf(1000)));
    parser.push(chunk);
    const [hello, big] = sink.data as [Buffer, Buffer];
    expect(hello.buffer).toBe(chunk.buffer);
    expect(hello.byteOffset).toBe(chunk.byteOffset + 6);
    expect(big.buffer).toBe(chunk.buffer);
    expect(big.byteOffset).toBe(chunk.byteOffset + 11 + 8);
    expect(big).toEqual(bytesOf(1000));
  });

  it('reports bytes held for an incomplete frame or message', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, DEFAULTS);
    const first = clientFrame(Opcode.Text, 'abc', { fin: false });
    const last = clientFrame(Opcode.Continuation, 'de');
    parser.push(Buffer.from(first));
    expect(parser.bufferedBytes).toBe(3);
    parser.push(last.subarray(0, 4));
    expect(parser.bufferedBytes).toBe(5); // the 2 header bytes are parsed, 2 of the mask wait
    parser.push(last.subarray(4));
    expect(sink.events).toEqual([text('abcde')]);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('a big frame arriving one byte per chunk costs linear time, not quadratic', () => {
    const payload = bytesOf(1 << 19);
    const frame = clientFrame(Opcode.Binary, payload);
    const sink = new Recorder();
    const parser = new FrameParser(sink, DEFAULTS);
    const started = performance.now();
    for (let i = 0; i < frame.length; i++) parser.push(frame.subarray(i, i + 1));
    expect(performance.now() - started).toBeLessThan(3000); // ~100 ms; shift() per chunk took ~15 s
    expect(sink.data[0]!.equals(payload)).toBe(true);
  });

  it('stop() ends parsing for good, even from inside a sink callback', () => {
    class Stopper extends Recorder {
      parser: FrameParser | null = null;
      override onMessage(data: Buffer, isBinary: boolean): void {
        super.onMessage(data, isBinary);
        this.parser?.stop();
      }
    }
    const sink = new Stopper();
    const parser = new FrameParser(sink, DEFAULTS);
    sink.parser = parser;
    parser.push(cat(clientFrame(Opcode.Text, 'a'), clientFrame(Opcode.Text, 'b')));
    parser.push(clientFrame(Opcode.Text, 'c'));
    expect(sink.events).toEqual([text('a')]);
    expect(parser.finished).toBe(true);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('a push() from inside a sink callback is queued behind the current chunk', () => {
    const events: string[] = [];
    let pushed = false;
    const parser: FrameParser = new FrameParser(
      {
        onMessage: (data) => {
          events.push(data.toString());
          if (!pushed) {
            pushed = true;
            parser.push(clientFrame(Opcode.Text, 'c'));
            events.push('pushed');
          }
        },
        onPing: () => {},
        onPong: () => {},
        onClose: () => {},
        onError: () => {},
      },
      DEFAULTS,
    );
    parser.push(cat(clientFrame(Opcode.Text, 'a'), clientFrame(Opcode.Text, 'b')));
    expect(events).toEqual(['a', 'pushed', 'b', 'c']);
  });

  it('one error, then silence', () => {
    const sink = new Recorder();
    const parser = new FrameParser(sink, DEFAULTS);
    parser.push(cat(clientFrame(Opcode.Text, 'a'), clientFrame(3, 'x'), clientFrame(Opcode.Text, 'b')));
    parser.push(clientFrame(Opcode.Continuation, 'c', { mask: false }));
    expect(sink.events).toEqual([text('a'), error('ERR_RESERVED_OPCODE', 1002)]);
    expect(sink.errors[0]).toBeInstanceOf(ProtocolError);
    expect(parser.finished).toBe(true);
  });

  it('refuses a bad maxMessageSize (configuration, not peer input)', () => {
    expect(() => new FrameParser(new Recorder(), { maxMessageSize: Number.NaN })).toThrow(RangeError);
    expect(() => new FrameParser(new Recorder(), { maxMessageSize: -1 })).toThrow(RangeError);
  });
});

describe('unmask', () => {
  it('matches a byte loop at every length and alignment', () => {
    const mask = Buffer.from([0x12, 0x9a, 0xfe, 0x01]);
    for (let length = 0; length < 140; length++) {
      for (let offset = 0; offset < 4; offset++) {
        const backing = bytesOf(length + 8, 31);
        const data = backing.subarray(offset, offset + length);
        const expected = Buffer.from(data.map((b, i) => b ^ mask[i & 3]!));
        unmask(data, mask);
        expect(data, `length ${length} offset ${offset}`).toEqual(expected);
        expect(backing.subarray(offset + length)).toEqual(bytesOf(length + 8, 31).subarray(offset + length));
      }
    }
  });
});

// ---- permessage-deflate (RFC 7692) through a fake Inflater ------------------------------------

interface InflateCall {
  data: string;
  fin: boolean;
  limit: number;
}

/** "Inflates" with `transform` (identity by default); calls back at once or when flushed. */
class FakeInflater implements Inflater {
  calls: InflateCall[] = [];
  private pending: Array<() => void> = [];
  constructor(
    private readonly mode: 'sync' | 'async',
    private readonly transform: (data: Buffer) => Buffer = (data) => Buffer.from(data),
    private readonly honourLimit = true,
  ) {}

  decompress(data: Buffer, fin: boolean, limit: number, callback: (err: ProtocolError | null, inflated?: Buffer) => void): void {
    this.calls.push({ data: data.toString(), fin, limit });
    const out = this.transform(data);
    const done = (): void => {
      if (this.honourLimit && out.length > limit) callback(new ProtocolError('ERR_MESSAGE_TOO_BIG', 'too big'));
      else callback(null, out);
    };
    if (this.mode === 'sync') done();
    else this.pending.push(done);
  }

  /** Complete the oldest pending call; false if none. */
  step(): boolean {
    const next = this.pending.shift();
    next?.();
    return next !== undefined;
  }

  flush(): void {
    while (this.step());
  }
}

function compressed(opcode: number, payload: string | Buffer, fin = true): Buffer {
  return clientFrame(opcode, payload, { rsv1: opcode !== Opcode.Continuation, fin });
}

describe('compressed messages (RFC 7692) with a fake inflater', () => {
  it('inflates a single-frame message (sync callback)', () => {
    const inflater = new FakeInflater('sync');
    const frames = cat(compressed(Opcode.Text, 'Hello'), compressed(Opcode.Binary, 'bin'));
    expectEverywhere(frames, [text('Hello'), binary(Buffer.from('bin'))], { maxMessageSize: 100, inflater });
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 100, inflater: (inflater.calls = [], inflater) });
    parser.push(frames);
    expect(inflater.calls).toEqual([
      { data: 'Hello', fin: true, limit: 100 },
      { data: 'bin', fin: true, limit: 100 },
    ]);
  });

  it('inflates each frame of a fragmented message, passing the remaining limit', () => {
    const inflater = new FakeInflater('sync');
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 100, inflater });
    parser.push(cat(compressed(Opcode.Text, 'Hel', false), compressed(Opcode.Continuation, '', false), compressed(Opcode.Continuation, 'lo')));
    expect(inflater.calls).toEqual([
      { data: 'Hel', fin: false, limit: 100 },
      { data: '', fin: false, limit: 97 },
      { data: 'lo', fin: true, limit: 97 },
    ]);
    expect(sink.events).toEqual([text('Hello')]);
  });

  it('pauses while an inflate is pending and resumes by itself, in order (async callback)', () => {
    const inflater = new FakeInflater('async');
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 100, inflater });
    parser.push(cat(compressed(Opcode.Text, 'A'), clientFrame(Opcode.Ping, 'p'), clientFrame(Opcode.Text, 'B'), compressed(Opcode.Text, 'C')));
    expect(sink.events).toEqual([]);
    expect(parser.bufferedBytes).toBeGreaterThan(0);
    parser.push(clientFrame(Opcode.Text, 'D')); // queued behind the pending inflate
    expect(sink.events).toEqual([]);
    expect(inflater.step()).toBe(true);
    expect(sink.events).toEqual([text('A'), ping('p'), text('B')]);
    expect(inflater.step()).toBe(true);
    expect(sink.events).toEqual([text('A'), ping('p'), text('B'), text('C'), text('D')]);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('gives the same events whatever the chunking and callback timing', () => {
    const frames = cat(
      compressed(Opcode.Text, 'x€', false),
      clientFrame(Opcode.Ping, 'p'),
      compressed(Opcode.Continuation, 'y'),
      clientFrame(Opcode.Binary, 'plain'),
      compressed(Opcode.Binary, 'z'),
    );
    const expected = [ping('p'), text('x€y'), binary(Buffer.from('plain')), binary(Buffer.from('z'))];
    for (let i = 0; i <= frames.length; i++) {
      for (const flushBetween of [false, true]) {
        const inflater = new FakeInflater('async');
        const sink = new Recorder();
        const parser = new FrameParser(sink, { maxMessageSize: 100, inflater });
        const [a, b] = cut(Buffer.from(frames), [i]) as [Buffer, Buffer];
        parser.push(a);
        if (flushBetween) inflater.flush();
        parser.push(b);
        inflater.flush();
        expect(sink.events, `split ${i}, flush ${flushBetween}`).toEqual(expected);
      }
    }
  });

  it('passes inflater errors on and stops', () => {
    const failing: Inflater = {
      decompress: (_data, _fin, _limit, callback) => callback(new ProtocolError('ERR_INVALID_COMPRESSED_DATA', 'corrupt')),
    };
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 100, inflater: failing });
    parser.push(cat(compressed(Opcode.Text, 'zz'), clientFrame(Opcode.Text, 'after')));
    expect(sink.events).toEqual([error('ERR_INVALID_COMPRESSED_DATA', 1007)]);
    expect(sink.errors[0]!.message).toBe('corrupt');
    expect(parser.finished).toBe(true);
  });

  it('an inflated message over the limit -> 1009 from the inflater, with the limit we passed', () => {
    const tenfold = (data: Buffer): Buffer => Buffer.concat(Array.from({ length: 10 }, () => data));
    const inflater = new FakeInflater('sync', tenfold);
    const frames = cat(compressed(Opcode.Binary, 'ab', false), compressed(Opcode.Continuation, 'c'));
    expect(parse([frames], { maxMessageSize: 20, inflater })).toEqual([error('ERR_MESSAGE_TOO_BIG', 1009)]);
    expect(inflater.calls.map((c) => c.limit)).toEqual([20, 0]);
  });

  it('enforces the inflated limit itself if the inflater overshoots', () => {
    const inflater = new FakeInflater('sync', (d) => Buffer.concat([d, d]), false);
    expect(parse([compressed(Opcode.Text, 'abcdef')], { maxMessageSize: 10, inflater })).toEqual([
      error('ERR_MESSAGE_TOO_BIG', 1009),
    ]);
  });

  it('bounds the compressed bytes too, before inflating', () => {
    const inflater = new FakeInflater('sync');
    const frame = compressed(Opcode.Binary, bytesOf(11));
    expectEverywhere(frame, [error('ERR_MESSAGE_TOO_BIG', 1009)], { maxMessageSize: 10, inflater });
    expect(inflater.calls).toEqual([]);
  });

  it('validates the inflated bytes of text messages, across frames', () => {
    const toBytes = (d: Buffer): Buffer => Buffer.from(d.toString(), 'hex'); // payload is hex of the "inflated" bytes
    const ok = cat(compressed(Opcode.Text, 'e282', false), compressed(Opcode.Continuation, 'ac'));
    expect(parse([ok], { maxMessageSize: 10, inflater: new FakeInflater('sync', toBytes) })).toEqual([text('€')]);
    const bad = cat(compressed(Opcode.Text, 'eda0', false), compressed(Opcode.Continuation, '80'));
    expect(parse([bad], { maxMessageSize: 10, inflater: new FakeInflater('sync', toBytes) })).toEqual([
      error('ERR_INVALID_UTF8', 1007),
    ]);
    const binaryOk = compressed(Opcode.Binary, 'ff');
    expect(parse([binaryOk], { maxMessageSize: 10, inflater: new FakeInflater('sync', toBytes) })).toEqual([
      binary(Buffer.from([0xff])),
    ]);
  });

  it('RSV1 only on the first frame of a data message', () => {
    const options = { maxMessageSize: 100, inflater: new FakeInflater('sync') };
    const onContinuation = cat(
      compressed(Opcode.Text, 'a', false),
      clientFrame(Opcode.Continuation, 'b', { rsv1: true }),
    );
    expectEverywhere(onContinuation, [error('ERR_UNEXPECTED_RSV1', 1002)], options);
    const onPlainContinuation = cat(clientFrame(Opcode.Text, 'a', { fin: false }), clientFrame(Opcode.Continuation, 'b', { rsv1: true }));
    expectEverywhere(onPlainContinuation, [error('ERR_UNEXPECTED_RSV1', 1002)], options);
    for (const opcode of [Opcode.Ping, Opcode.Pong, Opcode.Close]) {
      expectEverywhere(clientFrame(opcode, '', { rsv1: true }), [error('ERR_UNEXPECTED_RSV1', 1002)], options);
    }
  });

  it('an uncompressed message is not inflated and stays zero-copy', () => {
    const inflater = new FakeInflater('sync');
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 100, inflater });
    const chunk = clientFrame(Opcode.Text, 'plain');
    parser.push(chunk);
    expect(sink.events).toEqual([text('plain')]);
    expect(sink.data[0]!.buffer).toBe(chunk.buffer);
    expect(inflater.calls).toEqual([]);
  });

  it('stop() while an inflate is pending: its callback delivers nothing', () => {
    const inflater = new FakeInflater('async');
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 100, inflater });
    parser.push(cat(compressed(Opcode.Text, 'A'), clientFrame(Opcode.Text, 'B')));
    parser.stop();
    inflater.flush();
    parser.push(clientFrame(Opcode.Text, 'C'));
    expect(sink.events).toEqual([]);
    expect(parser.finished).toBe(true);
  });

  it('ignores a stale second callback, even while the next frame is inflating', () => {
    const callbacks: Array<(err: ProtocolError | null, out?: Buffer) => void> = [];
    const inflater: Inflater = { decompress: (_data, _fin, _limit, callback) => void callbacks.push(callback) };
    const sink = new Recorder();
    const parser = new FrameParser(sink, { maxMessageSize: 100, inflater });
    parser.push(cat(compressed(Opcode.Text, 'a', false), compressed(Opcode.Continuation, 'b')));
    callbacks[0]!(null, Buffer.from('one'));
    expect(callbacks).toHaveLength(2); // the second frame is now inflating
    callbacks[0]!(null, Buffer.from('junk'));
    callbacks[1]!(null, Buffer.from('two'));
    callbacks[1]!(null, Buffer.from('again'));
    expect(sink.events).toEqual([text('onetwo')]);
  });
});

// ---- properties -----------------------------------------------------------------------------

/**
 * Index of the first byte after which `bytes` can no longer be the start of valid UTF-8, or
 * -1. Oracle written from RFC 3629: every open sequence can be completed with bytes from
 * {80, 90, A0} (they meet the second-byte ranges of E0, ED, F0 and F4), so a prefix is valid
 * if isUtf8 accepts it with some 0-3 of those appended.
 */
function firstBadByte(bytes: Buffer): number {
  const fill = [0x80, 0x90, 0xa0];
  const completions: number[][] = [[], ...fill.map((a) => [a]), ...fill.flatMap((a) => fill.map((b) => [a, b])), ...fill.flatMap((a) => fill.flatMap((b) => fill.map((c) => [a, b, c])))];
  const validPrefix = (n: number): boolean => completions.some((tail) => isUtf8(Buffer.concat([bytes.subarray(0, n), Buffer.from(tail)])));
  for (let n = 1; n <= bytes.length; n++) if (!validPrefix(n)) return n - 1;
  return -1;
}

const splitPoints = fc.array(fc.nat(), { maxLength: 8 });

describe('properties', () => {
  it('arbitrary bytes at arbitrary splits: no throw, at most one error, nothing after it, same events as whole', () => {
    const frameLike = fc
      .record({
        opcode: fc.integer({ min: 0, max: 15 }),
        payload: fc.uint8Array({ maxLength: 140 }),
        fin: fc.boolean(),
        rsv1: fc.boolean(),
        rsv2: fc.boolean(),
        mask: fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }).map((m) => Buffer.from(m)), fc.constant(false as const)),
        lengthBytes: fc.constantFrom('auto' as const, 2 as const, 8 as const),
      })
      .map(({ payload, rsv2, ...opts }) =>
        clientFrame(opts.opcode, Buffer.from(payload), { ...opts, rsv2: rsv2 && opts.rsv1 }), // rsv2 rarely
      );
    const piece = fc.oneof(
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) },
      { weight: 4, arbitrary: frameLike },
    );
    const input = fc.record({
      pieces: fc.array(piece, { maxLength: 8 }),
      splits: splitPoints,
      maxMessageSize: fc.oneof(fc.constant(1 << 20), fc.nat(300)),
      deflate: fc.boolean(),
    });
    fc.assert(
      fc.property(input, ({ pieces, splits, maxMessageSize, deflate }) => {
        const bytes = Buffer.concat(pieces);
        const options = (): ParserOptions => ({ maxMessageSize, inflater: deflate ? new FakeInflater('sync') : null });
        const whole = parse([bytes], options());
        const split = parse(cut(bytes, splits.map((s) => s % (bytes.length + 1))), options());
        expect(split).toEqual(whole);
        const last = whole.findIndex((e) => e[0] === 'error' || e[0] === 'close');
        expect(last === -1 || last === whole.length - 1).toBe(true);
        expect(whole.filter((e) => e[0] === 'error').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1500 },
    );
  });

  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), splitPoints, (bytes, splits) => {
        const buf = Buffer.from(bytes);
        const events = parse(cut(buf, splits.map((s) => s % (buf.length + 1))));
        expect(events.filter((e) => e[0] === 'error' || e[0] === 'close').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });

  it('text messages, valid or not, at random chunkings: the same outcome as whole, failing on the chunk with the first bad byte', () => {
    const troublesome = fc.constantFrom(...['80', 'bf', 'c0', 'c1af', 'eda080', 'f4908080', 'f5', 'ff', 'e282', 'f09f98'].map((h) => Buffer.from(h, 'hex')));
    const validText = fc.string({ unit: 'binary', maxLength: 70 }).map((s) => Buffer.from(s, 'utf8'));
    const textPayload = fc.oneof(
      validText,
      fc.tuple(validText, troublesome, validText).map((parts) => Buffer.concat(parts)),
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
    );
    const item = fc.record({
      binary: fc.boolean(),
      payload: fc.oneof(textPayload, fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a))),
      cuts: fc.array(fc.nat(), { maxLength: 3 }),
      ping: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), splitPoints, (items, splits) => {
        const frames: Buffer[] = [];
        let at = 0; // stream offset of the next frame
        const add = (frame: Buffer): number => {
          frames.push(frame);
          at += frame.length;
          return at - frame.length;
        };
        const expected: Event[] = [];
        let failAt = -1; // stream offset of the byte whose arrival makes the stream invalid
        let failFrameEnd = -1; // end of the frame holding it: where a frame-at-a-time parser fails
        for (const { binary: isBinary, payload, cuts, ping: withPing } of items) {
          const fragments = cut(payload, cuts.map((c) => c % (payload.length + 1)));
          const bad = isBinary ? -1 : firstBadByte(payload);
          let index = 0; // message byte index of the fragment's first byte
          fragments.forEach((fragment, i) => {
            const last = i === fragments.length - 1;
            const opcode = i > 0 ? Opcode.Continuation : isBinary ? Opcode.Binary : Opcode.Text;
            const frame = clientFrame(opcode, fragment, { fin: last });
            const start = add(frame);
            const payloadStart = start + frame.length - fragment.length;
            if (failAt === -1 && bad !== -1 && bad < index + fragment.length) failAt = payloadStart + bad - index;
            // Valid prefix but an open code point at the end: detected on the last byte of the message.
            if (failAt === -1 && last && !isBinary && !isUtf8(payload)) failAt = start + frame.length - 1;
            if (failAt !== -1 && failFrameEnd === -1) failFrameEnd = start + frame.length;
            index += fragment.length;
            if (withPing && !last && failAt === -1) {
              add(clientFrame(Opcode.Ping, 'p'));
              expected.push(ping('p'));
            }
          });
          if (failAt !== -1) break;
          expected.push(isBinary ? binary(payload) : text(payload));
        }
        if (failAt !== -1) expected.push(error('ERR_INVALID_UTF8', 1007));
        const bytes = Buffer.concat(frames);
        const chunks = cut(bytes, splits.map((s) => s % (bytes.length + 1)));

        expect(parse([bytes])).toEqual(expected);
        const sink = new Recorder();
        const parser = new FrameParser(sink, DEFAULTS);
        let end = 0;
        for (const chunk of chunks) {
          parser.push(Buffer.from(chunk));
          end += chunk.length;
          const failed = sink.events.at(-1)?.[0] === 'error';
          // Strict: failed exactly once the bad byte is in; never later than the end of its frame.
          expect(failed, `after ${end} of ${bytes.length} bytes`).toBe(failAt !== -1 && end > failAt);
          if (failFrameEnd !== -1 && end >= failFrameEnd) expect(failed).toBe(true);
        }
        expect(sink.events).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('valid client frames, fragmented and re-split at random, give back the original messages in order', () => {
    const payloadOf = {
      text: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s, 'utf8')),
      binary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      ping: fc.uint8Array({ maxLength: 125 }).map((a) => Buffer.from(a)),
    };
    const item = fc.oneof(
      fc.record({ kind: fc.constant('text' as const), payload: payloadOf.text, cuts: fc.array(fc.nat(), { maxLength: 4 }), pings: fc.array(payloadOf.ping, { maxLength: 2 }) }),
      fc.record({ kind: fc.constant('binary' as const), payload: payloadOf.binary, cuts: fc.array(fc.nat(), { maxLength: 4 }), pings: fc.array(payloadOf.ping, { maxLength: 2 }) }),
      fc.record({ kind: fc.constant('ping' as const), payload: payloadOf.ping, cuts: fc.constant([]), pings: fc.constant([]) }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), splitPoints, (items, splits) => {
        const frames: Buffer[] = [];
        const expected: Event[] = [];
        for (const { kind, payload, cuts, pings } of items) {
          if (kind === 'ping') {
            frames.push(clientFrame(Opcode.Ping, payload));
            expected.push(ping(payload));
            continue;
          }
          // Fragments may cut code points in half; pings go between fragments.
          const fragments = cut(payload, cuts.map((c) => c % (payload.length + 1)));
          fragments.forEach((fragment, i) => {
            const opcode = i > 0 ? Opcode.Continuation : kind === 'text' ? Opcode.Text : Opcode.Binary;
            frames.push(clientFrame(opcode, fragment, { fin: i === fragments.length - 1 }));
            const interleaved = i < fragments.length - 1 ? pings[i] : undefined;
            if (interleaved) {
              frames.push(clientFrame(Opcode.Ping, interleaved));
              expected.push(ping(interleaved));
            }
          });
          expected.push(kind === 'text' ? text(payload) : binary(payload));
        }
        const bytes = Buffer.concat(frames);
        expect(parse(cut(bytes, splits.map((s) => s % (bytes.length + 1))))).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
