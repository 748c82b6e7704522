import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Validator } from '../../src/shared/protocol/utf8.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/**
 * Oracle: can `bytes` be continued into valid UTF-8? Every multi-byte sequence can be
 * completed with bytes from {80, 90, A0} (these satisfy the second-byte ranges of E0, ED,
 * F0 and F4 and are continuation bytes), so trying all 1-3 byte completions suffices.
 */
function isValidPrefix(bytes: Buffer): boolean {
  if (isUtf8(bytes)) return true;
  const fill = [0x80, 0x90, 0xa0];
  for (const a of fill) {
    if (isUtf8(Buffer.concat([bytes, Buffer.from([a])]))) return true;
    for (const b of fill) {
      if (isUtf8(Buffer.concat([bytes, Buffer.from([a, b])]))) return true;
      for (const c of fill) if (isUtf8(Buffer.concat([bytes, Buffer.from([a, b, c])]))) return true;
    }
  }
  return false;
}

/** Feed `chunks` and check each push() against the oracle on everything seen so far, and end() against isUtf8. */
function checkChunks(validator: Utf8Validator, chunks: Buffer[]): void {
  let seen = Buffer.alloc(0);
  for (const chunk of chunks) {
    seen = Buffer.concat([seen, chunk]);
    expect(validator.push(chunk), `push after ${seen.toString('hex')}`).toBe(isValidPrefix(seen));
  }
  expect(validator.end(), `end of ${seen.toString('hex')}`).toBe(isUtf8(seen));
}

