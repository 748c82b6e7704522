import { isUtf8 } from 'node:buffer';
import { afterAll, beforeAll, describe, it } from 'vitest';
import echoApp from '../../src/worker/default-app.ts';
import { type Running } from '../helpers/server.ts';
import { startTarget, TRANSPORTS, type Target } from '../helpers/transport.ts';
import { assertCase, checkpoint, CLEAN_CLOSE, failsWith, frame, message, OP, raw, runCase, splitFrame, summarize, text, timeout, type CaseSpec, type Step } from './runner.ts';

/**
 * Autobahn|Testsuite 6.* (UTF-8 handling), after crossbario/autobahn-testsuite
 * `case/case6_1_1.py` ... `case6_4_4.py` and `case6_x_x.py` (Markus Kuhn's UTF-8 decoder
 * stress test). RFC 6455 §8.1: a text message that is not valid UTF-8 fails the connection
 * with 1007; non-characters (U+FFFE, U+nFFFF) ARE valid UTF-8 (RFC 3629).
 */

const h = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const bytes = (...b: number[]) => Buffer.from(b);
const KOSME = h('cebae1bdb9cf83cebcceb5'); // κόσμε
const EDITED = Buffer.from('edited');
const HELLO_UTF8 = 'Hello-µ@ßöäüàá-UTF-8!!';

/** Each text message in `fragments`, written all at once. */
const fragmentsOf = (payload: Buffer, size: number): Step[] => {
  const steps: Step[] = [];
  for (let i = 0; i === 0 || i < payload.length; i += size) {
    steps.push(frame(i === 0 ? OP.TEXT : OP.CONT, payload.subarray(i, i + size), { fin: i + size >= payload.length }));
  }
  return steps;
};

const valid = (id: string, description: string, steps: Step[], payload: Buffer | string): CaseSpec => ({ id, description, steps, expected: { OK: [text(payload)] }, close: CLEAN_CLOSE });
const invalid = (id: string, description: string, steps: Step[]): CaseSpec => ({ id, description, steps, expected: { OK: [] }, close: failsWith(1007) });

const BASICS: CaseSpec[] = [
  valid('6.1.1', 'empty text message', [frame(OP.TEXT, '')], ''),
  valid('6.1.2', 'text in 3 empty fragments', [frame(OP.TEXT, '', { fin: false }), frame(OP.CONT, '', { fin: false }), frame(OP.CONT, '')], ''),
  valid(
    '6.1.3',
    'text in 3 fragments, first and last empty',
    [frame(OP.TEXT, '', { fin: false }), frame(OP.CONT, 'middle frame payload', { fin: false }), frame(OP.CONT, '')],
    'middle frame payload',
  ),
  valid('6.2.1', 'valid UTF-8 in one frame', [frame(OP.TEXT, HELLO_UTF8)], HELLO_UTF8),
  valid('6.2.2', 'valid UTF-8 in 2 fragments split on a code point boundary', [frame(OP.TEXT, 'Hello-µ@ßöä', { fin: false }), frame(OP.CONT, 'üàá-UTF-8!!')], HELLO_UTF8),
  valid('6.2.3', 'valid UTF-8 in 1-byte fragments (fragments end inside code points)', fragmentsOf(Buffer.from(HELLO_UTF8), 1), HELLO_UTF8),
  valid('6.2.4', 'κόσμε in 1-byte fragments', fragmentsOf(KOSME, 1), KOSME),
];

// 6.3: invalid exactly at byte 12 (ED A0: a UTF-16 surrogate).
const INVALID_6_3 = Buffer.concat([KOSME, h('eda080'), EDITED]);
// 6.4: PART2 is F4 90 80 80, 0x110000 in the UTF-8 integer scheme: invalid at its 2nd byte (0x90), message byte 12.
const INVALID_6_4 = Buffer.concat([KOSME, h('f4908080'), EDITED]);

/**
 * 6.4.*: Autobahn waits 1 s after each part; a server that fails fast closes before the
 * second wait ends: [timeout A] is OK, [timeout A, timeout B] (failed only after the rest
 * arrived) is NON-STRICT. We wait 150 ms for A (the server must still be open) and up to
 * 1.5 s for B (ends as soon as the server closes). Only OK passes: we fail fast inside a
 * frame too (6.4.3, 6.4.4), so NON-STRICT is kept only to name a regression.
 */
function failFast(id: string, description: string, parts: Step[][]): CaseSpec {
  const [p1 = [], p2 = [], p3 = []] = parts;
  return {
    id,
    description,
    steps: [...p1, checkpoint('A', 150), ...p2, checkpoint('B', 1500), ...p3],
    expected: { OK: [timeout('A')], 'NON-STRICT': [timeout('A'), timeout('B')] },
    close: failsWith(1007),
    allowed: ['OK'],
    timeoutMs: 3000,
  };
}

