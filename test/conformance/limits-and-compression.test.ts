import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import echoApp from '../../src/worker/default-app.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';
import { type Running } from '../helpers/server.ts';
import { startTarget, TRANSPORTS, type Target } from '../helpers/transport.ts';
import {
  assertCase,
  awaitEvents,
  binary,
  checkpoint,
  CLEAN_CLOSE,
  failsWith,
  frame,
  message,
  OP,
  raw,
  runCase,
  splitFrame,
  summarize,
  text,
  timeout,
  type CaseEvent,
  type CaseResult,
  type CaseSpec,
  type Step,
} from './runner.ts';

/**
 * Autobahn|Testsuite 9.* (limits/performance), scaled down to run in seconds, plus our
 * packageMaxLength limit (RFC 6455 §10.4: close 1009), and 12.x and 13.x (permessage-deflate,
 * RFC 7692) after crossbario/autobahn-testsuite `case/case9_*.py` and `case12_x_x.py`:
 * the same offers, message sizes and auto-fragmentation, fewer messages per case.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

function patterned(size: number, isText: boolean): Buffer {
  const b = Buffer.alloc(size);
  const pattern = 'BAsd7&jh23';
  for (let i = 0; i < size; i++) b[i] = isText ? pattern.charCodeAt(i % 10) : (i * 7 + (i >> 8)) & 0xff;
  return b;
}
const eventOf = (isText: boolean, data: Buffer): CaseEvent => (isText ? text(data) : binary(data));

// --- 9.*: big messages, many fragments, small writes, many messages ---

function limitsCases(): CaseSpec[] {
  const cases: CaseSpec[] = [];
  const slow = { closeAfterMs: 10_000, timeoutMs: 4_000 };
  for (const [g, isText] of [[1, true], [2, false]] as const) {
    const op = isText ? OP.TEXT : OP.BINARY;
    const kind = isText ? 'text' : 'binary';
    // 9.1/9.2: one frame (Autobahn goes on to 4, 8 and 16 MiB, beyond our 2 MiB default limit).
    [64 * KiB, 256 * KiB, MiB].forEach((size, i) => {
      const p = patterned(size, isText);
      cases.push({ id: `9.${g}.${i + 1}`, description: `${kind} message of ${size} bytes in one frame`, steps: [frame(op, p)], expected: { OK: [eventOf(isText, p)] }, close: CLEAN_CLOSE, ...slow });
    });
    // 9.3/9.4: a 1 MiB message (Autobahn: 4 MiB) in frames of 64 B ... 1 MiB.
    [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB].forEach((fragmentSize, i) => {
      const p = patterned(MiB, isText);
      cases.push({
        id: `9.${g + 2}.${i + 1}`,
        description: `${kind} message of 1 MiB in frames of ${fragmentSize} bytes`,
        steps: [message(op, p, { fragmentSize })],
        expected: { OK: [eventOf(isText, p)] },
        close: CLEAN_CLOSE,
        ...slow,
      });
    });
    // 9.5/9.6: a 1 MiB message in one frame, written in chops of 64 B ... 2 KiB.
    [64, 128, 256, 512, KiB, 2 * KiB].forEach((chop, i) => {
      const p = patterned(MiB, isText);
      cases.push({ id: `9.${g + 4}.${i + 1}`, description: `${kind} message of 1 MiB written in ${chop}-byte chops`, steps: [frame(op, p, { chop })], expected: { OK: [eventOf(isText, p)] }, close: CLEAN_CLOSE, ...slow });
    });
    // 9.7/9.8: 1000 messages, each sent when the previous echo arrived.
    [0, 16, 64, 256, KiB, 4 * KiB].forEach((size, i) => {
      const p = patterned(size, isText);
      const steps: Step[] = [];
      for (let n = 0; n < 1000; n++) steps.push(message(op, p), awaitEvents(n + 1));
      cases.push({
        id: `9.${g + 6}.${i + 1}`,
        description: `1000 ${kind} messages of ${size} bytes, one at a time`,
        steps,
        expected: { OK: Array.from({ length: 1000 }, () => eventOf(isText, p)) },
        close: CLEAN_CLOSE,
        ...slow,
      });
    });
  }
  return cases;
}

/** packageMaxLength (RFC 6455 §10.4): with a 64 KiB limit, 65536 bytes pass and 65537 close with 1009. */
function packageMaxLengthCases(limit: number): CaseSpec[] {
  const at = patterned(limit, true);
  const over = patterned(limit + 1, true);
  const [overHead = Buffer.alloc(0), overBody = Buffer.alloc(0)] = splitFrame(OP.TEXT, over, [0]);
  const fragments = (p: Buffer, size: number): Step[] => {
    const steps: Step[] = [];
    for (let i = 0; i < p.length; i += size) steps.push(frame(i === 0 ? OP.TEXT : OP.CONT, p.subarray(i, i + size), { fin: i + size >= p.length }));
    return steps;
  };
  const overFragments = fragments(over, 4 * KiB); // 16 full fragments, then one of 1 byte
  const hugeLength = (length: bigint) => {
    const b = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    b.writeBigUInt64BE(length, 2);
    return b;
  };
  return [
    { id: 'L.1', description: `text of exactly packageMaxLength (${limit}) in one frame: echoed`, steps: [frame(OP.TEXT, at)], expected: { OK: [text(at)] }, close: CLEAN_CLOSE },
    { id: 'L.2', description: `text of ${limit + 1} bytes in one frame: 1009`, steps: [frame(OP.TEXT, over)], expected: { OK: [] }, close: failsWith(1009) },
    {
      id: 'L.3',
      description: `header of a ${limit + 1}-byte frame alone: 1009 before the payload (after it: NON-STRICT)`,
      steps: [raw(overHead), checkpoint('payload', 1000), raw(overBody)],
      expected: { OK: [], 'NON-STRICT': [timeout('payload')] },
      close: failsWith(1009),
    },
    { id: 'L.4', description: `text of exactly ${limit} bytes in 16 fragments: echoed`, steps: fragments(at, limit / 16), expected: { OK: [text(at)] }, close: CLEAN_CLOSE },
    {
      id: 'L.5',
      description: `text of ${limit + 1} bytes in fragments: 1009 on the fragment crossing the limit (later: NON-STRICT)`,
      steps: [...overFragments.slice(0, 16), checkpoint('A', 150), ...overFragments.slice(16), checkpoint('B', 1000), frame(OP.CONT, '')],
      expected: { OK: [timeout('A')], 'NON-STRICT': [timeout('A'), timeout('B')] },
      close: failsWith(1009),
    },
    // §5.2: "the most significant bit MUST be 0" in a 64-bit length.
    { id: 'L.6', description: '64-bit length with the most significant bit set: 1002', steps: [raw(hugeLength(1n << 63n))], expected: { OK: [] }, close: failsWith(1002, 1009) },
    { id: 'L.7', description: 'frame header announcing 2^53 bytes: 1009', steps: [raw(hugeLength(1n << 53n))], expected: { OK: [] }, close: failsWith(1009) },
  ];
}

