/**
 * What starting, supervising and idling cost, as users run the server:
 *   npm run bench:start -- [--repeats 5] [--settle-ms 2000] [--out bench] [--quick]
 *
 * Servers, each with 2 workers on port 0, taking turns (the order rotates every repeat):
 *   switchyard   node dist/cli.js: the compiled `switchyard` bin, as a container runs it
 *   npm-start    npm start: the same behind npm (npm's own process counts in RSS)
 *   tsx-src      node --max-semi-space-size=1 --import tsx src/cli.ts: how `npm start` ran
 *                before the package was compiled (tsx in every process)
 *   ws-cluster   ws's echo under node:cluster (scripts/peers/ws-cluster.ts, compiled by tsc
 *                to bench/tmp for the run: no tsx in its processes either)
 * For each: spawn to the "listening" line (ms); RSS of the whole process tree (master, workers,
 * npm if any) --settle-ms after listening, idle; and, for Switchyard (ws-cluster does not
 * supervise), kill -9 of worker 0 to the master's worker-up line for its replacement: from then
 * the master hands it connections. Medians over repeats. Prints a table, then one JSON object
 * as its last line; writes <out>/start.json.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JsonLog, type LogEntry } from './lib/json-log.ts';
import { treeRssBytes } from './lib/memory.ts';
import { launch, ROOT, serverEnv, sleep, stopGroup, superviseScript, tailOf, until } from './lib/processes.ts';
import { machineInfo, median, round, textTable } from './lib/report.ts';
import { buildCli, SWITCHYARD_CLI } from './lib/switchyard.ts';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '5' },
    'settle-ms': { type: 'string', default: '2000' },
    out: { type: 'string', default: 'bench' },
    quick: { type: 'boolean', default: false },
  },
});
const repeats = values.quick ? 1 : Number(values.repeats);
const settleMs = values.quick ? 300 : Number(values['settle-ms']);
superviseScript('bench:start', 60 + repeats * 120);

const PEERS = join(ROOT, 'bench/tmp/peers');
const ARGS = ['--port', '0', '--workers', '2'];
interface Server {
  id: string;
  label: string;
  command: string;
  args: string[];
  supervises: boolean;
}
const SERVERS: Server[] = [
  { id: 'switchyard', label: 'switchyard bin (node dist/cli.js)', command: process.execPath, args: [SWITCHYARD_CLI, ...ARGS], supervises: true },
  { id: 'npm-start', label: 'npm start (npm + node dist/cli.js)', command: 'npm', args: ['start', '--silent', '--', ...ARGS], supervises: true },
  { id: 'tsx-src', label: 'before: node --import tsx src/cli.ts', command: process.execPath, args: ['--max-semi-space-size=1', '--import', 'tsx', 'src/cli.ts', ...ARGS], supervises: true },
  { id: 'ws-cluster', label: 'ws under node:cluster (compiled)', command: process.execPath, args: [join(PEERS, 'ws-cluster.js'), ...ARGS], supervises: false },
];

/** scripts/peers compiled to plain JavaScript, so the peer runs without tsx as Switchyard does. */
function compilePeers(): void {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const flags = ['--ignoreConfig', '--outDir', PEERS, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--rewriteRelativeImportExtensions', '--allowImportingTsExtensions', '--skipLibCheck', '--types', 'node', '--rootDir', 'scripts/peers'];
  const r = spawnSync(process.execPath, [tsc, ...flags, 'scripts/peers/ws-cluster.ts', 'scripts/peers/ws-single.ts'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot compile the ws peer:\n${r.stdout}${r.stderr}`);
  // Beside the compiled files: `ws` resolves from the repository's node_modules (bench/tmp is inside it).
  writeFileSync(join(PEERS, 'package.json'), '{"type":"module"}\n');
}

interface Run {
  startMs: number;
  rssMb: number;
  respawnMs: number | null;
}

async function once(s: Server): Promise<Run> {
  const t0 = process.hrtime.bigint();
  const child: ChildProcess = launch(s.command, s.args, { group: true, env: serverEnv() });
  const tail = tailOf(child);
  const log = new JsonLog(child.stdout!);
  const find = (pred: (e: LogEntry) => boolean) => log.find(pred);
  try {
    await until(() => find((e) => e.event === 'listening') !== undefined || child.exitCode !== null, 60_000, `${s.id} to listen`);
    const listening = find((e) => e.event === 'listening');
    if (!listening) throw new Error(`${s.id} exited before listening:\n${tail()}`);
    const startMs = Number(listening.at - t0) / 1e6;
    await sleep(settleMs);
    const rssMb = treeRssBytes(child.pid!) / 1048576;
    let respawnMs: number | null = null;
    if (s.supervises) {
      const victim = find((e) => e.event === 'worker-up' && e.slot === 0)!.e.workerPid as number;
      const k0 = process.hrtime.bigint();
      process.kill(victim, 'SIGKILL');
      await until(() => find((e) => e.event === 'worker-up' && e.slot === 0 && e.workerPid !== victim) !== undefined, 30_000, `${s.id}: worker 0 back`);
      respawnMs = Number(find((e) => e.event === 'worker-up' && e.slot === 0 && e.workerPid !== victim)!.at - k0) / 1e6;
    }
    return { startMs: round(startMs, 1), rssMb: round(rssMb, 1), respawnMs: respawnMs === null ? null : round(respawnMs, 1) };
  } finally {
    await stopGroup(child);
  }
}

buildCli();
compilePeers();
const runs: Record<string, Run[]> = Object.fromEntries(SERVERS.map((s) => [s.id, []]));
for (let r = 0; r < repeats; r++) {
  const order = SERVERS.map((_, i) => SERVERS[(i + r) % SERVERS.length]!);
  for (const s of order) {
    const run = await once(s);
    runs[s.id]!.push(run);
    process.stderr.write(`repeat ${r + 1}/${repeats} ${s.id}: start ${run.startMs} ms, RSS ${run.rssMb} MB, respawn ${run.respawnMs ?? 'n/a'} ms\n`);
  }
}
const med = (xs: Array<number | null>): number | null => {
  const m = median(xs.filter((x): x is number => x !== null));
  return m === null ? null : round(m, 1);
};
const summary = SERVERS.map((s) => ({
  id: s.id,
  label: s.label,
  startMs: med(runs[s.id]!.map((x) => x.startMs)),
  rssMb: med(runs[s.id]!.map((x) => x.rssMb)),
  respawnMs: med(runs[s.id]!.map((x) => x.respawnMs)),
  runs: runs[s.id],
}));
const targets = { startMs: 600, respawnMs: 300, rssMb: 150 };
const result = { repeats, settleMs, workers: 2, targets, servers: summary, machine: machineInfo('none') };
const fmt = (x: number | null, unit: string) => (x === null ? 'n/a' : `${x} ${unit}`);
process.stdout.write(
  `${textTable([
    ['server', 'start to listening', 'respawn after kill -9', 'RSS, master + 2 idle workers'],
    ...summary.map((s) => [s.label, fmt(s.startMs, 'ms'), fmt(s.respawnMs, 'ms'), fmt(s.rssMb, 'MB')]),
  ])}\n`,
);
const out = resolve(ROOT, values.out!);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'start.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result)}\n`);
