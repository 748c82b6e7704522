/**
 * Cross-node push throughput on a 3-master Redis Cluster against a standalone Redis, in one run,
 * with Redis's CPU per message:
 *   npm run bench:redis-cluster -- [--repeats 3] [--batch 8000] [--batches 5] [--quick] [--out bench]
 *
 * Both Redis setups are private (scripts/lib/redis.ts, scripts/lib/redis-cluster.ts: 6
 * redis-server processes, 3 masters + 3 replicas), never the shared one. On each, two 1-worker
 * Switchyard nodes (test/fixtures/cluster-app.ts); a client of node A asks its worker to push
 * --batch 64-byte-ish messages in one loop to a client of node B (`flood`: every publish of the
 * loop leaves auto-pipelined), --batches times per repeat; the setups alternate every repeat.
 *   pushes/s     messages delivered / (last arrival - the flood's command sent), per batch; the
 *                figure is the median over batches and repeats
 *   Redis CPU    per delivered message, two ways over every redis-server of the setup (the
 *                cluster's replicas included: sharded messages are propagated to them):
 *                INFO commandstats (the usec Redis spent executing commands) and the processes'
 *                utime+stime from /proc (execution plus networking)
 * Progress on stderr; a table, then one JSON object (the last line) on stdout; everything in
 * <out>/redis-cluster.json (--quick: a temporary directory unless --out is given). Loopback only;
 * bounded in count and time; every process started is ended on the way out.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { atAbort, ROOT, stopGroup, superviseScript } from './lib/processes.ts';
import { PrivateRedis } from './lib/redis.ts';
import { PrivateRedisCluster } from './lib/redis-cluster.ts';
import { machineInfo, median, progressLog, round, textTable, finish } from './lib/report.ts';
import { startServer, SWITCHYARD_CLI, type ServerProcess } from './lib/switchyard.ts';

const { values } = parseArgs({ options: { repeats: { type: 'string' }, batch: { type: 'string' }, batches: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } } });
const quick = values.quick ?? false;
const repeats = Math.min(15, Math.max(1, Number(values.repeats ?? (quick ? 1 : 3))));
const batch = Math.min(11_000, Math.max(100, Number(values.batch ?? (quick ? 2000 : 8000)))); // under the 32 MiB publish budget (~12k)
const batches = Math.min(50, Math.max(1, Number(values.batches ?? (quick ? 2 : 5))));
const outDir = resolve(values.out ?? (quick ? mkdtempSync(join(tmpdir(), 'sy-bench-rcluster-')) : join(ROOT, 'bench')));
const progress = progressLog();
superviseScript('bench-redis-cluster', 600);

interface Client {
  ws: WebSocket;
  fd: number;
  arrivals: Array<{ at: number; text: string }>;
}

function connect(port: number): Promise<Client> {
  return new Promise((res, rej) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    const arrivals: Client['arrivals'] = [];
    ws.once('error', rej);
    ws.once('message', (d: Buffer) => {
      const fd = (JSON.parse(d.toString()) as { fd: number }).fd;
      ws.on('message', (m: Buffer) => arrivals.push({ at: performance.now(), text: m.toString() }));
      res({ ws, fd, arrivals });
    });
  });
}

/** Sum over the servers: commandstats usec and process CPU (ms). */
async function redisCpu(ports: number[]): Promise<{ commandUsec: number; processMs: number; byCommand: Map<string, number> }> {
  let commandUsec = 0;
  let processMs = 0;
  const byCommand = new Map<string, number>();
  for (const port of ports) {
    const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      const stats = await r.info('commandstats');
      for (const m of stats.matchAll(/^cmdstat_([^:]+):.*?usec=(\d+)/gm)) {
        commandUsec += Number(m[2]);
        byCommand.set(m[1]!, (byCommand.get(m[1]!) ?? 0) + Number(m[2]));
      }
      const pid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      processMs += ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks (100/s)
    } finally {
      r.disconnect();
    }
  }
  return { commandUsec, processMs, byCommand };
}

interface Setup {
  id: 'standalone' | 'cluster';
  redis: string;
  ports: number[];
  nodes: ServerProcess[];
  sender: Client;
  receiver: Client;
  rates: number[];
  commandUsPerMsg: number[];
  processUsPerMsg: number[];
  /** Command usec per delivered message, by command, summed over the floods. */
  byCommand: Map<string, number>;
  delivered: number;
}

async function startSetup(id: Setup['id'], redis: string, ports: number[]): Promise<Setup> {
  const name = `bench-rc-${id}-${process.pid}`;
  const args = [SWITCHYARD_CLI, '--port', '0', '--workers', '1', '--app', 'test/fixtures/cluster-app.ts', '--redis', redis, '--cluster-name', name, '--log-level', 'warn'];
  const nodes = await Promise.all([startServer(`${id} A`, args), startServer(`${id} B`, args)]);
  const [sender, receiver] = await Promise.all([connect(nodes[0]!.port), connect(nodes[1]!.port)]);
  return { id, redis, ports, nodes, sender, receiver, rates: [], commandUsPerMsg: [], processUsPerMsg: [], byCommand: new Map(), delivered: 0 };
}

