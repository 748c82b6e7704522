import { afterAll, beforeAll, describe, it } from 'vitest';
import echoApp from '../../src/worker/default-app.ts';
import { type Running } from '../helpers/server.ts';
import { startTarget, TRANSPORTS, type Target } from '../helpers/transport.ts';
import { assertCase, CLEAN_CLOSE, close, frame, OP, runCase, summarize, text, type CaseSpec, type CloseExpectation } from './runner.ts';

/**
 * Autobahn|Testsuite 7.* (close handling), after crossbario/autobahn-testsuite
 * `case/case7_1_1.py` ... `case7_13_2.py`. In every case we start the closing handshake;
 * the server must answer it (echoing the code or 1000, or 1002/1007 for a bad close frame)
 * and then close TCP (RFC 6455 §7.1.1), sending nothing after its close frame (§5.5.1).
 */

/** We close; the server answers with one of `codes`. */
const answeredWith = (...codes: number[]): CloseExpectation => ({ closedByMe: true, codes, requireClean: false });

const KOSME_INVALID = Buffer.from('cebae1bdb9cf83cebcceb5eda080656469746564', 'hex');
const BIG = Buffer.alloc(256 * 1024);
for (let i = 0; i < BIG.length; i++) BIG[i] = 'BAsd7&jh23'.charCodeAt(i % 10);

const BASIC: CaseSpec[] = [
  { id: '7.1.1', description: 'text message, then close: echo, then clean close 1000', steps: [frame(OP.TEXT, 'Hello World!'), close(1000)], expected: { OK: [text('Hello World!')] }, close: CLEAN_CLOSE },
  { id: '7.1.2', description: 'two close frames: the second is ignored', steps: [close(1000), close(1000)], expected: { OK: [] }, close: CLEAN_CLOSE },
  // §5.5.1: after sending a close frame the endpoint sends no more data; the server ignores any that comes.
  { id: '7.1.3', description: 'close, then ping: no pong', steps: [close(1000), frame(OP.PING, 'Hello World!')], expected: { OK: [] }, close: CLEAN_CLOSE },
  { id: '7.1.4', description: 'close, then text: not echoed', steps: [close(1000), frame(OP.TEXT, 'Hello World!')], expected: { OK: [] }, close: CLEAN_CLOSE },
  {
    id: '7.1.5',
    description: 'text fragment, close, then the last fragment: nothing echoed',
    steps: [frame(OP.TEXT, 'fragment1', { fin: false }), close(1000), frame(OP.CONT, 'fragment2')],
    expected: { OK: [] },
    close: CLEAN_CLOSE,
  },
  {
    // INFORMATIONAL in Autobahn: an async server may process the close before the big echo is written.
    id: '7.1.6',
    description: '256 KiB text, text, close, ping back to back: both echoed (or fewer: informational), no pong',
    steps: [frame(OP.TEXT, BIG), frame(OP.TEXT, 'Hello World!'), close(1000), frame(OP.PING)],
    expected: { OK: [text(BIG), text('Hello World!')], INFORMATIONAL: [text(BIG)], 'NON-STRICT': [] },
    close: CLEAN_CLOSE,
    timeoutMs: 5000,
  },
  { id: '7.3.1', description: 'close with empty payload: clean close', steps: [close()], expected: { OK: [] }, close: CLEAN_CLOSE },
  // §5.5.1: a close body, if any, starts with a 2-byte status code.
  { id: '7.3.2', description: 'close with 1-byte payload: 1002', steps: [close(undefined, 'a')], expected: { OK: [] }, close: answeredWith(1002) },
  { id: '7.3.3', description: 'close 1000 without reason: clean close', steps: [close(1000)], expected: { OK: [] }, close: CLEAN_CLOSE },
  { id: '7.3.4', description: 'close 1000 with a short reason: clean close', steps: [close(1000, 'Hello World!')], expected: { OK: [] }, close: CLEAN_CLOSE },
  { id: '7.3.5', description: 'close 1000 with a 123-byte reason (125-byte payload): clean close', steps: [close(1000, '*'.repeat(123))], expected: { OK: [] }, close: CLEAN_CLOSE },
  // §5.5: control frame payloads are at most 125 bytes.
  { id: '7.3.6', description: 'close 1000 with a 124-byte reason (126-byte payload): 1002', steps: [close(1000, '*'.repeat(124))], expected: { OK: [] }, close: answeredWith(1002) },
  // §8.1 and §5.5.1: the reason is UTF-8; Autobahn accepts 1002 or 1007, the RFC's code for it is 1007 (§7.4.1).
  { id: '7.5.1', description: 'close 1000 with an invalid UTF-8 reason: 1007', steps: [close(1000, KOSME_INVALID)], expected: { OK: [] }, close: answeredWith(1007) },
];

// §7.4.1/§7.4.2: codes on the wire are 1000-1003, 1007-1014 and 3000-4999. Autobahn's 7.7
// list plus 1012-1014 (defined after RFC 6455 in the IANA registry; its older 7.9 listed them as invalid).
const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999, 1012, 1013, 1014];
const VALID: CaseSpec[] = VALID_CODES.map((code, i) => ({
  id: `7.7.${i + 1}`,
  description: `close with valid code ${code}: echoed (or 1000)${i >= 13 ? ' [1012-1014: not in Autobahn 7.7]' : ''}`,
  steps: [close(code)],
  expected: { OK: [] },
  close: { closedByMe: true, codes: [1000, code], requireClean: true },
}));

// 1004 reserved; 1005, 1006, 1015 "MUST NOT be set as a status code in a Close control frame";
// 0-999 unused; 1016-2999 reserved for the protocol; 5000+ undefined. Autobahn's 7.9 list,
// plus 1015 (in its older lists), then 7.13's 5000 and 65535, which Autobahn only records.
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015];
const INVALID: CaseSpec[] = [
  ...INVALID_CODES.map((code, i) => ({
    id: `7.9.${i + 1}`,
    description: `close with invalid code ${code}: 1002${code === 1015 ? ' [not in the current Autobahn list]' : ''}`,
    steps: [close(code)],
    expected: { OK: [] },
    close: answeredWith(1002),
  })),
  { id: '7.13.1', description: 'close with code 5000 (Autobahn: informational): 1002', steps: [close(5000)], expected: { OK: [] }, close: answeredWith(1002) },
  { id: '7.13.2', description: 'close with code 65535 (Autobahn: informational): 1002', steps: [close(65535)], expected: { OK: [] }, close: answeredWith(1002) },
];

describe.each(TRANSPORTS)('Autobahn 7: close handling over %s', (transport) => {
  let srv: Running & Target;
  beforeAll(async () => {
    srv = await startTarget(transport, {}, echoApp);
  });
  afterAll(async () => {
    console.log(summarize(`conformance 7 over ${transport}`));
    await srv.stop();
  });

  it.each(BASIC)('7: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(VALID)('7: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(INVALID)('7: $id $description', async (c) => assertCase(await runCase(srv, c)));
});
