/**
 * `npm run hostile`: every attack of the hardening issue, against Switchyard and `ws` (with
 * bufferutil, as its docs recommend) run the same way, with figures.
 *
 *   npm run hostile -- [--only a,b] [--servers switchyard,ws] [--duration 5] [--quick] [--out bench] [--rss-ceiling-mb 3000]
 *     [--workers 2] [--redis URL] [--slow-sockets 500] [--slow-seconds 40] [--pushes 1000000]
 *     [--upgrades 12000] [--in-flight 400] [--connect-deadline-ms 10000]
 *     [--answer-deadline-ms 15000] [--after 2]
 *
 * Attacks (scripts/hostile/attacks/, each file's header says exactly what it does):
 *   deflate-flood   compressed frames inflating to ~1.9 MiB (and 24-byte ones to ~2 KB), 1 and 20 clients
 *   ping-flood      125-byte pings from a client that never reads; Switchyard with bufferFullPolicy drop and close
 *   push-flood      1,000,000 pushes to another node's session in one loop (Switchyard; Redis at --redis)
 *   handoff-burst   12,000 upgrades, 400 in flight, while 2 clients echo 10 MB/s (ws under node:cluster)
 *   redis-restart   a private redis-server killed -9 under cross-node pushes and restarted (Switchyard)
 *   slow-http       500 keep-alive heads and 500 POST bodies trickled at 1 byte/s, counted at +T
 *   garbage-head    garbage, a TLS ClientHello, a bare-LF head: the status answered, and when
 *   flood-fairness  5 and 50 clients flooding 1-byte frames: a probe's echo p50/p99, connects under the flood
 *   strictness      duplicate Host, HTTP/2.0, absolute-form target: the status each server answers
 *
 * Servers: Switchyard as `npm start` runs it (its default app, --workers, default 2; the
 * cross-node attacks run scripts/apps/hostile-app.ts on two 1-worker nodes), and the ws peers
 * (scripts/peers/: node:cluster with the same number of workers, permessage-deflate on, ws's
 * maxPayload = Switchyard's packageMaxLength). Each case gets a fresh server, attacked for
 * --duration seconds, the two servers one after the other (both at once where the figures
 * are statuses and times the attack sets: slow-http, garbage-head, strictness). Attack
 * clients run in client processes of their own (scripts/generators/hostile-client.ts).
 * Memory: the sum of a server's processes' VmRSS from /proc, growth = peak during the attack
 * (and the --after seconds after its clients closed) - baseline before it. A server past
 * --rss-ceiling-mb is killed at once and the case says "ceiling hit"; a server process that
 * dies is reported; either way the run goes on with the next case.
 *
 * --servers switchyard or ws: attack only that one (the cross-node attacks are Switchyard's).
 *
 * --quick: the test suite's smoke run (~30 s): one case per attack, short times, small counts,
 * servers shared between attacks, both servers and all attacks at once — its figures are
 * not measurements. Redis attacks are skipped, with the reason in the result, when no Redis
 * answers at --redis (push-flood) or redis-server cannot run (redis-restart).
 *
 * Output: progress on stderr; a table per attack on stdout, then one JSON object as the last
 * line: { event: 'hostile', ok, settings, attacks: { <name>: { title, seconds, skipped, error,
 * notes, table, cases: [{ attack, case, server, serverLabel, reused, rss: { baselineMB, peakMB,
 * growthMB, finalMB, ceilingHit, ceilingAtSeconds, lost, exited, seriesMB } | null, error,
 * ...figures }] } }, skipped, errors, files, seconds, loadAverage: { start, end }, machine }.
 * The same JSON goes to <out>/hostile.json and the tables to <out>/hostile.md. `ok`: every attack ran and no case
 * failed to run (a server the attack killed is a figure, not a failure). Exit 0 once written
 * (1 on an internal error, 2 naming a bad flag). Loopback only; every attack has a hard time
 * limit; every process started is ended on the way out (also on Ctrl-C).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { raiseOpenFiles } from './lib/limits.ts';
import { ArgReader } from './lib/options.ts';
import { superviseScript } from './lib/processes.ts';
import { finish, machineInfo, markdownTable, progressLog, textTable } from './lib/report.ts';
import { ATTACKS, KINDS, type Attack, type AttackContext, type AttackName, type AttackOutput, type CaseResult, type Settings } from './hostile/attack.ts';
import { deflateFlood } from './hostile/attacks/deflate-flood.ts';
import { floodFairness } from './hostile/attacks/flood-fairness.ts';
import { handoffBurst } from './hostile/attacks/handoff-burst.ts';
import { garbageHead, strictness } from './hostile/attacks/http-answers.ts';
import { pingFlood } from './hostile/attacks/ping-flood.ts';
import { pushFlood } from './hostile/attacks/push-flood.ts';
import { redisRestart } from './hostile/attacks/redis-restart.ts';
import { slowHttp } from './hostile/attacks/slow-http.ts';
import { ClientPool } from './hostile/pool.ts';
import { Servers, type ServerKind } from './hostile/servers.ts';

const NAME = 'hostile';
const USAGE = `usage: npm run hostile -- [--only ${ATTACKS.join(',')}] [--servers switchyard,ws] [--duration 5] [--quick] [--out bench]
  [--rss-ceiling-mb 3000] [--workers 2] [--redis URL] [--slow-sockets 500] [--slow-seconds 40] [--pushes 1000000]
  [--upgrades 12000] [--in-flight 400] [--connect-deadline-ms 10000] [--answer-deadline-ms 15000] [--after 2]
  (see the header of scripts/hostile.ts)`;

const MODULES: Record<AttackName, Attack> = {
  'deflate-flood': deflateFlood,
  'ping-flood': pingFlood,
  'push-flood': pushFlood,
  'handoff-burst': handoffBurst,
  'redis-restart': redisRestart,
  'slow-http': slowHttp,
  'garbage-head': garbageHead,
  'flood-fairness': floodFairness,
  strictness,
};

// ---- settings ---------------------------------------------------------------------------------

const args = new ArgReader(NAME, USAGE, {
  only: { type: 'string' },
  servers: { type: 'string' },
  out: { type: 'string' },
  redis: { type: 'string' },
  after: { type: 'string' },
  'rss-ceiling-mb': { type: 'string' },
  'slow-sockets': { type: 'string' },
  'slow-seconds': { type: 'string' },
  pushes: { type: 'string' },
  upgrades: { type: 'string' },
  'in-flight': { type: 'string' },
  'connect-deadline-ms': { type: 'string' },
  'answer-deadline-ms': { type: 'string' },
});
for (const flag of ['port', 'host', 'pin']) if (args.values[flag] !== undefined) args.problems.push(`--${flag}: hostile starts its own servers (a fresh one per case), on loopback, unpinned`);
const quick = args.flag('quick');
const only = (args.values.only === undefined ? [...ATTACKS] : args.string('only', '').split(',').map((x) => x.trim())) as AttackName[];
for (const name of only) if (!ATTACKS.includes(name)) args.problems.push(`--only ${name}: expected attacks among ${ATTACKS.join(', ')}`);
const kinds = args.string('servers', KINDS.join(',')).split(',').map((x) => x.trim()) as ServerKind[];
for (const k of kinds) if (!KINDS.includes(k)) args.problems.push(`--servers ${k}: expected ${KINDS.join(' and/or ')}`);
const s: Settings = {
  duration: args.number('duration', quick ? 1 : 5, 0.5, 120, true),
  quick,
  only: ATTACKS.filter((a) => only.includes(a)),
  servers: KINDS.filter((k) => kinds.includes(k)),
  out: resolve(args.string('out', 'bench')),
  rssCeilingMb: args.number('rss-ceiling-mb', 3000, 100, 20_000),
  workers: args.number('workers', 2, 1, 16),
  afterSeconds: args.number('after', quick ? 0.5 : 2, 0, 60, true),
  slowSockets: args.number('slow-sockets', quick ? 20 : 500, 1, 5000),
  slowSeconds: args.number('slow-seconds', quick ? 2 : 40, 1, 600, true),
  pushes: args.number('pushes', quick ? 20_000 : 1_000_000, 1, 10_000_000),
  upgrades: args.number('upgrades', quick ? 300 : 12_000, 1, 50_000),
  upgradesInFlight: args.number('in-flight', quick ? 50 : 400, 2, 4000),
  connectDeadlineMs: args.number('connect-deadline-ms', quick ? 3000 : 10_000, 100, 60_000),
  answerDeadlineMs: args.number('answer-deadline-ms', quick ? 2000 : 15_000, 100, 120_000),
  redisUrl: args.string('redis', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
};
if (s.only.length === 0) args.problems.push('--only: no attack selected');
if (s.servers.length === 0) args.problems.push('--servers: no server selected');
args.done();

const attacks = s.only.map((n) => MODULES[n]);
superviseScript(NAME, attacks.reduce((a, x) => a + x.limitSeconds(s), 0) + 120);
const log = progressLog();
// slow-http holds 2 × --slow-sockets in one client process; the servers inherit the limit too.
const files = raiseOpenFiles(2 * s.slowSockets + 1024);
if (files.problem) {
  process.stderr.write(`${NAME}: ${files.problem} (give fewer --slow-sockets)\n`);
  process.exit(2);
}

// ---- the attacks ------------------------------------------------------------------------------

interface AttackRecord extends Omit<AttackOutput, 'skipped'> {
  title: string;
  seconds: number;
  skipped: string | null;
  error: string | null;
}

function withLimit<T>(p: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after its limit of ${Math.round(seconds)} s`)), seconds * 1000)));
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** Client processes: as many as the attack with the most concurrent jobs uses (flood-fairness: 2 flooders, a probe, a connector). */
const POOL_SIZE = 4;
const t0 = performance.now();
/** The machine's load average at the start: other programs' load skews every figure. */
const loadAtStart = loadavg().map((x) => Math.round(x * 10) / 10);
let pool = new ClientPool(POOL_SIZE);
const servers = new Servers(s.quick);
// Measured runs start every client process before the first attack; the smoke run lets them
// start while its servers do (jobs wait for their process).
if (s.quick) void pool.warm().catch(() => {});
else await pool.warm();
const records: Partial<Record<AttackName, AttackRecord>> = {};

