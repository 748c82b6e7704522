/**
 * The bus decodes msgpack on a path that really works. A stub of msgpackr-extract that exports
 * {} (what an npm `overrides` entry once put there) made msgpackr believe the native extension
 * was present: every envelope carrying a string threw and caught a TypeError (15-50 µs instead
 * of ~1 µs). The codec now uses msgpackr's pure-JavaScript entry on purpose; and whatever
 * msgpackr-extract is installed must be the real one.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr/pack';
import { ROOT } from '../helpers/process.ts';

describe('msgpack path of the bus', () => {
  it('the compiled cluster operations decode strings with the pure-JavaScript codec, not a native extractor', () => {
    // A process of its own: msgpackr's extractor is process-wide state, which any other import
    // of 'msgpackr' in this test worker could have set.
    const script = `
      import { decodeEnvelope, encodeEnvelope } from './dist/shared/bus/codec.js';
      import { OPS } from './dist/worker/cluster/cluster-ops.js';
      import { OpMessage } from './dist/worker/cluster/op-kit.js';
      import * as unpack from 'msgpackr/unpack';
      // sendMessage's payload is msgpack (the ops that carry a WebSocket message have fixed layouts).
      const envelope = encodeEnvelope({ node: 0, slot: 1 }, new OpMessage(OPS.pipe, 7, { data: 'x'.repeat(120), room: 'chat' }, undefined));
      let got = null;
      OPS.pipe.args.read(decodeEnvelope(envelope).msg.body, 1, (_, src, data) => (got = data), null);
      console.log(JSON.stringify({ native: unpack.isNativeAccelerationEnabled, data: got?.data, room: got?.room }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ native: false, data: 'x'.repeat(120), room: 'chat' });
  });

  it('msgpackr-extract, where installed, is the real extension: extractStrings reads msgpack strings', () => {
    const fromMsgpackr = createRequire(createRequire(import.meta.url).resolve('msgpackr'));
    let extension: { extractStrings?: unknown };
    try {
      extension = fromMsgpackr('msgpackr-extract') as { extractStrings?: unknown };
    } catch (err) {
      // Not installed (a platform without a prebuilt binary): msgpackr stays pure JavaScript.
      expect((err as NodeJS.ErrnoException).code).toBe('MODULE_NOT_FOUND');
      return;
    }
    expect(typeof extension.extractStrings, 'msgpackr-extract is a stub that pretends to be native').toBe('function');
    const strings = ['a'.repeat(40), 'héllo wörld, long enough to extract'];
    const packed = new Packr({ useRecords: false }).pack(strings);
    const extract = extension.extractStrings as (start: number, end: number, source: ArrayBuffer) => unknown;
    expect(extract(1, packed.length, new Uint8Array(packed).buffer)).toEqual(strings);
  });
});
