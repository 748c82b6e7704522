import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ProtocolError } from '../../src/shared/errors.ts';
import {
  DEFAULT_DEFLATE_SETTINGS,
  negotiateDeflate,
  parseExtensionHeader,
  type DeflateAgreement,
  type DeflateSettings,
} from '../../src/shared/protocol/permessage-deflate.ts';
import { MAX_ZLIB_JOBS, PerMessageDeflate, zlibJobsInFlight } from '../../src/worker/connection/deflate-codec.ts';

const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const FULL: DeflateAgreement = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
};

function settings(overrides: Partial<DeflateSettings> = {}): DeflateSettings {
  return { ...DEFAULT_DEFLATE_SETTINGS, ...overrides };
}

function inflate(pmd: PerMessageDeflate, data: Buffer, fin = true, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pmd.decompress(data, fin, limit, (err, out) => (err ? reject(err) : resolve(out as Buffer)));
  });
}

function deflate(pmd: PerMessageDeflate, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pmd.compress(data, (err, out) => (err ? reject(err) : resolve(out as Buffer)));
  });
}

/** A client-side compressor straight on zlib: sync flush per message, trailer removed (§7.2.1). */
function zlibPeer(options: zlib.ZlibOptions = {}): { send(data: Buffer): Promise<Buffer>; close(): void } {
  const stream = zlib.createDeflateRaw(options);
  let chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    send(data) {
      return new Promise((resolve) => {
        stream.write(data);
        stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          const out = Buffer.concat(chunks);
          chunks = [];
          expect(out.subarray(-4)).toEqual(TRAILER);
          resolve(out.subarray(0, -4));
        });
      });
    },
    close: () => stream.close(),
  };
}