async function runAttack(attack: Attack): Promise<void> {
  log(`== ${attack.name}: ${attack.title}`);
  const started = performance.now();
  const ctx: AttackContext = { s, log, pool, servers };
  const record: AttackRecord = { title: attack.title, seconds: 0, skipped: null, error: null, cases: [], table: [], notes: [] };
  try {
    const out = await withLimit(attack.run(ctx), attack.limitSeconds(s));
    Object.assign(record, out, { skipped: out.skipped ?? null });
    if (record.skipped) log(`!! ${attack.name} SKIPPED: ${record.skipped}`);
  } catch (err) {
    record.error = (err as Error).stack ?? (err as Error).message;
    log(`${attack.name} failed: ${record.error}`);
    if (!s.quick) {
      // Whatever it left running goes: its servers, and its clients (a fresh pool).
      await servers.stopAll();
      pool.close();
      pool = new ClientPool(POOL_SIZE);
      await pool.warm();
    }
  }
  record.seconds = Math.round((performance.now() - started) / 100) / 10;
  records[attack.name] = record;
}

// Measured runs: one attack at a time. The smoke run: all at once (its figures mean nothing;
// most of its time is waiting: deadlines, trickles, the Redis windows).
if (s.quick) await Promise.all(attacks.map(runAttack));
else for (const attack of attacks) await runAttack(attack);
await servers.stopAll();
pool.close();

