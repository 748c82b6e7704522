import { afterAll, beforeAll, describe, it } from 'vitest';
import echoApp from '../../src/worker/default-app.ts';
import { type Running } from '../helpers/server.ts';
import { startTarget, TRANSPORTS, type Target } from '../helpers/transport.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';
import { assertCase, binary, CLEAN_CLOSE, failsWith, frame, OP, pong, raw, runCase, summarize, text, type CaseSpec } from './runner.ts';

/**
 * Autobahn|Testsuite 1.* (framing), 2.* (pings/pongs), 3.* (reserved bits) and 4.*
 * (opcodes), case by case (crossbario/autobahn-testsuite `case/case1_1_1.py` ...
 * `case4_2_5.py`): same frames, same accepted outcomes, same close codes.
 */

const HELLO = 'Hello, world!';
const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536];

/** 1.1.* text, 1.2.* binary: echo of each length; .8 is 65536 bytes written in 997-byte chops. */
function echoCases(group: 1 | 2): CaseSpec[] {
  const opcode = group === 1 ? OP.TEXT : OP.BINARY;
  const payloadOf = (n: number) => (group === 1 ? Buffer.alloc(n, '*') : Buffer.alloc(n, 0xfe));
  const event = group === 1 ? text : binary;
  const kind = group === 1 ? 'text' : 'binary';
  const cases: CaseSpec[] = LENGTHS.map((n, i) => ({
    id: `1.${group}.${i + 1}`,
    description: `${kind} message of ${n} bytes`,
    steps: [frame(opcode, payloadOf(n))],
    expected: { OK: [event(payloadOf(n))] },
    close: CLEAN_CLOSE,
  }));
  cases.push({
    id: `1.${group}.8`,
    description: `${kind} message of 65536 bytes written in 997-byte chops`,
    steps: [frame(opcode, payloadOf(65536), { chop: 997 })],
    expected: { OK: [event(payloadOf(65536))] },
    close: CLEAN_CLOSE,
  });
  return cases;
}

const tenPings = (chop?: number) => Array.from({ length: 10 }, (_, i) => frame(OP.PING, `payload-${i}`, { chop }));
const tenPongs = Array.from({ length: 10 }, (_, i) => pong(`payload-${i}`));

const CASES_2: CaseSpec[] = [
  { id: '2.1', description: 'ping without payload', steps: [frame(OP.PING)], expected: { OK: [pong()] }, close: CLEAN_CLOSE },
  { id: '2.2', description: 'ping with small text payload', steps: [frame(OP.PING, HELLO)], expected: { OK: [pong(HELLO)] }, close: CLEAN_CLOSE },
  {
    id: '2.3',
    description: 'ping with small binary (non UTF-8) payload',
    steps: [frame(OP.PING, Buffer.from('00fffefdfcfb00ff', 'hex'))],
    expected: { OK: [pong(Buffer.from('00fffefdfcfb00ff', 'hex'))] },
    close: CLEAN_CLOSE,
  },
  { id: '2.4', description: 'ping with 125-byte binary payload', steps: [frame(OP.PING, Buffer.alloc(125, 0xfe))], expected: { OK: [pong(Buffer.alloc(125, 0xfe))] }, close: CLEAN_CLOSE },
  // §5.5: control frames carry at most 125 bytes.
  { id: '2.5', description: 'ping with 126-byte payload: fail 1002', steps: [frame(OP.PING, Buffer.alloc(126, 0xfe))], expected: { OK: [] }, close: failsWith(1002) },
  {
    id: '2.6',
    description: 'ping with 125-byte payload written byte by byte',
    steps: [frame(OP.PING, Buffer.alloc(125, 0xfe), { chop: 1 })],
    expected: { OK: [pong(Buffer.alloc(125, 0xfe))] },
    close: CLEAN_CLOSE,
  },
  // §5.5.3: an unsolicited pong is allowed and needs no answer.
  { id: '2.7', description: 'unsolicited pong without payload is ignored', steps: [frame(OP.PONG)], expected: { OK: [] }, close: CLEAN_CLOSE },
  { id: '2.8', description: 'unsolicited pong with payload is ignored', steps: [frame(OP.PONG, 'unsolicited pong payload')], expected: { OK: [] }, close: CLEAN_CLOSE },
  {
    id: '2.9',
    description: 'unsolicited pong, then ping: only the ping is answered',
    steps: [frame(OP.PONG, 'unsolicited pong payload'), frame(OP.PING, 'ping payload')],
    expected: { OK: [pong('ping payload')] },
    close: CLEAN_CLOSE,
  },
  { id: '2.10', description: '10 pings in a burst, each answered in order', steps: tenPings(), expected: { OK: tenPongs }, close: CLEAN_CLOSE },
  { id: '2.11', description: '10 pings written byte by byte, each answered in order', steps: tenPings(1), expected: { OK: tenPongs }, close: CLEAN_CLOSE },
];

