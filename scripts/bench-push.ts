/**
 * Push throughput and latency, same worker vs across workers (embedded bus) vs across nodes
 * (Redis bus), in one run:
 *   npm run bench:push -- [--repeats 3] [--size 64] [--rate 20000] [--targets 4] [--quick]
 *                         [--out bench] [--redis URL | --no-redis] [--only a,b] [--cpu-prof DIR] [--bus-secret]
 *
 * Scenarios (the server runs scripts/apps/bench-app.ts; round-robin dispatch places clients):
 *   same-worker   driver and targets on worker 0 of a 2-worker node
 *   cross-worker  driver on worker 0, targets on worker 1 of the same node: the embedded bus
 *   cross-node    driver on node A, targets on node B (two 1-worker nodes, one --cluster-name,
 *                 one Redis): the Redis bus. Skipped with a notice when Redis does not answer.
 *   cross-node-signed  with --bus-secret: as cross-node, on a second pair of nodes sharing a
 *                 random bus secret (every message signed and checked): the MAC's cost, in the
 *                 same run as the unsigned figure.
 * For each, per repeat (scenario order rotated every repeat, figures are medians over repeats):
 *   throughput    the driver's worker pushes N messages (N sized for ~2.5 s by a first,
 *                 calibrating run) as fast as it can, round-robin over --targets connections,
 *                 with a window of unacknowledged messages per target (targets ack every
 *                 window/8 messages) so nothing is dropped at a slow reader; pushes/s delivered
 *                 = N / (last arrival - first push).
 *   latency       --rate pushes/s to one target for --latency-seconds: one-way latency from the
 *                 push() call to arrival (both stamped with CLOCK_MONOTONIC, shared by all
 *                 processes), p50/p99/p99.9/max.
 * Receivers (raw sockets in this process) check every message arrives once and in order.
 * Targets of the issue: cross-worker throughput at least half the same-worker one (a
 * cross-worker push costs no more than 2x), cross-worker p99 under 5 ms at 20,000 pushes/s.
 *
 * Progress on stderr; the table, then one JSON object (the last line) on stdout; every run in
 * <out>/push.json. Loopback only; bounded in count and time; every process started is killed
 * on the way out (also on error and SIGINT), and the Redis keys of the run's cluster deleted.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { BenchClient, clientsOn } from './lib/bench-client.ts';
import { machineBusy } from './lib/cpu.ts';
import { ArgReader } from './lib/options.ts';
import { atAbort, isAborting, ROOT, stopGroup, superviseScript } from './lib/processes.ts';
import { measure, windowFor, type Placement } from './lib/push-bench-run.ts';
import { SCENARIOS, summarize, type ScenarioId, type ScenarioRun } from './lib/push-bench-summary.ts';
import { deleteKeys, redisClient } from './lib/redis.ts';
import { fmtMs, fmtRate, machineInfo, progressLog, round } from './lib/report.ts';
import { startServer, SWITCHYARD_CLI, type ServerProcess } from './lib/switchyard.ts';

const NAME = 'bench-push';
const APP = 'scripts/apps/bench-app.ts';
const USAGE = `npm run bench:push -- [--repeats 3] [--size 64] [--rate 20000] [--targets 4] [--latency-seconds 3] [--quick]
                      [--out bench] [--redis URL | --no-redis] [--only ${SCENARIOS.map((x) => x.id).join(',')}] [--cpu-prof DIR] [--bus-secret]`;

// ---- settings

const args = new ArgReader(NAME, USAGE, {
  repeats: { type: 'string' },
  size: { type: 'string' },
  rate: { type: 'string' },
  targets: { type: 'string' },
  'latency-seconds': { type: 'string' },
  out: { type: 'string' },
  redis: { type: 'string' },
  'no-redis': { type: 'boolean' },
  only: { type: 'string' },
  'cpu-prof': { type: 'string' },
  'bus-secret': { type: 'boolean' },
});
for (const flag of ['port', 'host', 'workers', 'duration', 'pin']) if (args.values[flag] !== undefined) args.problems.push(`--${flag}: bench:push starts its own nodes (see --help)`);
const quick = args.flag('quick');
const busSecret = args.flag('bus-secret');
const defaultScenarios = SCENARIOS.map((x) => x.id).filter((id) => busSecret || id !== 'cross-node-signed');
const only = args.string('only', defaultScenarios.join(',')).split(',') as ScenarioId[];
for (const id of only) if (!SCENARIOS.some((x) => x.id === id)) args.problems.push(`--only ${id}: expected ${SCENARIOS.map((x) => x.id).join(', ')}`);
const cpuProf = args.string('cpu-prof', '');
const s = {
  repeats: args.number('repeats', quick ? 1 : 3, 1, 15),
  size: args.number('size', 64, 16, 65536),
  rate: args.number('rate', 20_000, 100, 200_000),
  targets: args.number('targets', quick ? 2 : 4, 1, 16),
  latencySeconds: args.number('latency-seconds', quick ? 0.5 : 3, 0.2, 30, true),
  throughputSeconds: 2.5,
  /** Messages of the calibrating run (null: no calibration, `fixedCount` messages). */
  calibrateCount: quick ? null : 100_000,
  fixedCount: 20_000,
  quick,
  out: resolve(args.string('out', join(ROOT, 'bench'))),
  redis: args.flag('no-redis') ? null : args.string('redis', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
  only,
  cpuProf: cpuProf === '' ? null : resolve(cpuProf),
};
args.done();
// A hard ceiling far above the expected length: the run stops by itself.
superviseScript(NAME, 90 + s.repeats * 3 * (30 + 2 * s.latencySeconds));
const progress = progressLog();

