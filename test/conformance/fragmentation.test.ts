import { afterAll, beforeAll, describe, it } from 'vitest';
import echoApp from '../../src/worker/default-app.ts';
import { type Running } from '../helpers/server.ts';
import { startTarget, TRANSPORTS, type Target } from '../helpers/transport.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';
import { assertCase, binary, checkpoint, CLEAN_CLOSE, failsWith, frame, OP, pong, raw, runCase, summarize, text, type CaseSpec, type Step } from './runner.ts';

/**
 * Autobahn|Testsuite 5.* (fragmentation), after crossbario/autobahn-testsuite
 * `case/case5_1.py` ... `case5_20.py`. Autobahn's three ways of putting the same bytes on
 * the wire are kept: all in one write, frame-wise writes (sync=True) and byte-wise writes
 * (chopsize=1); the server must not care (RFC 6455 §5.4: fragments may be coalesced or
 * split by intermediaries).
 */

type Delivery = { label: string; opts: { sync?: boolean; chop?: number } };
const ONE_CHOP: Delivery = { label: 'in one chop', opts: {} };
const FRAME_WISE: Delivery = { label: 'frame-wise', opts: { sync: true } };
const BYTE_WISE: Delivery = { label: 'byte-wise', opts: { chop: 1 } };

// §5.4: "Control frames MAY be injected in the middle of a fragmented message" but
// "Control frames themselves MUST NOT be fragmented".
const CONTROL: CaseSpec[] = [
  {
    id: '5.1',
    description: 'ping fragmented into 2 fragments: fail 1002',
    steps: [frame(OP.PING, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2')],
    expected: { OK: [] },
    close: failsWith(1002),
  },
  {
    id: '5.2',
    description: 'pong fragmented into 2 fragments: fail 1002',
    steps: [frame(OP.PONG, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2')],
    expected: { OK: [] },
    close: failsWith(1002),
  },
  {
    id: '5.x.close-fragmented',
    description: 'close frame with FIN=0 (not in Autobahn): fail 1002',
    // Written raw, as Autobahn's sendFrame: a broken close is not our closing handshake.
    steps: [raw(clientFrame(OP.CLOSE, Buffer.from([0x03, 0xe8]), { fin: false })), frame(OP.CONT, 'fragment2')],
    expected: { OK: [] },
    close: failsWith(1002),
  },
];

const twoFragments = (d: Delivery): Step[] => [frame(OP.TEXT, 'fragment1', { fin: false, ...d.opts }), frame(OP.CONT, 'fragment2', d.opts)];
const withPing = (d: Delivery): Step[] => [frame(OP.TEXT, 'fragment1', { fin: false, ...d.opts }), frame(OP.PING, 'ping payload', d.opts), frame(OP.CONT, 'fragment2', d.opts)];

const VALID: CaseSpec[] = [
  ...[ONE_CHOP, FRAME_WISE, BYTE_WISE].map((d, i) => ({
    id: `5.${3 + i}`,
    description: `text message in 2 fragments, ${d.label}`,
    steps: twoFragments(d),
    expected: { OK: [text('fragment1fragment2')] },
    close: CLEAN_CLOSE,
  })),
  ...[ONE_CHOP, FRAME_WISE, BYTE_WISE].map((d, i) => ({
    id: `5.${6 + i}`,
    description: `text message in 2 fragments with a ping in between, ${d.label}: pong first, then the message`,
    steps: withPing(d),
    expected: { OK: [pong('ping payload'), text('fragment1fragment2')] },
    close: CLEAN_CLOSE,
  })),
];

/** 5.9-5.14: a continuation frame where there is nothing to continue, then a valid text message. */
const CONTINUATION_FIRST: CaseSpec[] = [true, false].flatMap((fin, f) =>
  [ONE_CHOP, FRAME_WISE, BYTE_WISE].map((d, i) => ({
    id: `5.${9 + f * 3 + i}`,
    description: `continuation (FIN=${fin ? 1 : 0}) with nothing to continue, then text, ${d.label}: fail 1002`,
    steps: [frame(OP.CONT, 'non-continuation payload', { fin, ...d.opts }), frame(OP.TEXT, 'Hello, world!', d.opts)],
    expected: { OK: [] },
    close: failsWith(1002),
  })),
);

const repeatedTwice = (first: Step[]): Step[] => [...first, ...first];

const BAD_SEQUENCES: CaseSpec[] = [
  {
    id: '5.15',
    description: 'text in 2 fragments, then a continuation (FIN=0) with nothing to continue, then text: echo of the first, then fail 1002',
    steps: [
      frame(OP.TEXT, 'fragment1', { fin: false }),
      frame(OP.CONT, 'fragment2'),
      frame(OP.CONT, 'fragment3', { fin: false }),
      frame(OP.TEXT, 'fragment4'),
    ],
    expected: { OK: [text('fragment1fragment2')], 'NON-STRICT': [] },
    close: failsWith(1002),
  },
  {
    id: '5.16',
    description: 'repeated 2x: continuation (FIN=0) with nothing to continue, then text in 2 fragments: fail 1002',
    steps: repeatedTwice([frame(OP.CONT, 'fragment1', { fin: false }), frame(OP.TEXT, 'fragment2', { fin: false }), frame(OP.CONT, 'fragment3')]),
    expected: { OK: [] },
    close: failsWith(1002),
  },
  {
    id: '5.17',
    description: 'repeated 2x: continuation (FIN=1) with nothing to continue, then text in 2 fragments: fail 1002',
    steps: repeatedTwice([frame(OP.CONT, 'fragment1'), frame(OP.TEXT, 'fragment2', { fin: false }), frame(OP.CONT, 'fragment3')]),
    expected: { OK: [] },
    close: failsWith(1002),
  },
  {
    id: '5.18',
    description: 'text in 2 fragments, both with opcode text: fail 1002',
    steps: [frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.TEXT, 'fragment2')],
    expected: { OK: [] },
    close: failsWith(1002),
  },
  // Not in Autobahn: a binary frame where a text message's continuation belongs.
  {
    id: '5.x.text-then-binary',
    description: 'text fragment, then a binary frame instead of a continuation: fail 1002',
    steps: [frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.BINARY, 'fragment2')],
    expected: { OK: [] },
    close: failsWith(1002),
  },
];

/**
 * 5.19/5.20: 5 fragments, pings after the 2nd and the 4th. Autobahn waits 1 s before part 2;
 * we wait until the first pong arrives (at most 2 s) and mark that moment, so the expected
 * order also checks "the peer answers the first ping before the last fragment arrives".
 */
function pingsInBetween(id: string, sync: boolean): CaseSpec {
  const o = { sync };
  return {
    id,
    description: `text in 5 fragments with 2 pings in between, pausing after the first ping${sync ? ', frame-wise' : ''}`,
    steps: [
      frame(OP.TEXT, 'fragment1', { fin: false, ...o }),
      frame(OP.CONT, 'fragment2', { fin: false, ...o }),
      frame(OP.PING, 'pongme 1!', o),
      checkpoint('part2', 2000, 1),
      frame(OP.CONT, 'fragment3', { fin: false, ...o }),
      frame(OP.CONT, 'fragment4', { fin: false, ...o }),
      frame(OP.PING, 'pongme 2!', o),
      frame(OP.CONT, 'fragment5', o),
    ],
    expected: { OK: [pong('pongme 1!'), { type: 'timeout', name: 'part2' }, pong('pongme 2!'), text('fragment1fragment2fragment3fragment4fragment5')] },
    close: CLEAN_CLOSE,
  };
}

/** Not in Autobahn: many fragments, empty ones, and a ping between every fragment, whole and byte-wise. */
function manyFragments(): CaseSpec[] {
  const parts = Array.from({ length: 50 }, (_, i) => `<${i}>`);
  const fragmented = (withPings: boolean, d: Delivery): Step[] =>
    parts.flatMap((p, i) => {
      const f = frame(i === 0 ? OP.BINARY : OP.CONT, p, { fin: i === parts.length - 1, ...d.opts });
      return withPings && i < parts.length - 1 ? [f, frame(OP.PING, `p${i}`, d.opts)] : [f];
    });
  const all = parts.join('');
  return [
    { id: '5.x.50-fragments', description: 'binary message in 50 fragments', steps: fragmented(false, ONE_CHOP), expected: { OK: [binary(all)] }, close: CLEAN_CLOSE },
    {
      id: '5.x.50-fragments-pings',
      description: 'binary message in 50 fragments with a ping after each but the last',
      steps: fragmented(true, ONE_CHOP),
      expected: { OK: [...parts.slice(0, -1).map((_, i) => pong(`p${i}`)), binary(all)] },
      close: CLEAN_CLOSE,
    },
    {
      id: '5.x.50-fragments-pings-bytewise',
      description: 'same, written byte by byte',
      steps: fragmented(true, BYTE_WISE),
      expected: { OK: [...parts.slice(0, -1).map((_, i) => pong(`p${i}`)), binary(all)] },
      close: CLEAN_CLOSE,
    },
    {
      id: '5.x.empty-fragments',
      description: 'text message made of empty fragments around one non-empty one',
      steps: [frame(OP.TEXT, '', { fin: false }), frame(OP.CONT, '', { fin: false }), frame(OP.CONT, 'middle', { fin: false }), frame(OP.CONT, '', { fin: false }), frame(OP.CONT, '')],
      expected: { OK: [text('middle')] },
      close: CLEAN_CLOSE,
    },
  ];
}

describe.each(TRANSPORTS)('Autobahn 5: fragmentation over %s', (transport) => {
  let srv: Running & Target;
  beforeAll(async () => {
    srv = await startTarget(transport, {}, echoApp);
  });
  afterAll(async () => {
    console.log(summarize(`conformance 5 over ${transport}`));
    await srv.stop();
  });

  it.each(CONTROL)('5: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(VALID)('5: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(CONTINUATION_FIRST)('5: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(BAD_SEQUENCES)('5: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each([pingsInBetween('5.19', false), pingsInBetween('5.20', true)])('5: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(manyFragments())('5: $id $description', async (c) => assertCase(await runCase(srv, c)));
});