const BYTES_6_3 = fragmentsOf(INVALID_6_3, 1);
const [chopA1, chopA2, chopA3] = splitFrame(OP.TEXT, INVALID_6_4, [11, 15]);
const [chopB1, chopB2, chopB3] = splitFrame(OP.TEXT, INVALID_6_4, [12, 13]);
const FAIL_FAST: CaseSpec[] = [
  invalid('6.3.1', 'invalid UTF-8 (surrogate at byte 12) in one frame: fail 1007', [frame(OP.TEXT, INVALID_6_3)]),
  invalid('6.3.2', 'same in 1-byte fragments: fail 1007', fragmentsOf(INVALID_6_3, 1)),
  // Fail fast at the fragment carrying the bad byte: the first 12 one-byte fragments, then the rest only if still open.
  // (ED alone, byte 11, may still start U+D000-U+D7FF; A0, byte 12 counting from 0, makes it a surrogate.)
  failFast('6.3.2-ff', '1-byte fragments: fail 1007 on the fragment with byte 12 (0xA0), before the rest is sent', [BYTES_6_3.slice(0, 12), BYTES_6_3.slice(12, 13), BYTES_6_3.slice(13)]),
  failFast(
    '6.4.1',
    '3 frames, the 2nd (F4 90 80 80) makes it invalid: fail 1007 right after the 2nd frame',
    [[frame(OP.TEXT, KOSME, { fin: false })], [frame(OP.CONT, h('f4908080'), { fin: false })], [frame(OP.CONT, EDITED)]],
  ),
  failFast(
    '6.4.2',
    '3 frames, the 2nd is the single byte (0x90) making it invalid: fail 1007 right after the 2nd frame',
    [[frame(OP.TEXT, INVALID_6_4.subarray(0, 12), { fin: false })], [frame(OP.CONT, INVALID_6_4.subarray(12, 13), { fin: false })], [frame(OP.CONT, INVALID_6_4.subarray(13))]],
  ),
  // One frame: the server must fail before the rest of the frame is sent (a strict server).
  failFast('6.4.3', 'one frame written in 3 chops, the 2nd chop (F4 90 80 80) makes it invalid: fail 1007 right after the 2nd chop', [[raw(chopA1!)], [raw(chopA2!)], [raw(chopA3!)]]),
  failFast('6.4.4', 'one frame written in 3 chops, the 2nd chop is the invalid byte 0x90: fail 1007 right after the 2nd chop', [[raw(chopB1!)], [raw(chopB2!)], [raw(chopB3!)]]),
];