/** 3.2-3.4: echo of a valid message, then the bad frame fails the connection before the ping is answered. */
function afterEcho(id: string, rsv: number, opts: { sync?: boolean; chop?: number }): CaseSpec {
  return {
    id,
    description: `text echo, then text with RSV=${rsv}, then ping${opts.chop ? ' (byte by byte)' : opts.sync ? ' (frame by frame)' : ''}: fail 1002, no pong`,
    steps: [frame(OP.TEXT, HELLO, opts), frame(OP.TEXT, HELLO, { ...opts, rsv }), frame(OP.PING, '', opts)],
    expected: { OK: [text(HELLO)], 'NON-STRICT': [] },
    close: failsWith(1002),
  };
}

// §5.2: RSV1-3 MUST be 0 unless an extension defines them; none was negotiated here.
const CASES_3: CaseSpec[] = [
  { id: '3.1', description: 'text with RSV=1: fail 1002', steps: [frame(OP.TEXT, HELLO, { rsv: 1 })], expected: { OK: [] }, close: failsWith(1002) },
  afterEcho('3.2', 2, {}),
  afterEcho('3.3', 3, { sync: true }),
  afterEcho('3.4', 4, { chop: 1 }),
  {
    id: '3.5',
    description: 'binary with RSV=5: fail 1002',
    steps: [frame(OP.BINARY, Buffer.from(Array.from({ length: 256 }, (_, i) => i)), { rsv: 5 })],
    expected: { OK: [] },
    close: failsWith(1002),
  },
  { id: '3.6', description: 'ping with RSV=6: fail 1002', steps: [frame(OP.PING, HELLO, { rsv: 6 })], expected: { OK: [] }, close: failsWith(1002) },
  // Autobahn writes this one as a raw frame: it does not count as our closing handshake.
  { id: '3.7', description: 'close with RSV=7: fail 1002', steps: [raw(clientFrame(OP.CLOSE, '', { rsv1: true, rsv2: true, rsv3: true }))], expected: { OK: [] }, close: failsWith(1002) },
  // Not in Autobahn: the other RSV combinations on a ping, and RSV1 on a continuation.
  ...[1, 2, 3, 4, 5, 7].map((rsv) => ({
    id: `3.x.ping-rsv${rsv}`,
    description: `ping with RSV=${rsv}: fail 1002`,
    steps: [frame(OP.PING, HELLO, { rsv })],
    expected: { OK: [] },
    close: failsWith(1002),
  })),
  {
    id: '3.x.cont-rsv1',
    description: 'continuation frame with RSV1 (no extension): fail 1002',
    steps: [frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2', { rsv: 4 })],
    expected: { OK: [] },
    close: failsWith(1002),
  },
];

/** 4.*.3-4.*.5 (and .4/.5 with payload): echo, then the reserved opcode fails the connection before the ping is answered. */
function reservedAfterEcho(id: string, opcode: number, withPayload: boolean): CaseSpec {
  return {
    id,
    description: `text echo, then reserved opcode ${opcode}${withPayload ? ' with payload' : ''}, then ping: fail 1002, no pong`,
    steps: [frame(OP.TEXT, HELLO), frame(opcode, withPayload ? HELLO : ''), frame(OP.PING)],
    expected: { OK: [text(HELLO)], 'NON-STRICT': [] },
    close: failsWith(1002),
  };
}

// §5.2: opcodes 3-7 and B-F are reserved; receiving one fails the connection.
const CASES_4: CaseSpec[] = [
  { id: '4.1.1', description: 'reserved non-control opcode 3: fail 1002', steps: [frame(3)], expected: { OK: [] }, close: failsWith(1002) },
  { id: '4.1.2', description: 'reserved non-control opcode 4 with payload: fail 1002', steps: [frame(4, 'reserved opcode payload')], expected: { OK: [] }, close: failsWith(1002) },
  reservedAfterEcho('4.1.3', 5, false),
  reservedAfterEcho('4.1.4', 6, true),
  reservedAfterEcho('4.1.5', 7, true),
  { id: '4.2.1', description: 'reserved control opcode 11: fail 1002', steps: [frame(11)], expected: { OK: [] }, close: failsWith(1002) },
  { id: '4.2.2', description: 'reserved control opcode 12 with payload: fail 1002', steps: [frame(12, 'reserved opcode payload')], expected: { OK: [] }, close: failsWith(1002) },
  reservedAfterEcho('4.2.3', 13, false),
  reservedAfterEcho('4.2.4', 14, true),
  reservedAfterEcho('4.2.5', 15, true),
];

describe.each(TRANSPORTS)('Autobahn 1-4: framing, pings, reserved bits and opcodes over %s', (transport) => {
  let srv: Running & Target;
  beforeAll(async () => {
    srv = await startTarget(transport, {}, echoApp);
  });
  afterAll(async () => {
    console.log(summarize(`conformance 1-4 over ${transport}`));
    await srv.stop();
  });

  it.each([...echoCases(1), ...echoCases(2)])('1: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(CASES_2)('2: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(CASES_3)('3: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(CASES_4)('4: $id $description', async (c) => assertCase(await runCase(srv, c)));
});