/** A node of the cluster under test, in its own process group, running bench-app. */
function startNode(label: string, nodeArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const prof = s.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${s.cpuProf}`] : [];
  // Without SWITCHYARD_NODE_ARGS, as bench:push has always measured (figures stay comparable).
  const argv = [...prof, SWITCHYARD_CLI, '--port', '0', '--app', APP, '--log-level', 'warn', ...nodeArgs];
  return startServer(label, argv, { readyEvent: 'bench-app-listening', env });
}

// ---- main

async function main(): Promise<number> {
  const startedAt = performance.now();
  if (s.cpuProf) mkdirSync(s.cpuProf, { recursive: true });
  const backgroundBusy = await machineBusy(1000);
  if (backgroundBusy !== null && backgroundBusy > 15) progress(`WARNING: the machine is ${backgroundBusy}% busy before we start: figures will be low and noisy`);

  const skipped: string[] = [];
  const scenarios = SCENARIOS.filter((x) => s.only.includes(x.id));
  let redis: Redis | null = null;
  let forgetCleanup = (): void => {};
  const clusterName = `sy-bench-push-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(32).toString('hex');
  const signedCluster = `${clusterName}-signed`;
  if (scenarios.some((x) => x.id === 'cross-node' || x.id === 'cross-node-signed')) {
    redis = s.redis === null ? null : await redisClient(s.redis);
    if (redis === null) {
      const why = s.redis === null ? 'cross-node skipped: --no-redis' : `cross-node skipped: no Redis answering PING at ${s.redis}`;
      skipped.push(why);
      progress(`NOTICE: ${why}`);
    } else {
      const client = redis;
      forgetCleanup = atAbort(async () => {
        await deleteKeys(client, clusterName);
        await deleteKeys(client, signedCluster);
      });
    }
  }
  const active = scenarios.filter((x) => (x.id !== 'cross-node' && x.id !== 'cross-node-signed') || redis !== null);

  const nodes: ServerProcess[] = [];
  const clients: BenchClient[] = [];
  const placements = new Map<ScenarioId, { throughput: Placement; latency: Placement }>();
  const runs: ScenarioRun[] = [];
  const counts = new Map<ScenarioId, number>();
  try {
    if (active.some((x) => x.id !== 'cross-node')) {
      progress('starting a node with 2 workers (round-robin dispatch)');
      const node = await startNode('node (2 workers)', ['--workers', '2', '--dispatch-mode', '1']);
      nodes.push(node);
      const spare: BenchClient[] = [];
      const [driver] = await clientsOn(node.port, 0, 1, spare);
      const onW0 = await clientsOn(node.port, 0, s.targets, spare);
      const onW1 = await clientsOn(node.port, 1, s.targets, spare);
      clients.push(driver!, ...onW0, ...onW1, ...spare);
      const place = (targets: BenchClient[]): Placement => ({ driver: driver!, targets, pids: { driver: driver!.hello.pid, target: targets[0]!.hello.pid, redis: null } });
      placements.set('same-worker', { throughput: place(onW0), latency: place(onW0.slice(0, 1)) });
      placements.set('cross-worker', { throughput: place(onW1), latency: place(onW1.slice(0, 1)) });
    }
    for (const id of ['cross-node', 'cross-node-signed'] as const) {
      if (redis === null || !active.some((x) => x.id === id)) continue;
      const signed = id === 'cross-node-signed';
      const name = signed ? signedCluster : clusterName;
      progress(`starting two 1-worker nodes over Redis ${s.redis} (cluster ${name}${signed ? ', a random --bus-secret' : ''})`);
      const nodeArgs = ['--workers', '1', '--redis', s.redis!, '--cluster-name', name];
      // The secret by environment, as it should be given (never on a command line).
      const env = signed ? { SWITCHYARD_BUS_SECRET: secret } : {};
      const a = await startNode(`node A (Redis${signed ? ', signed' : ''})`, nodeArgs, env);
      nodes.push(a);
      const b = await startNode(`node B (Redis${signed ? ', signed' : ''})`, nodeArgs, env);
      nodes.push(b);
      const driver = await BenchClient.open(a.port);
      const targets: BenchClient[] = [];
      for (let i = 0; i < s.targets; i++) targets.push(await BenchClient.open(b.port));
      clients.push(driver, ...targets);
      if (driver.hello.node === targets[0]!.hello.node) throw new Error(`nodes A and B got the same node id ${driver.hello.node}`);
      const info = await redis.info('server');
      const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1] ?? NaN);
      const place = (t: BenchClient[]): Placement => ({ driver, targets: t, pids: { driver: driver.hello.pid, target: t[0]!.hello.pid, redis: Number.isFinite(redisPid) ? redisPid : null } });
      placements.set(id, { throughput: place(targets), latency: place(targets.slice(0, 1)) });
    }

    // Warm-up (the JIT: a cold run is several times slower), then a calibrating run of
    // ~0.5 s sizes N for ~throughputSeconds. Neither is measured.
    for (const sc of active) {
      const p = placements.get(sc.id)!;
      const warm = await measure(p.throughput, s.calibrateCount ?? 5000, 0, s.size, false);
      if (warm.error) throw new Error(`${sc.id} warm-up: ${warm.error}`);
      if (s.calibrateCount === null) {
        counts.set(sc.id, s.fixedCount);
        continue;
      }
      const cal = await measure(p.throughput, Math.max(20_000, Math.round(warm.pushesPerSecond / 2)), 0, s.size, false);
      if (cal.error) throw new Error(`${sc.id} calibration: ${cal.error}`);
      const n = Math.max(20_000, Math.min(8_000_000, Math.round((cal.pushesPerSecond * s.throughputSeconds) / 1000) * 1000));
      counts.set(sc.id, n);
      progress(`${sc.id}: calibration ${fmtRate(cal.pushesPerSecond)} pushes/s -> ${n} messages per throughput run`);
    }

    for (let repeat = 0; repeat < s.repeats; repeat++) {
      const order = active.map((_, i) => active[(i + repeat) % active.length]!);
      progress(`repeat ${repeat + 1}/${s.repeats}: ${order.map((o) => o.id).join(', ')}`);
      for (const sc of order) {
        if (isAborting()) return 130;
        const p = placements.get(sc.id)!;
        const throughput = await measure(p.throughput, counts.get(sc.id)!, 0, s.size, false);
        const latencyCount = Math.round(s.rate * s.latencySeconds);
        const latency = await measure(p.latency, latencyCount, s.rate, s.size, true);
        runs.push({ scenario: sc.id, repeat, throughput, latency });
        const l = latency.latencyMs;
        progress(
          `  ${sc.id.padEnd(12)} ${fmtRate(throughput.pushesPerSecond)} pushes/s (cpu driver ${throughput.cpuPercent.driver}% target ${throughput.cpuPercent.target}% bench ${throughput.cpuPercent.bench}%` +
            `${throughput.cpuPercent.redis === null ? '' : ` redis ${throughput.cpuPercent.redis}%`}, machine ${throughput.cpuPercent.machine}% busy)` +
            ` | at ${s.rate}/s p50 ${fmtMs(l?.p50 ?? null, 3)} p99 ${fmtMs(l?.p99 ?? null, 3)} p99.9 ${fmtMs(l?.p999 ?? null, 3)} ms` +
            (throughput.error || latency.error ? ` | ERROR ${throughput.error ?? ''} ${latency.error ?? ''}` : ''),
        );
      }
    }
  } finally {
    for (const c of clients) c.close();
    progress('stopping the nodes');
    await Promise.all(nodes.map((n) => stopGroup(n.child)));
    if (redis !== null) {
      const deleted = (await deleteKeys(redis, clusterName).catch(() => -1)) + (await deleteKeys(redis, signedCluster).catch(() => 0));
      progress(`deleted ${deleted} Redis key(s) of ${clusterName}`);
      forgetCleanup();
      redis.disconnect();
    }
  }

  // ---- summary
  const { medians, ratios, targets, table, targetLines, how } = summarize(runs, active, s);
  const errors = runs.flatMap((r) =>
    (['throughput', 'latency'] as const).filter((k) => r[k].error !== null).map((k) => `${r.scenario}#${r.repeat + 1} ${k}: ${r[k].error}`),
  );
  const durationSeconds = round((performance.now() - startedAt) / 1000, 1);
  const settings = { repeats: s.repeats, size: s.size, rate: s.rate, targets: s.targets, window: windowFor(s.size), latencySeconds: s.latencySeconds, throughputCounts: Object.fromEntries(counts), quick: s.quick, redis: s.redis, only: s.only, busSecret };

  mkdirSync(s.out, { recursive: true });
  const jsonPath = join(s.out, 'push.json');
  const machine = { ...machineInfo('none'), backgroundBusyPercentBeforeRun: backgroundBusy };
  writeFileSync(jsonPath, `${JSON.stringify({ machine, settings, how, medians, ratios, targets, skipped, errors, durationSeconds, runs }, null, 2)}\n`);

  const out = process.stdout;
  out.write(`\n${how}\n\n${table}\n\n${targetLines.join('\n')}\n`);
  for (const line of skipped) out.write(`NOTICE: ${line}\n`);
  if (backgroundBusy !== null && backgroundBusy > 15) out.write(`WARNING: the machine was ${backgroundBusy}% busy before the run (other processes): figures are low and noisy\n`);
  if (errors.length) out.write(`${errors.length} run(s) failed:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
  out.write(`wrote ${relative(process.cwd(), jsonPath) || jsonPath} in ${durationSeconds} s\n`);
  const last = { event: 'bench-push', ok: errors.length === 0, backgroundBusyPercentBeforeRun: backgroundBusy, settings, medians, ratios, targets, skipped, errors, durationSeconds, files: { json: jsonPath } };
  out.write(`${JSON.stringify(last)}\n`);
  return errors.length === 0 ? 0 : 1;
}

const code = await main().catch((err: Error) => {
  process.stderr.write(`${NAME}: failed: ${err.stack ?? err.message}\n`);
  return 1;
});
if (!isAborting()) process.stdout.write('', () => process.exit(code));
