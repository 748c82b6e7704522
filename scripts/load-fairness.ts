/**
 * `npm run load:fairness`: fairness under a flood (issue 11), Switchyard beside `ws`. F clients
 * flood 1-byte frames as fast as they can, a probe does echo round trips, C new connections
 * come in during the flood (scripts/lib/flood-fairness.ts measures; scripts/hostile.ts may
 * reuse it).
 *
 *   npm run load:fairness -- [--server switchyard|ws|both] [--flooders 5] [--size 1]
 *     [--connects 20] [--deadline-ms 2000] [--duration 5] [--workers 2] [--path /echo]
 *     [--port P (a running server; --server then names it)] [--quick]
 *
 * Switchyard: the CLI with the default app (`/echo`), --workers (2). ws: scripts/peers/ws-single.ts,
 * one process, permessage-deflate off. Each server is started, measured and stopped in turn.
 * A table, then one JSON object as the last stdout line:
 *   { event: 'load-fairness', ok, settings, results: { switchyard?: FairnessResult, ws?: FairnessResult }, machine }
 * FairnessResult: probe {roundTrips, p50, p99, p999, max} (ms), connects {attempted, ok, failed,
 * firstFailure, handshakeMs}, flood {connections, bytesSent, closedByServer}.
 * `ok`: every server measured. Exit 1 on error, 2 on bad flags. Loopback only; bounded in time
 * (--duration per server, a 120 s ceiling); every process started is stopped on the way out.
 */
import { measureFloodFairness, type FairnessResult } from './lib/flood-fairness.ts';
import { ArgReader } from './lib/options.ts';
import { abort, superviseScript } from './lib/processes.ts';
import { finish, fmtMs, machineInfo, progressLog, textTable } from './lib/report.ts';
import { attach, startServer, startSwitchyard, type Target } from './lib/switchyard.ts';

const NAME = 'load-fairness';
const USAGE = `usage: npm run load:fairness -- [--server switchyard|ws|both] [--flooders F] [--size B] [--connects C]
  [--deadline-ms MS] [--duration S] [--workers W] [--path /echo] [--port P] [--quick]   (see the header)`;

const args = new ArgReader(NAME, USAGE, {
  server: { type: 'string' },
  flooders: { type: 'string' },
  size: { type: 'string' },
  connects: { type: 'string' },
  'deadline-ms': { type: 'string' },
  path: { type: 'string' },
});
const common = args.common({ duration: 5, quickDuration: 2, maxDuration: 60 });
const which = args.choice('server', 'both', ['switchyard', 'ws', 'both'] as const);
const flooders = args.number('flooders', common.quick ? 2 : 5, 1, 200);
const frameSize = args.number('size', 1, 0, 125);
const connects = args.number('connects', common.quick ? 4 : 20, 0, 1000);
const deadlineMs = args.number('deadline-ms', 2000, 100, 60_000);
const path = args.string('path', '/echo');
if (common.port !== null && which === 'both') args.problems.push('--port: name the running server with --server switchyard or --server ws');
args.done();
superviseScript(NAME, 120);
const log = progressLog();

async function serverFor(name: 'switchyard' | 'ws'): Promise<Target> {
  if (common.port !== null) return attach(common.host, common.port);
  if (name === 'switchyard') return startSwitchyard({ workers: common.workers });
  const { port, child, tail } = await startServer('ws', ['--import', 'tsx', 'scripts/peers/ws-single.ts', '--port', '0', '--path', path]);
  return { host: '127.0.0.1', port, child, pids: () => [child.pid!], tail, stop: async () => void child.kill('SIGTERM') };
}

const results: Partial<Record<'switchyard' | 'ws', FairnessResult>> = {};
try {
  for (const name of which === 'both' ? (['switchyard', 'ws'] as const) : [which]) {
    const target = await serverFor(name);
    try {
      log(`${name}: ${flooders} flooders, ${connects} connects, ${common.duration} s`);
      results[name] = await measureFloodFairness({ host: target.host, port: target.port, path, flooders, frameSize, connects, durationMs: common.duration * 1000, deadlineMs });
    } finally {
      await target.stop();
    }
  }
} catch (err) {
  abort(`failed: ${(err as Error).message}`, 1);
}

const rows = [['server', 'probe round trips', 'p50 ms', 'p99 ms', 'max ms', 'connects ok', 'failed', 'flood MB sent']];
for (const [name, r] of Object.entries(results)) {
  rows.push([name, String(r.probe.roundTrips), fmtMs(r.probe.p50), fmtMs(r.probe.p99), fmtMs(r.probe.max), String(r.connects.ok), String(r.connects.failed), (r.flood.bytesSent / 1e6).toFixed(0)]);
}
const settings = { server: which, flooders, size: frameSize, connects, deadlineMs, duration: common.duration, workers: common.workers, path, port: common.port, quick: common.quick };
finish(textTable(rows), { event: NAME, ok: Object.keys(results).length > 0, settings, results, machine: machineInfo('none') }, 0);
