/**
 * What one metrics scrape costs, and that it does not grow with connections:
 *   npm run bench:metrics -- [--connections 10000] [--scrapes 30] [--out DIR] [--quick]
 *
 * Starts Switchyard (2 workers, a pid file), scrapes `Master.metrics()` through the control
 * socket --scrapes times with no connection, opens --connections WebSockets (raw handshakes from
 * this process, 256 at a time), scrapes again, and reports per scrape: wall time (median, p90),
 * the CPU the master and workers spent (their /proc ticks over all scrapes, divided), and the
 * exposition's size. In-process, the renderer alone: a two-worker node's exposition built from
 * its figures. A real run writes bench/metrics.json; --quick (the test suite's smoke run: 200
 * connections, 5 scrapes) writes only where --out says.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EMPTY_COUNTERS } from '../src/shared/cluster-messages.ts';
import { emptyWorkerMetrics, renderMetrics, type NodeMetrics } from '../src/shared/metrics/catalogue.ts';
import { processTicks, TICKS_PER_SECOND } from './lib/cpu.ts';
import { superviseScript } from './lib/processes.ts';
import { finish, machineInfo, progressLog, quantile, round, textTable } from './lib/report.ts';
import { startSwitchyard } from './lib/switchyard.ts';
import { openWebSocket } from './lib/upgrade.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string' },
    scrapes: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const connections = Number(values.connections ?? (quick ? 200 : 10_000));
const scrapes = Number(values.scrapes ?? (quick ? 5 : 30));
const out = values.out ?? (quick ? null : 'bench');
if (!Number.isInteger(connections) || connections < 1 || connections > 15_000 || !Number.isInteger(scrapes) || scrapes < 1 || scrapes > 1000) {
  process.stderr.write('bench:metrics: --connections 1-15000 and --scrapes 1-1000 (integers)\n');
  process.exit(2);
}
superviseScript('bench:metrics', 120);
const log = progressLog();

function scrapeOnce(pidFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(`${pidFile}.sock`);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('connect', () => socket.write('metrics\n'));
    socket.on('data', (s: string) => (text += s));
    socket.on('end', () => (text.startsWith('{') ? reject(new Error(text)) : resolve(text)));
    socket.on('error', reject);
  });
}

interface ScrapeFigures {
  connections: number;
  medianMs: number;
  p90Ms: number;
  cpuMsPerScrape: number;
  bytes: number;
}

async function measure(pidFile: string, pids: () => number[], held: number): Promise<ScrapeFigures> {
  for (let i = 0; i < 5; i++) await scrapeOnce(pidFile); // warm-up: the master's rendering code is cold at first
  const ticks = () => pids().reduce((n, p) => n + processTicks(p), 0);
  const times: number[] = [];
  let bytes = 0;
  const t0 = ticks();
  for (let i = 0; i < scrapes; i++) {
    const start = performance.now();
    bytes = (await scrapeOnce(pidFile)).length;
    times.push(performance.now() - start);
  }
  const cpuMs = ((ticks() - t0) / TICKS_PER_SECOND) * 1000;
  times.sort((a, b) => a - b);
  return { connections: held, medianMs: round(quantile(times, 0.5), 2), p90Ms: round(quantile(times, 0.9), 2), cpuMsPerScrape: round(cpuMs / scrapes, 2), bytes };
}

/** The renderer alone: a two-worker node, in this process. */
function renderCost(): { microsPerRender: number; bytes: number } {
  const node: NodeMetrics = {
    node: 0,
    startTime: Date.now() / 1000,
    accepted: 1e6,
    handoffFailed: 0,
    unavailable: 0,
    nodeConnections: 0,
    refused: { maxConnection: 0, perIp: 0, rate: 0, flood: 0 },
    residentBytes: 1e8,
    cpuSeconds: 12.5,
    workers: [0, 1].map((slot) => ({ slot, up: true, restarts: 0, counters: { ...EMPTY_COUNTERS, connections: 5000, messagesIn: 123_456_789 }, metrics: emptyWorkerMetrics() })),
  };
  let text = '';
  for (let i = 0; i < 200; i++) text = renderMetrics([node]);
  const n = 2000;
  const start = performance.now();
  for (let i = 0; i < n; i++) text = renderMetrics([node]);
  return { microsPerRender: round(((performance.now() - start) * 1000) / n, 1), bytes: text.length };
}

const pidFile = join(tmpdir(), `sy-bench-metrics-${randomBytes(4).toString('hex')}.pid`);
const server = await startSwitchyard({ workers: 2, args: ['--pid-file', pidFile] });
const sockets: Socket[] = [];
try {
  log(`server on port ${server.port}; ${scrapes} scrapes with no connection`);
  const idle = await measure(pidFile, server.pids, 0);
  log(`opening ${connections} connections`);
  for (let opened = 0; opened < connections; ) {
    const batch = Math.min(256, connections - opened);
    const results = await Promise.all(Array.from({ length: batch }, () => openWebSocket({ port: server.port, path: '/echo', deadlineMs: 20_000 })));
    for (const r of results) {
      if (!r.ok) throw new Error(`handshake failed: ${r.failure}`);
      r.socket.on('error', () => {});
      sockets.push(r.socket);
    }
    opened += batch;
  }
  const text = await scrapeOnce(pidFile);
  const held = [...text.matchAll(/^switchyard_connections\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  if (held !== connections) throw new Error(`the scrape counts ${held} connections, ${connections} were opened`);
  log(`${scrapes} scrapes with ${connections} connections`);
  const loaded = await measure(pidFile, server.pids, connections);
  const render = renderCost();
  const result = { machine: machineInfo('none'), workers: 2, scrapes, idle, loaded, render };
  const rows = [
    ['connections', 'median ms', 'p90 ms', 'CPU ms/scrape (master+workers)', 'bytes'],
    ...[idle, loaded].map((f) => [String(f.connections), String(f.medianMs), String(f.p90Ms), String(f.cpuMsPerScrape), String(f.bytes)]),
  ];
  const summary = `${textTable(rows)}\n\nrenderer alone (2 workers, in-process): ${render.microsPerRender} µs per exposition of ${render.bytes} bytes`;
  if (out !== null) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  for (const s of sockets) s.destroy();
  await server.stop();
  finish(summary, result, 0);
} catch (err) {
  for (const s of sockets) s.destroy();
  await server.stop();
  throw err;
}