/** case6_x_x.py's createUtf8TestSequences(): [subcategory, [valid?, bytes][]], numbered from 6.5. */
function utf8Sequences(): Array<[string, Array<[boolean, Buffer]>]> {
  const nonCharacters: Array<[boolean, Buffer]> = [
    [true, h('efbfbe')],
    [true, h('efbfbf')],
  ];
  for (const z1 of [0xf0, 0xf1, 0xf2, 0xf3, 0xf4]) {
    for (const z2 of [0x8f, 0x9f, 0xaf, 0xbf]) {
      if (z1 === 0xf4 && z2 !== 0x8f) continue; // beyond U+10FFFF
      for (const z3 of [0xbe, 0xbf]) {
        if (z1 === 0xf0 && z2 === 0x8f) continue; // overlong
        nonCharacters.push([true, bytes(z1, z2, 0xbf, z3)]);
      }
    }
  }
  const lonely = (from: number, to: number) => Buffer.from(Array.from({ length: to - from }, (_, i) => [from + i, 0x20]).flat());
  const missingLast = ['c0', 'e080', 'f08080', 'f8808080', 'fc80808080', 'df', 'efbf', 'f7bfbf', 'fbbfbfbf', 'fdbfbfbfbf'].map(h);
  return [
    ['Some valid UTF-8 sequences', [[true, Buffer.from('hello$world')], [true, h('68656c6c6fc2a2776f726c64')], [true, h('68656c6c6fe282ac776f726c64')], [true, h('68656c6c6ff0a4ada2776f726c64')], [true, KOSME]]],
    ['All prefixes of a valid UTF-8 string that contains multi-byte code points', Array.from({ length: KOSME.length }, (_, i): [boolean, Buffer] => [isUtf8(KOSME.subarray(0, i + 1)), KOSME.subarray(0, i + 1)])],
    ['First possible sequence of a certain length', [[true, h('00')], [true, h('c280')], [true, h('e0a080')], [true, h('f0908080')]]],
    ['First possible sequence length 5/6 (invalid codepoints)', [[false, h('f888808080')], [false, h('fc8480808080')]]],
    ['Last possible sequence of a certain length', [[true, h('7f')], [true, h('dfbf')], [true, h('efbfbf')], [true, h('f48fbfbf')]]],
    ['Last possible sequence length 4/5/6 (invalid codepoints)', [[false, h('f7bfbfbf')], [false, h('fbbfbfbfbf')], [false, h('fdbfbfbfbfbf')]]],
    ['Other boundary conditions', [[true, h('ed9fbf')], [true, h('ee8080')], [true, h('efbfbd')], [true, h('f48fbfbf')], [false, h('f4908080')]]],
    [
      'Unexpected continuation bytes',
      [[false, h('80')], [false, h('bf')], [false, h('80bf')], [false, h('80bf80')], [false, h('80bf80bf')], [false, h('80bf80bf80')], [false, h('80bf80bf80bf')], [false, Buffer.from(Array.from({ length: 0x3f }, (_, i) => 0x80 + i))]],
    ],
    ['Lonely start characters', [[false, lonely(0xc0, 0xdf)], [false, lonely(0xe0, 0xef)], [false, lonely(0xf0, 0xf7)], [false, lonely(0xf8, 0xfb)], [false, lonely(0xfc, 0xfd)]]],
    ['Sequences with last continuation byte missing', missingLast.map((b): [boolean, Buffer] => [false, b])],
    ['Concatenation of incomplete sequences', [[false, Buffer.concat(missingLast)]]],
    ['Impossible bytes', [[false, h('fe')], [false, h('ff')], [false, h('fefeffff')]]],
    ['Examples of an overlong ASCII character', [[false, h('c0af')], [false, h('e080af')], [false, h('f08080af')], [false, h('f8808080af')], [false, h('fc80808080af')]]],
    ['Maximum overlong sequences', [[false, h('c1bf')], [false, h('e09fbf')], [false, h('f08fbfbf')], [false, h('f887bfbfbf')], [false, h('fc83bfbfbfbf')]]],
    ['Overlong representation of the NUL character', [[false, h('c080')], [false, h('e08080')], [false, h('f0808080')], [false, h('f880808080')], [false, h('fc8080808080')]]],
    ['Single UTF-16 surrogates', ['eda080', 'edadbf', 'edae80', 'edafbf', 'edb080', 'edbe80', 'edbfbf'].map((s): [boolean, Buffer] => [false, h(s)])],
    [
      'Paired UTF-16 surrogates',
      ['eda080edb080', 'eda080edbfbf', 'edadbfedb080', 'edadbfedbfbf', 'edae80edb080', 'edae80edbfbf', 'edafbfedb080', 'edafbfedbfbf'].map((s): [boolean, Buffer] => [false, h(s)]),
    ],
    ['Non-character code points (valid UTF-8)', nonCharacters],
    ['Unicode specials (i.e. replacement char)', ['efbfb9', 'efbfba', 'efbfbb', 'efbfbc', 'efbfbd', 'efbfbe', 'efbfbf'].map((s): [boolean, Buffer] => [true, h(s)])],
  ];
}

/** 6.5.* - 6.23.*: each sample as one text frame (Autobahn), and (ours) in 1-byte fragments. */
function stressCases(): { whole: CaseSpec[]; bytewise: CaseSpec[] } {
  const whole: CaseSpec[] = [];
  const bytewise: CaseSpec[] = [];
  utf8Sequences().forEach(([title, samples], g) => {
    samples.forEach(([ok, payload], j) => {
      const id = `6.${g + 5}.${j + 1}`;
      const what = `${title}: ${payload.toString('hex')}`;
      whole.push(ok ? valid(id, `${what} valid: echoed`, [message(OP.TEXT, payload)], payload) : invalid(id, `${what} invalid: fail 1007`, [message(OP.TEXT, payload)]));
      if (payload.length > 1) {
        const steps = fragmentsOf(payload, 1);
        bytewise.push(ok ? valid(`${id}/1`, `${what} in 1-byte fragments: echoed`, steps, payload) : invalid(`${id}/1`, `${what} in 1-byte fragments: fail 1007`, steps));
      }
    });
  });
  return { whole, bytewise };
}

const STRESS = stressCases();

describe.each(TRANSPORTS)('Autobahn 6: UTF-8 handling over %s', (transport) => {
  let srv: Running & Target;
  beforeAll(async () => {
    srv = await startTarget(transport, {}, echoApp);
  });
  afterAll(async () => {
    console.log(summarize(`conformance 6 over ${transport}`));
    await srv.stop();
  });

  it.each(BASICS)('6: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(FAIL_FAST)('6: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(STRESS.whole)('6: $id $description', async (c) => assertCase(await runCase(srv, c)));
  it.each(STRESS.bytewise)('6: $id $description', async (c) => assertCase(await runCase(srv, c)));
});
