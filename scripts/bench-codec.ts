/**
 * What decoding a typical bus envelope costs, on each msgpack path:
 *   npm run bench:codec -- [--repeats 5] [--decodes 300000] [--out bench] [--quick]
 *
 * The envelope is a room push of a 120-byte JSON chat message (the broadcast op of
 * src/worker/cluster/cluster-ops.ts with a room, ~140 bytes: what the default app's /chat sends to the
 * other workers), decoded as a worker does: the envelope, then the op's arguments. Its layout is
 * fixed (no msgpack: the small control ops use msgpack), so both paths should match. Each path
 * runs in a child process of its own (msgpackr's extractor is process-wide state):
 *   shipped  the bus codec as it runs (msgpackr/pack, pure JavaScript, for the ops that use it)
 *   native   the same after `import 'msgpackr'`, whose main entry turns on the native string
 *            extractor (msgpackr-extract) when it is installed
 * Median of --repeats runs of --decodes each. Prints a table, then one JSON object as its last
 * line; writes <out>/codec.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as unpackr from 'msgpackr/unpack';
import { decodeEnvelope, encodeEnvelope } from '../src/shared/bus/codec.ts';
import { OPS } from '../src/worker/cluster/cluster-ops.ts';
import { MALFORMED, OpMessage } from '../src/worker/cluster/op-kit.ts';
import { machineInfo, median, round, textTable } from './lib/report.ts';
import { ROOT } from './lib/processes.ts';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '5' },
    decodes: { type: 'string', default: '300000' },
    out: { type: 'string', default: 'bench' },
    quick: { type: 'boolean', default: false },
    mode: { type: 'string' },
  },
});
const repeats = values.quick ? 2 : Number(values.repeats);
const decodes = values.quick ? 20_000 : Number(values.decodes);

/** 120 bytes of JSON, as /chat relays a message. */
const TEXT = JSON.stringify({ type: 'message', from: 1048832, text: 'x'.repeat(120 - 48) });
const ENVELOPE = encodeEnvelope({ node: 0, slot: 1 }, new OpMessage(OPS.broadcast, TEXT, 1, { except: [], room: 'chat' }));
const took = (): number => 1;

/** 1 when the envelope and the op's arguments decode, as a receiving worker does it. */
function decode(envelope: Buffer): number {
  const env = decodeEnvelope(envelope);
  return env !== null && OPS.broadcast.args.read(env.msg.body, 1, took, null) !== MALFORMED ? 1 : 0;
}

/** Microseconds per decode: median of the repeats. */
function measure(): { native: boolean; usPerDecode: number; runs: number[] } {
  let sink = 0;
  for (let i = 0; i < decodes / 4; i++) sink += decode(ENVELOPE); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < decodes; i++) sink += decode(ENVELOPE);
    runs.push(round(Number(process.hrtime.bigint() - t0) / decodes / 1000, 4));
  }
  if (sink === 0) throw new Error('the envelope did not decode');
  const native = (unpackr as unknown as { isNativeAccelerationEnabled: boolean }).isNativeAccelerationEnabled;
  return { native, usPerDecode: median(runs)!, runs };
}

const MODES = {
  shipped: 'the bus codec as shipped (msgpackr/pack: pure JavaScript)',
  native: "after import 'msgpackr' (native string extractor, msgpackr-extract)",
} as const;
type Mode = keyof typeof MODES;

if (values.mode !== undefined) {
  if (values.mode === 'native') await import('msgpackr');
  process.stdout.write(`${JSON.stringify(measure())}\n`);
} else {
  const runs = {} as Record<Mode, ReturnType<typeof measure> & { path: string }>;
  for (const mode of Object.keys(MODES) as Mode[]) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-codec.ts', '--mode', mode, '--repeats', String(repeats), '--decodes', String(decodes)], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (child.status !== 0) throw new Error(`the ${mode} run failed: ${child.stderr}`);
    runs[mode] = { path: MODES[mode], ...(JSON.parse(child.stdout.trim().split('\n').pop()!) as ReturnType<typeof measure>) };
  }
  const result = { envelopeBytes: ENVELOPE.length, decodes, repeats, ...runs, machine: machineInfo('none') };
  const rows = (Object.keys(MODES) as Mode[]).map((m) => [m, runs[m].path, String(runs[m].native), String(runs[m].usPerDecode), runs[m].runs.join(' ')]);
  process.stdout.write(`${textTable([['mode', 'path', 'native', 'µs per decode (median)', 'runs'], ...rows])}\n`);
  const out = resolve(ROOT, values.out!);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'codec.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