/** How a client decodes our messages: one raw inflate over the messages with trailers restored. */
function inflateAll(messages: Buffer[]): Buffer {
  // Sync flush: our messages never end the deflate stream, so there is no end of file to expect.
  return zlib.inflateRawSync(Buffer.concat(messages.flatMap((m) => [m, TRAILER])), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

/** Buffer.equals: toEqual compares element by element, far too slow for MiB-sized buffers. */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

const text = (n: number) => Buffer.from(JSON.stringify({ type: 'push', seq: n, body: 'lorem ipsum '.repeat(n % 50) }));

describe('parseExtensionHeader', () => {
  it('parses tokens, values, quoted values and whitespace', () => {
    expect(parseExtensionHeader('foo, permessage-deflate ;client_max_window_bits; server_max_window_bits = "1\\0"\t,bar')).toEqual([
      { name: 'foo', params: [] },
      {
        name: 'permessage-deflate',
        params: [
          ['client_max_window_bits', true],
          ['server_max_window_bits', '10'],
        ],
      },
      { name: 'bar', params: [] },
    ]);
  });

  it.each(['', ' ', ',', 'a;', 'a; =1', 'a; b=', 'a; b="', 'a; b="x y"', 'a; b=""', 'a b', 'a; b=c d', '"a"', 'a;; b', 'é'])(
    'rejects %j',
    (header) => {
      expect(parseExtensionHeader(header)).toBeNull();
    },
  );

  it('skips empty list elements (RFC 7230 §7)', () => {
    expect(parseExtensionHeader('a, , b,')).toEqual([
      { name: 'a', params: [] },
      { name: 'b', params: [] },
    ]);
  });
});

describe('negotiateDeflate', () => {
  const table: Array<[string, string | undefined, Partial<DeflateSettings>, string | null, Partial<DeflateAgreement>?]> = [
    ['Chromium', 'permessage-deflate; client_max_window_bits', {}, 'permessage-deflate'],
    ['Firefox', 'permessage-deflate', {}, 'permessage-deflate'],
    ['no header', undefined, {}, null],
    [
      'first offer invalid, second taken',
      'permessage-deflate; server_max_window_bits=16, permessage-deflate; server_no_context_takeover',
      {},
      'permessage-deflate; server_no_context_takeover',
      { serverNoContextTakeover: true },
    ],
    ['only offer has an unknown param', 'permessage-deflate; foo=1', {}, null],
    ['duplicate param', 'permessage-deflate; server_no_context_takeover; server_no_context_takeover', {}, null],
    ['duplicate window bits', 'permessage-deflate; client_max_window_bits=10; client_max_window_bits=10', {}, null],
    ['no_context_takeover with a value', 'permessage-deflate; client_no_context_takeover=1', {}, null],
    ['server window 7', 'permessage-deflate; server_max_window_bits=7', {}, null],
    ['server window 16', 'permessage-deflate; server_max_window_bits=16', {}, null],
    ['server window abc', 'permessage-deflate; server_max_window_bits=abc', {}, null],
    ['server window with leading zero', 'permessage-deflate; server_max_window_bits=09', {}, null],
    ['server window without value', 'permessage-deflate; server_max_window_bits', {}, null],
    [
      'server window quoted "10"',
      'permessage-deflate; server_max_window_bits="10"',
      {},
      'permessage-deflate; server_max_window_bits=10',
      { serverMaxWindowBits: 10 },
    ],
    [
      'server window 15 is echoed',
      'permessage-deflate; server_max_window_bits=15',
      {},
      'permessage-deflate; server_max_window_bits=15',
    ],
    [
      'server window 8 declined (zlib), fallback offer taken',
      'permessage-deflate; server_max_window_bits=8, permessage-deflate',
      {},
      'permessage-deflate',
    ],
    [
      'offered server window larger than ours',
      'permessage-deflate; server_max_window_bits=14',
      { serverMaxWindowBits: 12 },
      'permessage-deflate; server_max_window_bits=12',
      { serverMaxWindowBits: 12 },
    ],
    [
      'offered server window smaller than ours',
      'permessage-deflate; server_max_window_bits=10',
      { serverMaxWindowBits: 12 },
      'permessage-deflate; server_max_window_bits=10',
      { serverMaxWindowBits: 10 },
    ],
    [
      'our smaller server window announced unasked',
      'permessage-deflate',
      { serverMaxWindowBits: 11 },
      'permessage-deflate; server_max_window_bits=11',
      { serverMaxWindowBits: 11 },
    ],
    ['client window 7', 'permessage-deflate; client_max_window_bits=7', {}, null],
    ['client window 16', 'permessage-deflate; client_max_window_bits=16', {}, null],
    [
      'client window hint 10 used',
      'permessage-deflate; client_max_window_bits=10',
      {},
      'permessage-deflate; client_max_window_bits=10',
      { clientMaxWindowBits: 10 },
    ],
    [
      'client window 8 accepted (we inflate with 9)',
      'permessage-deflate; client_max_window_bits=8',
      {},
      'permessage-deflate; client_max_window_bits=8',
      { clientMaxWindowBits: 8 },
    ],
    [
      'client window without value, our limit 10',
      'permessage-deflate; client_max_window_bits',
      { clientMaxWindowBits: 10 },
      'permessage-deflate; client_max_window_bits=10',
      { clientMaxWindowBits: 10 },
    ],
    [
      'client window hint 9 below our limit 10',
      'permessage-deflate; client_max_window_bits=9',
      { clientMaxWindowBits: 10 },
      'permessage-deflate; client_max_window_bits=9',
      { clientMaxWindowBits: 9 },
    ],
    ['client cannot be limited but we require it', 'permessage-deflate', { clientMaxWindowBits: 10 }, null],
    [
      'server_no_context_takeover forced by settings',
      'permessage-deflate; client_max_window_bits',
      { serverNoContextTakeover: true },
      'permessage-deflate; server_no_context_takeover',
      { serverNoContextTakeover: true },
    ],
    [
      'client_no_context_takeover echoed',
      'permessage-deflate; client_no_context_takeover',
      {},
      'permessage-deflate; client_no_context_takeover',
      { clientNoContextTakeover: true },
    ],
    [
      'client_no_context_takeover added by settings',
      'permessage-deflate',
      { clientNoContextTakeover: true },
      'permessage-deflate; client_no_context_takeover',
      { clientNoContextTakeover: true },
    ],
    [
      'everything at once',
      'permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=13; client_max_window_bits=12',
      {},
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=13; client_max_window_bits=12',
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 13, clientMaxWindowBits: 12 },
    ],
    ['malformed header declines everything', 'permessage-deflate; client_max_window_bits, x;', {}, null],
    ['malformed quoted value', 'permessage-deflate; server_max_window_bits="10', {}, null],
    ['other extensions ignored', 'x-webkit-deflate-frame, permessage-deflate; client_max_window_bits', {}, 'permessage-deflate'],
    ['only other extensions', 'x-webkit-deflate-frame; no_context_takeover', {}, null],
  ];

  it.each(table)('%s', (_name, header, overrides, response, agreement) => {
    const result = negotiateDeflate(header, settings(overrides));
    if (response === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result?.response).toBe(response);
    expect(result?.agreement).toEqual({ ...FULL, ...agreement });
  });

  it('throws on bad settings (configuration, not peer input)', () => {
    expect(() => negotiateDeflate('permessage-deflate', settings({ serverMaxWindowBits: 8 }))).toThrow(RangeError);
    expect(() => negotiateDeflate('permessage-deflate', settings({ level: 10 }))).toThrow(RangeError);
  });
});

describe('PerMessageDeflate codec', () => {
  it('compresses with context takeover: later messages reuse the window', async () => {
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const msg = Buffer.from(JSON.stringify({ user: 'alice', items: Array.from({ length: 40 }, (_, i) => `item-${i}`) }));
    const out = [await deflate(pmd, msg), await deflate(pmd, msg), await deflate(pmd, msg)];
    expect(out[1]!.length).toBeLessThan(out[0]!.length / 3);
    expect(inflateAll(out)).toEqual(Buffer.concat([msg, msg, msg]));
    pmd.dispose();
  });

  it('round-trips many messages between two instances', async () => {
    const server = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const client = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    for (let n = 0; n < 30; n++) {
      const msg = text(n);
      expect(await inflate(client, await deflate(server, msg))).toEqual(msg);
    }
    server.dispose();
    client.dispose();
  });

  it('decompresses what raw zlib produces, with context takeover', async () => {
    const peer = zlibPeer();
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    for (let n = 0; n < 20; n++) expect(await inflate(pmd, await peer.send(text(n)))).toEqual(text(n));
    peer.close();
    pmd.dispose();
  });

  it('server_no_context_takeover: every message decodes on its own', async () => {
    const pmd = new PerMessageDeflate({ ...FULL, serverNoContextTakeover: true }, DEFAULT_DEFLATE_SETTINGS);
    const msg = text(40);
    const a = await deflate(pmd, msg);
    const b = await deflate(pmd, msg);
    expect(b).toEqual(a);
    expect(inflateAll([b])).toEqual(msg);
    pmd.dispose();
  });

  it('client_no_context_takeover: the inflate window is reset after each message', async () => {
    const pmd = new PerMessageDeflate({ ...FULL, clientNoContextTakeover: true }, DEFAULT_DEFLATE_SETTINGS);
    // A conforming client: each message compressed from an empty window.
    for (let n = 0; n < 3; n++) {
      const alone = zlib.deflateRawSync(text(40), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
      expect(await inflate(pmd, alone)).toEqual(text(40));
    }
    // A client that (wrongly) keeps its window: its back-references now point nowhere.
    const peer = zlibPeer();
    const random = randomBytes(2000);
    expect(await inflate(pmd, await peer.send(random))).toEqual(random);
    const err = await inflate(pmd, await peer.send(random)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).closeCode).toBe(1007);
    peer.close();
    pmd.dispose();
  });

  it('stops a decompression bomb at the limit with 1009', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(10 * 1024 * 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    expect(bomb.length).toBeLessThan(20 * 1024);
    const create = vi.spyOn(zlib, 'createInflateRaw');
    try {
      const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
      const started = performance.now();
      const pending = inflate(pmd, bomb, true, 1024 * 1024).catch((e: unknown) => e);
      // Count every byte zlib hands out, including any produced after we gave up.
      const stream = create.mock.results[0]?.value as zlib.InflateRaw;
      let produced = 0;
      stream.on('data', (chunk: Buffer) => (produced += chunk.length));
      const err = await pending;
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).closeCode).toBe(1009);
      expect((err as ProtocolError).code).toBe('ERR_MESSAGE_TOO_BIG');
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Inflating it all would make 10 MiB; we stop within one zlib chunk of the limit.
      expect(produced).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
      // The context was discarded: a fresh message inflates on a fresh one.
      const next = zlib.deflateRawSync(text(3), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
      expect(await inflate(pmd, next)).toEqual(text(3));
      expect(create).toHaveBeenCalledTimes(2);
      pmd.dispose();
    } finally {
      create.mockRestore();
    }
  });

  it('allows exactly the limit', async () => {
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const msg = Buffer.alloc(100_000, 'a');
    const compressed = await deflate(pmd, msg);
    const peer = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    expect((await inflate(peer, compressed, true, 100_000)).length).toBe(100_000);
    expect(await inflate(peer, await deflate(pmd, msg), true, 99_999).catch((e: ProtocolError) => e.closeCode)).toBe(1009);
    pmd.dispose();
    peer.dispose();
  });

  it('reports corrupt data as 1007 and recovers with a fresh context', async () => {
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const err = await inflate(pmd, Buffer.from([0xff, 0xff, 0xff, 0xff])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).closeCode).toBe(1007);
    expect((err as ProtocolError).code).toBe('ERR_INVALID_COMPRESSED_DATA');
    const next = zlib.deflateRawSync(text(3), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    expect(await inflate(pmd, next)).toEqual(text(3));
    pmd.dispose();
  });

  it('inflates a message split over several frames', async () => {
    const msg = Buffer.concat(Array.from({ length: 200 }, (_, n) => text(n)));
    const compressed = zlib.deflateRawSync(msg, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const cuts = [0, 1, 7, Math.floor(compressed.length / 2), compressed.length - 1, compressed.length];
    const parts: Buffer[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      parts.push(await inflate(pmd, compressed.subarray(cuts[i], cuts[i + 1]), i + 2 === cuts.length));
    }
    expectSameBytes(Buffer.concat(parts), msg);
    pmd.dispose();
  });

  it('keeps interleaved decompress calls in order', async () => {
    const peer = zlibPeer();
    const messages = Array.from({ length: 30 }, (_, n) => Buffer.concat([text(n), randomBytes(n * 50)]));
    const frames: Array<[Buffer, boolean]> = [];
    for (const msg of messages) {
      const c = await peer.send(msg);
      const mid = Math.floor(c.length / 2);
      frames.push([c.subarray(0, mid), false], [c.subarray(mid), true]);
    }
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    // Issued without waiting: the queue must keep them ordered on the one zlib context.
    const results = await Promise.all(frames.map(([data, fin]) => inflate(pmd, data, fin)));
    for (let i = 0; i < messages.length; i++) {
      expectSameBytes(Buffer.concat([results[2 * i]!, results[2 * i + 1]!]), messages[i]!);
    }
    peer.close();
    pmd.dispose();
  });

  it('calls compress callbacks in call order', async () => {
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const order: number[] = [];
    const inputs = Array.from({ length: 20 }, (_, n) => (n % 3 === 0 ? randomBytes(200_000) : text(n)));
    const outputs = await Promise.all(
      inputs.map(
        (data, n) =>
          new Promise<Buffer>((resolve, reject) => {
            pmd.compress(data, (err, out) => {
              order.push(n);
              if (err) reject(err);
              else resolve(out as Buffer);
            });
          }),
      ),
    );
    expect(order).toEqual(inputs.map((_, n) => n));
    expectSameBytes(inflateAll(outputs), Buffer.concat(inputs));
    pmd.dispose();
  });

  it('compresses an empty message to 0x00 (§7.2.3.6), also after another message', async () => {
    const server = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const client = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    const messages = [Buffer.alloc(0), text(5), Buffer.alloc(0), Buffer.alloc(0), text(6)];
    const out: Buffer[] = [];
    for (const msg of messages) out.push(await deflate(server, msg));
    expect(out[0]).toEqual(Buffer.from([0x00]));
    for (let i = 0; i < messages.length; i++) expect(await inflate(client, out[i]!)).toEqual(messages[i]);
    server.dispose();
    client.dispose();
  });

  it('accepts a message ended with a BFINAL block and starts the next on a fresh context', async () => {
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    expect(await inflate(pmd, zlib.deflateRawSync(text(1)))).toEqual(text(1));
    expect(await inflate(pmd, zlib.deflateRawSync(text(2)))).toEqual(text(2));
    const next = zlib.deflateRawSync(text(3), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    expect(await inflate(pmd, next)).toEqual(text(3));
    pmd.dispose();
  });

  it('inflates an 8-bit client window from zlib (which deflates with 9)', async () => {
    const pmd = new PerMessageDeflate({ ...FULL, clientMaxWindowBits: 8 }, DEFAULT_DEFLATE_SETTINGS);
    const peer = zlibPeer({ windowBits: 8 });
    const chunk = randomBytes(200);
    for (let n = 0; n < 10; n++) {
      const msg = Buffer.concat([chunk, text(n), chunk]);
      expect(await inflate(pmd, await peer.send(msg))).toEqual(msg);
    }
    peer.close();
    pmd.dispose();
  });

  it('compresses with a smaller window that a matching inflater reads', async () => {
    const agreement = { ...FULL, serverMaxWindowBits: 9 };
    const pmd = new PerMessageDeflate(agreement, DEFAULT_DEFLATE_SETTINGS);
    const messages = Array.from({ length: 10 }, (_, n) => Buffer.concat([text(n), randomBytes(300), text(n)]));
    const out: Buffer[] = [];
    for (const msg of messages) out.push(await deflate(pmd, msg));
    const inflater = zlib.createInflateRaw({ windowBits: 9 });
    const got: Buffer[] = [];
    inflater.on('data', (c: Buffer) => got.push(c));
    await new Promise<void>((resolve) => {
      for (const m of out) inflater.write(Buffer.concat([m, TRAILER]));
      inflater.flush(() => resolve());
    });
    expect(Buffer.concat(got)).toEqual(Buffer.concat(messages));
    inflater.close();
    pmd.dispose();
  });

  it('never calls back after dispose', async () => {
    const pmd = new PerMessageDeflate(FULL, DEFAULT_DEFLATE_SETTINGS);
    let calls = 0;
    const compressed = zlib.deflateRawSync(text(9), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    for (let i = 0; i < 5; i++) {
      pmd.compress(randomBytes(100_000), () => calls++);
      pmd.decompress(compressed, true, Infinity, () => calls++);
    }
    pmd.dispose();
    pmd.compress(text(1), () => calls++);
    pmd.decompress(compressed, true, Infinity, () => calls++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(0);
  });

  it('applies the threshold and validates its agreement', () => {
    const pmd = new PerMessageDeflate(FULL, settings({ threshold: 1024 }));
    expect(pmd.shouldCompress(1023)).toBe(false);
    expect(pmd.shouldCompress(1024)).toBe(true);
    expect(() => new PerMessageDeflate({ ...FULL, serverMaxWindowBits: 8 }, DEFAULT_DEFLATE_SETTINGS)).toThrow(RangeError);
    expect(() => new PerMessageDeflate({ ...FULL, clientMaxWindowBits: 16 }, DEFAULT_DEFLATE_SETTINGS)).toThrow(RangeError);
  });

  it('round-trips arbitrary messages under arbitrary frame splits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 4 })), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (messages, noContext) => {
          const agreement = { ...FULL, serverNoContextTakeover: noContext, clientNoContextTakeover: noContext };
          const sender = new PerMessageDeflate(agreement, DEFAULT_DEFLATE_SETTINGS);
          const receiver = new PerMessageDeflate(agreement, DEFAULT_DEFLATE_SETTINGS);
          try {
            for (const [bytes, rawCuts] of messages) {
              const msg = Buffer.from(bytes);
              const c = await deflate(sender, msg);
              const cuts = [...new Set(rawCuts.map((x) => x % (c.length + 1)))].sort((a, b) => a - b);
              const bounds = [0, ...cuts, c.length];
              const parts: Buffer[] = [];
              for (let i = 0; i + 1 < bounds.length; i++) {
                parts.push(await inflate(receiver, c.subarray(bounds[i], bounds[i + 1]), i + 2 === bounds.length));
              }
              expectSameBytes(Buffer.concat(parts), msg);
            }
          } finally {
            sender.dispose();
            receiver.dispose();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('process-wide cap on zlib jobs', () => {
  const agreement = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };

  it(`never more than ${MAX_ZLIB_JOBS} jobs at once; every job completes; no slot leaks, also when connections are disposed mid-way`, async () => {
    const codecs = Array.from({ length: 40 }, () => new PerMessageDeflate(agreement));
    const payload = Buffer.alloc(256 * 1024, 'switchyard ');
    let peak = 0;
    let done = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, zlibJobsInFlight())), 0);
    const all = codecs.map(
      (c, i) =>
        new Promise<void>((resolve) => {
          c.compress(payload, (err, out) => {
            expect(err).toBeNull();
            expect(out!.length).toBeGreaterThan(0);
            done++;
            resolve();
          });
          // a second job queued behind the first on the same connection
          if (i % 2 === 0) c.compress(payload, () => {});
        }),
    );
    peak = Math.max(peak, zlibJobsInFlight());
    // dispose a quarter of them while their jobs wait for a slot or run
    for (const c of codecs.slice(30)) c.dispose();
    await Promise.race([Promise.all(all.slice(0, 30)), new Promise((r) => setTimeout(r, 10_000))]);
    clearInterval(sampler);
    expect(done).toBeGreaterThanOrEqual(30);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(MAX_ZLIB_JOBS);
    for (const c of codecs) c.dispose();
    await new Promise((r) => setTimeout(r, 50));
    expect(zlibJobsInFlight()).toBe(0);
  });
});