// --- 12.*/13.*: permessage-deflate ---

/** A seeded PRNG (mulberry32): the same data on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stand-ins for Autobahn's test files: German prose (sent as binary, as Autobahn does), a greyscale bitmap, JSON (text). */
function testData(kind: 'faust' | 'bitmap' | 'json', size = 512 * KiB): Buffer {
  const rnd = prng(kind.length * 7919);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const parts: Buffer[] = [];
  let length = 0;
  if (kind === 'bitmap') {
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = ((i % 512) / 2 + (i >> 9) / 4 + rnd() * 24) & 0xff;
    return b;
  }
  const words = ['Habe', 'nun', 'ach', 'Philosophie', 'Juristerei', 'und', 'Medizin', 'leider', 'auch', 'Theologie', 'durchaus', 'studiert', 'mit', 'heißem', 'Bemühn', 'Da', 'steh', 'ich', 'armer', 'Tor', 'bin', 'so', 'klug', 'als', 'wie', 'zuvor'];
  while (length < size) {
    const chunk =
      kind === 'faust'
        ? `${Array.from({ length: 4 + Math.floor(rnd() * 8) }, () => pick(words)).join(' ')}${pick(['.', ',', '!', ';'])}\n`
        : `{"id":${Math.floor(rnd() * 1e6)},"name":"${pick(words).toLowerCase()}-${Math.floor(rnd() * 1000)}","active":${rnd() > 0.5},"score":${rnd().toFixed(4)},"tags":["${pick(words)}","${pick(words)}"]},\n`;
    const b = Buffer.from(kind === 'json' ? chunk.normalize('NFD').replace(/[^\x20-\x7e\n]/g, '') : chunk);
    parts.push(b);
    length += b.length;
  }
  return Buffer.concat(parts).subarray(0, size);
}