/** One flood of `batch` pushes from A's worker to B's client; delivered/s, and Redis CPU per delivered message. */
async function flood(s: Setup, tag: string): Promise<void> {
  const before = await redisCpu(s.ports);
  const from = s.receiver.arrivals.length;
  const t0 = performance.now();
  s.sender.ws.send(JSON.stringify({ cmd: 'flood', fd: s.receiver.fd, n: batch, text: tag }));
  const deadline = Date.now() + 20_000;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const n = s.receiver.arrivals.length;
    if (n - from >= batch || Date.now() > deadline) break;
    if (n !== last) (last = n), (stableSince = Date.now());
    else if (Date.now() - stableSince > 1500) break; // nothing more is coming (refused: congested)
    await new Promise((r) => setTimeout(r, 5));
  }
  const got = s.receiver.arrivals.slice(from).filter((a) => a.text.startsWith(`${tag}:`));
  const after = await redisCpu(s.ports);
  if (got.length === 0) return;
  s.rates.push(got.length / ((got.at(-1)!.at - t0) / 1000));
  s.commandUsPerMsg.push((after.commandUsec - before.commandUsec) / got.length);
  s.processUsPerMsg.push(((after.processMs - before.processMs) * 1000) / got.length);
  s.delivered += got.length;
  for (const [cmd, usec] of after.byCommand) s.byCommand.set(cmd, (s.byCommand.get(cmd) ?? 0) + usec - (before.byCommand.get(cmd) ?? 0));
}

async function main(): Promise<void> {
  progress('starting a standalone redis-server and a 6-node Redis Cluster (3 masters)');
  const standalone = await PrivateRedis.create();
  const cluster = await PrivateRedisCluster.create();
  const setups: Setup[] = [];
  atAbort(async () => {
    for (const s of setups) for (const n of s.nodes) await stopGroup(n.child, 0);
    await standalone.kill();
    await cluster.stop();
  });
  try {
    setups.push(await startSetup('standalone', standalone.url, [standalone.port]));
    setups.push(await startSetup('cluster', cluster.seeds, cluster.ports));
    await new Promise((r) => setTimeout(r, 500));
    for (let r = 0; r < repeats; r++) {
      for (const s of r % 2 === 0 ? setups : [...setups].reverse()) {
        progress(`repeat ${r + 1}/${repeats}: ${s.id}, ${batches} floods of ${batch}`);
        for (let i = 0; i < batches; i++) await flood(s, `r${r}b${i}`);
      }
    }
  } finally {
    for (const s of setups) {
      s.sender.ws.close();
      s.receiver.ws.close();
      for (const n of s.nodes) await stopGroup(n.child, 2000);
    }
    await standalone.kill();
    await cluster.stop();
  }
  const figures = setups.map((s) => ({
    setup: s.id,
    pushesPerSecond: round(median(s.rates) ?? NaN, 0),
    redisCommandUsPerMessage: round(median(s.commandUsPerMsg) ?? NaN, 2),
    redisProcessUsPerMessage: round(median(s.processUsPerMsg) ?? NaN, 2),
    samples: s.rates.length,
    /** Where Redis's command time went, µs per delivered message (the five largest; the INFO calls of this script included). */
    commandUsPerMessageBy: Object.fromEntries([...s.byCommand].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([c, u]) => [c, round(u / Math.max(1, s.delivered), 3)])),
  }));
  const result = {
    event: 'bench-redis-cluster',
    ok: figures.every((f) => f.samples > 0),
    settings: { repeats, batch, batches, quick, redisServer: 'Debian redis-server 7.0, loopback, no persistence' },
    machine: machineInfo('none: servers, clients and Redis share the cores'),
    figures,
    runs: setups.map((s) => ({ setup: s.id, rates: s.rates.map((x) => round(x, 0)), commandUsPerMsg: s.commandUsPerMsg.map((x) => round(x, 2)), processUsPerMsg: s.processUsPerMsg.map((x) => round(x, 2)) })),
  };
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'redis-cluster.json');
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  const table = textTable([
    ['setup', 'pushes/s (median)', 'Redis command µs/msg', 'Redis process µs/msg'],
    ...figures.map((f) => [f.setup, String(f.pushesPerSecond), String(f.redisCommandUsPerMessage), String(f.redisProcessUsPerMessage)]),
  ]);
  finish(`${table}\nwrote ${json}`, { ...result, files: { json } }, result.ok ? 0 : 1);
}

await main();