// ---- result -----------------------------------------------------------------------------------

const all = Object.values(records);
const caseErrors = all.flatMap((r) => r!.cases.filter((c: CaseResult) => c.error !== null).map((c: CaseResult) => `${c.attack} ${c.case} (${c.server}): ${c.error}`));
const errors = [...s.only.flatMap((n) => (records[n]?.error ? [`${n}: ${records[n]!.error!.split('\n')[0]}`] : [])), ...caseErrors];
const skipped = s.only.flatMap((n) => (records[n]?.skipped ? [`${n}: ${records[n]!.skipped}`] : []));
const machine = machineInfo('off');
const sections = s.only.map((n) => ({ n, r: records[n]! }));
const text = sections.map(({ n, r }) => {
  const head = `== ${n}: ${r.title} (${r.seconds} s)`;
  if (r.skipped) return `${head}\nSKIPPED: ${r.skipped}`;
  if (r.error) return `${head}\nERROR: ${r.error.split('\n')[0]}`;
  return [head, textTable(r.table), ...r.notes.map((x) => `  ${x}`)].join('\n');
});
const summary = [...text, ...skipped.map((x) => `skipped: ${x}`), ...errors.map((e) => `error: ${e}`), quick ? 'quick run: servers shared, attacks run at once: figures are not measurements' : ''].filter(Boolean).join('\n\n');

mkdirSync(s.out, { recursive: true });
const filesOut = { json: join(s.out, 'hostile.json'), md: join(s.out, 'hostile.md') };
const result = {
  event: 'hostile',
  ok: errors.length === 0,
  settings: s,
  attacks: Object.fromEntries(s.only.map((n) => [n, records[n]])),
  skipped,
  errors,
  files: filesOut,
  seconds: Math.round((performance.now() - t0) / 1000),
  loadAverage: { start: loadAtStart, end: loadavg().map((x) => Math.round(x * 10) / 10) },
  machine,
};
const md = [
  `# npm run hostile${quick ? ' --quick' : ''}`,
  `${machine.date}, commit ${machine.commit}, ${machine.cpuModel} (${machine.cpus} cores, load average ${loadAtStart[0]} at the start, ${result.loadAverage.end[0]} at the end), Node ${machine.node}, ws ${machine.ws}. Each case ${s.duration} s; RSS ceiling ${s.rssCeilingMb} MB.`,
  ...sections.map(({ n, r }) => [`## ${n}: ${r.title}`, r.skipped ? `Skipped: ${r.skipped}` : r.error ? `Error: ${r.error.split('\n')[0]}` : markdownTable(r.table), ...r.notes.map((x) => `- ${x}`)].join('\n\n')),
].join('\n\n');
writeFileSync(filesOut.json, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(filesOut.md, `${md}\n`);
finish(summary, result, 0);