/** Whole, at every 2-way split point, at every 3-way split, and one byte at a time. */
function checkEverySplit(bytes: Buffer): void {
  const v = new Utf8Validator();
  checkChunks(v, [bytes]);
  for (let i = 0; i <= bytes.length; i++) {
    checkChunks(v, [bytes.subarray(0, i), bytes.subarray(i)]);
    for (let j = i; j <= bytes.length; j++) {
      checkChunks(v, [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
    }
  }
  checkChunks(v, [...bytes].map((b) => Buffer.from([b])));
}

// Autobahn TestSuite case 6.x vectors (after Markus Kuhn's UTF-8 decoder stress test).
const VALID: Record<string, string> = {
  '6.2.1 kosme': 'ceba e1bdb9 cf83 cebc ceb5',
  '6.3.2 kosme in pieces': 'cebae1bdb9cf83cebcceb5',
  '6.5.1 first 1-byte U+0000': '00',
  '6.6.x first 2-byte U+0080': 'c280',
  '6.6.x first 3-byte U+0800': 'e0a080',
  '6.6.x first 4-byte U+10000': 'f0908080',
  '6.7.x last 1-byte U+007F': '7f',
  '6.7.x last 2-byte U+07FF': 'dfbf',
  '6.7.x last 3-byte U+FFFF': 'efbfbf',
  '6.8.x last valid U+10FFFF': 'f48fbfbf',
  '6.9.x U+D7FF before surrogates': 'ed9fbf',
  '6.9.x U+E000 after surrogates': 'ee8080',
  '6.9.x U+FFFD': 'efbfbd',
  '6.23.x noncharacters U+FFFE, U+FFFF': 'efbfbe efbfbf',
  'empty': '',
};

const INVALID: Record<string, string> = {
  '6.3.1 kosme with a surrogate': 'cebae1bdb9cf83cebcceb5 eda080 656469746564',
  '6.8.1 U+110000 (F4 90 80 80)': 'f4908080',
  '6.8.2 5-byte form': 'f888808080',
  '6.10.x F5 lead': 'f5808080',
  '6.10.x FE, FF': 'fefeffff',
  '6.11.x lone continuation 80': '80',
  '6.11.x lone continuation BF': 'bf',
  '6.11.x continuation run': '80bf80bf',
  '6.12.x lone lead + space': 'c020',
  '6.12.x 3-byte lead + space': 'e020',
  '6.13.x truncated 2-byte at end': '41c2',
  '6.13.x truncated 3-byte at end': '41e0a0',
  '6.13.x truncated 4-byte at end': '41f09080',
  '6.14.x concatenated truncated': 'c2e0a0f09080',
  '6.16.x overlong / C0 AF': 'c0af',
  '6.16.x overlong / E0 80 AF': 'e080af',
  '6.16.x overlong / F0 80 80 AF': 'f08080af',
  '6.17.x max overlong C1 BF': 'c1bf',
  '6.17.x max overlong E0 9F BF': 'e09fbf',
  '6.17.x max overlong F0 8F BF BF': 'f08fbfbf',
  '6.18.x single surrogate ED A0 80': 'eda080',
  '6.18.x single surrogate ED AD BF': 'edadbf',
  '6.18.x single surrogate ED AE 80': 'edae80',
  '6.18.x single surrogate ED AF BF': 'edafbf',
  '6.18.x single surrogate ED B0 80': 'edb080',
  '6.18.x single surrogate ED BE 80': 'edbe80',
  '6.18.x single surrogate ED BF BF': 'edbfbf',
  '6.19.x paired surrogates': 'eda080 edb080',
  'valid prefix then F4 90': '41 f490',
  'valid then bad second byte of a split sequence': 'e282 41',
};

describe('Utf8Validator', () => {
  for (const [name, bytes] of Object.entries(VALID)) {
    it(`accepts ${name} at every split point`, () => {
      expect(isUtf8(hex(bytes))).toBe(true);
      checkEverySplit(hex(bytes));
    });
  }

  for (const [name, bytes] of Object.entries(INVALID)) {
    it(`rejects ${name} at every split point`, () => {
      expect(isUtf8(hex(bytes))).toBe(false);
      checkEverySplit(hex(bytes));
    });
  }

  it('fails fast on the byte that breaks a split code point, not at the end', () => {
    for (const bad of ['eda0', 'f490', 'e09f', 'f08f', 'c2 41', 'f0 90 41', 'f5', 'c0']) {
      const v = new Utf8Validator();
      const bytes = hex(bad);
      const results = [...bytes].map((b) => v.push(Buffer.from([b])));
      expect(results.at(-1), bad).toBe(false);
      expect(results.slice(0, -1).every(Boolean), bad).toBe(true);
    }
  });

  it('stays failed until end() or reset(), then validates the next message afresh', () => {
    const v = new Utf8Validator();
    expect(v.push(hex('ff'))).toBe(false);
    expect(v.push(Buffer.from('ok'))).toBe(false);
    expect(v.end()).toBe(false);
    expect(v.push(Buffer.from('ok'))).toBe(true);
    expect(v.end()).toBe(true);
    expect(v.push(hex('e2 82'))).toBe(true);
    v.reset();
    expect(v.push(Buffer.from('fresh'))).toBe(true);
    expect(v.end()).toBe(true);
  });

  it('end() reports an incomplete code point and resets', () => {
    const v = new Utf8Validator();
    expect(v.push(hex('e282'))).toBe(true);
    expect(v.end()).toBe(false);
    expect(v.push(hex('ac'))).toBe(false); // a lone continuation now: the carry was dropped
  });

  it('agrees with buffer.isUtf8 on whole buffers', () => {
    const bytes = fc.oneof(
      fc.string({ unit: 'binary' }).map((s) => Buffer.from(s, 'utf8')),
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    );
    fc.assert(
      fc.property(bytes, (buf) => {
        const v = new Utf8Validator();
        expect(v.push(buf) && v.end()).toBe(isUtf8(buf));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the prefix oracle at every push, whatever the chunking', () => {
    // Bias towards the bytes where UTF-8's rules live so that valid sequences occur often.
    const interesting = fc.constantFrom(0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf3, 0xf4, 0xf5);
    const byte = fc.oneof(interesting, fc.integer({ min: 0, max: 255 }));
    const input = fc
      .tuple(fc.array(byte, { maxLength: 24 }), fc.array(fc.nat(24), { maxLength: 6 }))
      .map(([bytes, cuts]) => {
        const buf = Buffer.from(bytes);
        const points = [...new Set(cuts.map((c) => Math.min(c, buf.length)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let at = 0;
        for (const p of [...points, buf.length]) {
          chunks.push(buf.subarray(at, p));
          at = p;
        }
        return chunks;
      });
    fc.assert(
      fc.property(input, (chunks) => checkChunks(new Utf8Validator(), chunks)),
      { numRuns: 3000 },
    );
  });

  it('valid multi-byte text split anywhere is accepted', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(), fc.nat(), (s, x, y) => {
        const buf = Buffer.from(s, 'utf8');
        const [i, j] = [x % (buf.length + 1), y % (buf.length + 1)].sort((a, b) => a - b) as [number, number];
        const v = new Utf8Validator();
        expect(v.push(buf.subarray(0, i))).toBe(true);
        expect(v.push(buf.subarray(i, j))).toBe(true);
        expect(v.push(buf.subarray(j))).toBe(true);
        expect(v.end()).toBe(true);
      }),
    );
  });
});
