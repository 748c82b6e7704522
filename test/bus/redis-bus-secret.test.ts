/**
 * The authenticated Redis bus (--bus-secret) against the real Redis: forged, misdirected,
 * wrongly keyed and stale messages published with a raw client are dropped, counted and
 * logged (rate-limited), never delivered; signed ones flow.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/shared/bus/codec.ts';
import { BusMac, channelId, REPLAY_WINDOW_MS, TRAILER_BYTES } from '../../src/shared/bus/mac.ts';
import { RedisBus, type RedisBusOptions } from '../../src/shared/bus/redis-bus.ts';
import type { Incoming, WorkerAddress } from '../../src/shared/bus/types.ts';
import { keep, push, textOf } from './messages.ts';
import { REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { until } from '../helpers/server.ts';

const SECRET = 'the-right-secret-0123456789';
const redisUp = redisProbe() === null;

type LogLine = { level: number; msg: string; event?: string; why?: string; dropped?: number };

function capture(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) }) };
}

describe.runIf(redisUp)('RedisBus with a secret (real Redis)', () => {
  const buses: RedisBus[] = [];
  const admin = new Redis(REDIS_URL);
  admin.on('error', () => {});
  let prefix = '';

  async function bus(node: number, options: Partial<RedisBusOptions> = {}): Promise<{ bus: RedisBus; got: Array<{ msg: Incoming; from: WorkerAddress }> }> {
    const b = new RedisBus({ self: { node, slot: 0 }, url: REDIS_URL, prefix, secret: SECRET, ...options });
    const got: Array<{ msg: Incoming; from: WorkerAddress }> = [];
    b.onMessage = (msg, from) => got.push({ msg: keep(msg), from });
    buses.push(b);
    await b.start();
    return { bus: b, got };
  }

  /** A message as a bus would sign it, from `from`, for `channel`. */
  const signedFor = (mac: BusMac, channel: string, text: string, now = Date.now()): Buffer => {
    const buf = encodeEnvelope({ node: 1, slot: 0 }, push(1, text), TRAILER_BYTES);
    mac.sign(buf, channelId(channel), now);
    return buf;
  };

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });
  afterAll(() => void admin.disconnect());

  it('a forged push (a well-formed envelope without a MAC) published with a raw client is dropped, counted, logged once per interval', async () => {
    prefix = `sy-test-mac-${randomBytes(4).toString('hex')}`;
    const { log, lines } = capture();
    const { bus: a } = await bus(1);
    const { bus: b, got } = await bus(2, { log });
    const forged = encodeEnvelope({ node: 1, slot: 0 }, push(1, 'forged'));
    for (let i = 0; i < 50; i++) await admin.publish(`${prefix}:w:2:0`, forged);
    await admin.publish(`${prefix}:all`, forged);
    // A signed message sent after them: once it is here, they would be too.
    expect(a.send({ node: 2, slot: 0 }, push(2, 'genuine'))).toBe('ok');
    await until(() => got.length >= 1);
    expect(got.map((g) => textOf(g.msg))).toEqual(['genuine']);
    expect(b.stats()).toMatchObject({ unauthenticated: 51, stale: 0, received: 1, malformed: 0 });
    const rejected = lines.filter((l) => l.event === 'bus-message-rejected');
    expect(rejected).toHaveLength(1); // 51 refusals, one line (the next one, 10 s on, carries the count)
    expect(rejected[0]).toMatchObject({ level: 40, why: 'unsigned', dropped: 1 });
  });

  it('a node with the wrong secret cannot push to one with the right secret (nor the reverse)', async () => {
    prefix = `sy-test-mac-${randomBytes(4).toString('hex')}`;
    const { bus: right, got: rightGot } = await bus(1);
    const { bus: wrong, got: wrongGot } = await bus(2, { secret: 'a-wrong-secret-0123456789' });
    const { got: alsoRight } = await bus(3);
    expect(wrong.send({ node: 1, slot: 0 }, push(1, 'from wrong'))).toBe('ok'); // the bus took it: Redis delivers it
    expect(wrong.broadcast(push(2, 'wrong to all'))).toBe('ok');
    expect(right.send({ node: 2, slot: 0 }, push(3, 'to wrong'))).toBe('ok');
    expect(right.send({ node: 3, slot: 0 }, push(4, 'right to right'))).toBe('ok');
    await until(() => alsoRight.length === 1 && right.stats().unauthenticated === 2 && wrong.stats().unauthenticated === 1 && buses[2]!.stats().unauthenticated === 1);
    expect(textOf(alsoRight[0]!.msg)).toBe('right to right');
    expect(rightGot).toEqual([]);
    expect(wrongGot).toEqual([]);
    expect(buses[2]!.stats()).toMatchObject({ unauthenticated: 1, received: 1 }); // the wrong broadcast
  });

  it('a captured message republished on another channel (another worker) is refused: the MAC binds the channel', async () => {
    prefix = `sy-test-mac-${randomBytes(4).toString('hex')}`;
    const { bus: b, got } = await bus(2);
    const captured = signedFor(new BusMac(SECRET), `${prefix}:w:3:0`, 'meant for 3');
    await admin.publish(`${prefix}:w:2:0`, captured);
    await admin.publish(`${prefix}:w:2:0`, signedFor(new BusMac(SECRET), `${prefix}:w:2:0`, 'meant for 2'));
    await until(() => got.length === 1);
    expect(textOf(got[0]!.msg)).toBe('meant for 2');
    expect(b.stats()).toMatchObject({ unauthenticated: 1, received: 1 });
  });

  it('replay is bounded: a valid message older than the window is dropped as stale; within it, a replay still arrives (documented)', async () => {
    prefix = `sy-test-mac-${randomBytes(4).toString('hex')}`;
    const { bus: b, got } = await bus(2);
    const channel = `${prefix}:w:2:0`;
    await admin.publish(channel, signedFor(new BusMac(SECRET), channel, 'old', Date.now() - REPLAY_WINDOW_MS - 5000));
    const fresh = signedFor(new BusMac(SECRET), channel, 'fresh');
    await admin.publish(channel, fresh);
    await admin.publish(channel, fresh);
    await until(() => got.length === 2);
    expect(got.map((g) => textOf(g.msg))).toEqual(['fresh', 'fresh']);
    expect(b.stats()).toMatchObject({ unauthenticated: 1, stale: 1, received: 2 });
  });

  it('a node without a secret drops signed messages as malformed, never delivers them with a trailer glued on', async () => {
    prefix = `sy-test-mac-${randomBytes(4).toString('hex')}`;
    const { bus: signer } = await bus(1);
    const { bus: plain, got } = await bus(2, { secret: undefined });
    expect(signer.send({ node: 2, slot: 0 }, push(1, 'signed'))).toBe('ok');
    await until(() => plain.stats().malformed === 1);
    expect(got).toEqual([]);
  });
});