const DATA = { faust: testData('faust'), bitmap: testData('bitmap'), json: testData('json') };
const IS_TEXT = { faust: false, bitmap: false, json: true };

/** Autobahn's MSG_SIZES as (payload length, auto-fragment size); fewer messages per case than its 1000. */
const MSG_SIZES: Array<[number, number]> = [
  [16, 0], [64, 0], [256, 0], [1024, 0], [4096, 0], [8192, 0], [16384, 0], [32768, 0], [65536, 0], [131072, 0],
  [8192, 256], [16384, 256], [32768, 256], [65536, 256], [131072, 256], [131072, 1024], [131072, 4096], [131072, 32768],
];
const countFor = (size: number) => (size <= 4096 ? 40 : size <= 32768 ? 12 : 4);

/** Consecutive slices of the data set (wrapping), each sent once the previous echo arrived (case12_x_x.py sendOne). */
function compressedEcho(id: string, description: string, kind: keyof typeof DATA, size: number, fragmentSize: number, offer: string): CaseSpec {
  const data = DATA[kind];
  const count = countFor(size);
  const steps: Step[] = [];
  const expected: CaseEvent[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    const end = (at + size) % data.length;
    const msg = end > at ? data.subarray(at, end) : Buffer.concat([data.subarray(at), data.subarray(0, end)]);
    at = end;
    steps.push(message(IS_TEXT[kind] ? OP.TEXT : OP.BINARY, msg, { compress: true, fragmentSize }), awaitEvents(n + 1));
    expected.push(eventOf(IS_TEXT[kind], msg));
  }
  return { id, description: `${description}: ${count} messages of ${size} bytes${fragmentSize ? `, auto-fragmented to ${fragmentSize}` : ''}`, steps, expected: { OK: expected }, close: CLEAN_CLOSE, offer, closeAfterMs: 10_000 };
}

/** Autobahn's default client offer (PerMessageDeflateOffer()): accepts both client parameters. */
const DEFAULT_OFFER = 'permessage-deflate; client_no_context_takeover; client_max_window_bits';
const offerOf = (serverNoContextTakeover: boolean, serverMaxWindowBits: number) =>
  `${DEFAULT_OFFER}${serverNoContextTakeover ? '; server_no_context_takeover' : ''}${serverMaxWindowBits ? `; server_max_window_bits=${serverMaxWindowBits}` : ''}`;

/** 13.1-13.7: Autobahn's DEFLATE_PARAMS client offers; 13.3w/13.5w/13.7w use 9 bits where Autobahn uses 8; 13.8-13.11 are ours (client context takeover, client windows). */
const OFFERS_13: Array<[string, string]> = [
  ['13.1', offerOf(false, 0)],
  ['13.2', offerOf(true, 0)],
  ['13.3', offerOf(false, 8)],
  ['13.4', offerOf(false, 15)],
  ['13.5', offerOf(true, 8)],
  ['13.6', offerOf(true, 15)],
  ['13.7', [offerOf(true, 8), offerOf(true, 0), offerOf(false, 0)].join(', ')],
  ['13.3w', offerOf(false, 9)],
  ['13.5w', offerOf(true, 9)],
  ['13.7w', [offerOf(true, 9), offerOf(true, 0), offerOf(false, 0)].join(', ')],
  ['13.8', 'permessage-deflate'],
  ['13.9', 'permessage-deflate; client_max_window_bits=9'],
  ['13.10', 'permessage-deflate; client_max_window_bits=15; server_max_window_bits=9'],
  ['13.11', 'permessage-deflate; client_max_window_bits=9; server_max_window_bits=9; server_no_context_takeover'],
];
const SIZES_13: Array<[number, number]> = [[16, 0], [256, 0], [4096, 0], [32768, 0], [131072, 0], [131072, 4096]];

const dataFrames = (r: CaseResult) => r.received.filter((s) => /^(text|binary)/.test(s));

function compressionCases(): { c12: CaseSpec[]; c13: CaseSpec[] } {
  const c12: CaseSpec[] = [];
  (['faust', 'bitmap', 'json'] as const).forEach((kind, j) => {
    MSG_SIZES.forEach(([size, frag], i) => c12.push(compressedEcho(`12.${j + 1}.${i + 1}`, `${kind} (${IS_TEXT[kind] ? 'text' : 'binary'}), default offer`, kind, size, frag, DEFAULT_OFFER)));
  });
  const c13: CaseSpec[] = [];
  for (const [group, offer] of OFFERS_13) {
    SIZES_13.forEach(([size, frag], i) => c13.push(compressedEcho(`${group}.${i + 1}`, `json, offer "${offer}"`, 'json', size, frag, offer)));
  }
  return { c12, c13 };
}

const COMPRESSION = compressionCases();

/** Compressed client messages built by hand for the failure cases (no context: the first message of a connection). */
const deflate = (data: Buffer) => {
  const out = zlib.deflateRawSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
};

function bombCases(limit: number): CaseSpec[] {
  const bomb = deflate(Buffer.alloc(16 * MiB));
  const atLimit = Buffer.alloc(limit, 'a');
  const overLimit = deflate(Buffer.alloc(limit + 1, 'a'));
  const inFrames = (payload: Buffer, size: number): Step[] => {
    const steps: Step[] = [];
    for (let i = 0; i < payload.length; i += size) steps.push(frame(i === 0 ? OP.BINARY : OP.CONT, payload.subarray(i, i + size), { fin: i + size >= payload.length, rsv: i === 0 ? 4 : 0 }));
    return steps;
  };
  const offer = 'permessage-deflate';
  return [
    { id: 'B.1', description: `decompression bomb: ${bomb.length} bytes inflating to 16 MiB, one frame: 1009`, steps: [frame(OP.BINARY, bomb, { rsv: 4 })], expected: { OK: [] }, close: failsWith(1009), offer },
    { id: 'B.2', description: 'same bomb in 1 KiB frames: 1009', steps: inFrames(bomb, KiB), expected: { OK: [] }, close: failsWith(1009), offer },
    { id: 'B.3', description: `compressed message inflating to exactly packageMaxLength (${limit}): echoed`, steps: [message(OP.TEXT, atLimit, { compress: true })], expected: { OK: [text(atLimit)] }, close: CLEAN_CLOSE, offer },
    { id: 'B.4', description: `compressed message inflating to ${limit + 1} bytes: 1009`, steps: [frame(OP.TEXT, overLimit, { rsv: 4 })], expected: { OK: [] }, close: failsWith(1009), offer },
    // RFC 7692 §7.2.2 leaves the code open; 1007 (data not consistent with the message) is the usual one.
    { id: 'B.5', description: 'compressed frame that is not deflate data: 1007', steps: [frame(OP.TEXT, Buffer.from('ffffffffffffffff', 'hex'), { rsv: 4 })], expected: { OK: [] }, close: failsWith(1007, 1002), offer },
    // RFC 7692 §6.1: RSV1 only on the first frame of a data message.
    {
      id: 'B.6',
      description: 'RSV1 on a continuation frame: 1002',
      steps: [frame(OP.TEXT, deflate(Buffer.from('fragment1')), { fin: false, rsv: 4 }), frame(OP.CONT, 'x', { rsv: 4 })],
      expected: { OK: [] },
      close: failsWith(1002),
      offer,
    },
    { id: 'B.7', description: 'RSV1 on a ping: 1002', steps: [frame(OP.PING, 'x', { rsv: 4 })], expected: { OK: [] }, close: failsWith(1002), offer },
    { id: 'B.8', description: 'RSV2 with permessage-deflate agreed: 1002', steps: [frame(OP.TEXT, 'x', { rsv: 2 })], expected: { OK: [] }, close: failsWith(1002), offer },
    { id: 'B.9', description: 'uncompressed message (RSV1=0) with permessage-deflate agreed: echoed', steps: [frame(OP.TEXT, 'plain')], expected: { OK: [text('plain')] }, close: CLEAN_CLOSE, offer },
  ];
}

describe.each(TRANSPORTS)('Autobahn 9 (scaled down) and packageMaxLength over %s', (transport) => {
  let srv: Running & Target;
  let small: Running & Target;
  beforeAll(async () => {
    srv = await startTarget(transport, {}, echoApp);
    small = await startTarget(transport, { packageMaxLength: 64 * KiB }, echoApp);
  });
  afterAll(async () => {
    console.log(summarize(`conformance 9, limits over ${transport}`));
    await Promise.all([srv.stop(), small.stop()]);
  });

  it.each(limitsCases())('9: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(packageMaxLengthCases(64 * KiB))('limits: $id $description', async (c) => assertCase(await runCase(small, c)));
});

describe.each(TRANSPORTS)('Autobahn 12/13: permessage-deflate over %s', (transport) => {
  const declined: string[] = [];
  let dflt: Running & Target;
  let eager: Running & Target;
  let strict: Running & Target;
  beforeAll(async () => {
    // 12.*: the default config (messages under 1 KiB are answered uncompressed).
    dflt = await startTarget(transport, {}, echoApp);
    // 13.* and the bombs: every reply compressed, a 1 MiB limit.
    eager = await startTarget(transport, { compressionThreshold: 0, packageMaxLength: MiB }, echoApp);
    // Every parameter forced from the server's side.
    strict = await startTarget(
      transport,
      { compressionThreshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 9 },
      echoApp,
    );
  });
  afterAll(async () => {
    console.log(summarize(`conformance 12, 13, bombs over ${transport}`));
    if (declined.length > 0) console.log(`permessage-deflate declined by the server (Autobahn: UNIMPLEMENTED) in: ${declined.join(' ')}`);
    await Promise.all([dflt.stop(), eager.stop(), strict.stop()]);
  });

  it.each(COMPRESSION.c12)('12: $id $description', async (c) => {
    const r = await runCase(dflt, c);
    assertCase(r);
    expect(r.deflate, 'the default offer is accepted').not.toBeNull();
  });

  it.each(COMPRESSION.c13)('13: $id $description', async (c) => {
    const r = await runCase(eager, c);
    assertCase(r);
    if (r.deflate === null) {
      declined.push(c.id);
      return;
    }
    // compressionThreshold 0: every reply is compressed, and assertCase inflated each with the negotiated window.
    expect(dataFrames(r).filter((s) => !s.includes(' rsv1')), 'uncompressed replies').toEqual([]);
  });

  // Self-contained (its own handshakes, not what the 13.* cases above recorded): run alone, it still checks every offer.
  it('13: only offers asking for an 8-bit server window are declined', async () => {
    const declinedHere: string[] = [];
    for (const [group, offer] of OFFERS_13) {
      const r = await runCase(eager, { id: `${group}.n`, description: `negotiation only, offer "${offer}"`, steps: [message(OP.TEXT, 'x', { compress: true })], expected: { OK: [text('x')] }, close: CLEAN_CLOSE, offer });
      assertCase(r);
      if (r.deflate === null) declinedHere.push(group);
    }
    expect(declinedHere.every((group) => /^13\.[35]$/.test(group)), declinedHere.join(' ')).toBe(true);
  });

  it.each([
    ['S.1', DEFAULT_OFFER],
    ['S.2', 'permessage-deflate; client_max_window_bits=15'],
  ])('13: %s server-forced no context takeover and 9-bit windows, offer "%s"', async (id, offer) => {
    const c = compressedEcho(id, 'json', 'json', 65536, 0, offer);
    const r = await runCase(strict, c);
    assertCase(r);
    expect(r.deflate).toEqual({ serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 9 });
    expect(dataFrames(r).every((s) => s.includes(' rsv1'))).toBe(true);
  });

  it('13: S.3 a server limited to a 9-bit client window declines an offer without client_max_window_bits (RFC 7692 §7.1.2.2)', async () => {
    const r = await runCase(strict, compressedEcho('S.3', 'json', 'json', 4096, 0, 'permessage-deflate'));
    assertCase(r);
    expect(r.negotiated).toBeUndefined();
  });

  it.each(bombCases(MiB))('bombs: $id $description', async (c) => assertCase(await runCase(eager, c)));

  it('RSV1 is a protocol error when permessage-deflate was not offered', async () => {
    assertCase(await runCase(eager, { id: 'B.10', description: '', steps: [raw(clientFrame(OP.TEXT, deflate(Buffer.from('x')), { rsv1: true }))], expected: { OK: [] }, close: failsWith(1002) }));
  });
});
