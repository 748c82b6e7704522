/**
 * What reading PROXY protocol headers costs the accept path:
 *   npm run bench:proxy -- [--connections 2000] [--concurrency 50] [--repeats 3] [--out bench] [--quick]
 *
 * One Switchyard cluster (2 workers, the default app, `--trust-proxy 127.0.0.1
 * --proxy-protocol`); each repeat runs three modes in turn (the order rotates): `direct` (clients
 * from 127.0.0.2, not trusted: the master hands the socket over unread, as without the
 * setting), `proxy-v1` and `proxy-v2` (from 127.0.0.1, the trusted proxy: a PROXY header
 * declaring one of 4096 client addresses, with the upgrade in the same write: the master reads
 * it and the prefix travels with the hand-off). Each connection: connect, write, wait for the
 * 101, destroy; `--concurrency` at a time. Figures per mode (medians over repeats): handshakes
 * per second, and the master's CPU per connection (its utime+stime over the mode's run).
 * Prints a table, then one JSON object as its last line; writes <out>/proxy.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeProxyV1, encodeProxyV2 } from '../src/shared/proxy/proxy-protocol.ts';
import { processTicks, TICKS_PER_SECOND } from './lib/cpu.ts';
import { ROOT, superviseScript } from './lib/processes.ts';
import { finish, machineInfo, median, progressLog, round, textTable } from './lib/report.ts';
import { buildCli, startSwitchyard } from './lib/switchyard.ts';
import { responseHead, upgradeRequest } from './lib/upgrade.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '50' },
    repeats: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench' },
    quick: { type: 'boolean', default: false },
  },
});
const connections = values.quick ? 200 : Number(values.connections);
const concurrency = Number(values.concurrency);
const repeats = values.quick ? 1 : Number(values.repeats);
superviseScript('bench:proxy', 60 + repeats * 3 * (20 + connections / 100));
const log = progressLog();

type Mode = 'direct' | 'proxy-v1' | 'proxy-v2';
const MODES: Mode[] = ['direct', 'proxy-v1', 'proxy-v2'];
/** Each connection gives up after this: a bound, not a figure. */
const CONNECT_DEADLINE_MS = 10_000;

function firstBytes(mode: Mode, i: number, port: number): Buffer {
  const request = Buffer.from(upgradeRequest('/echo', { Host: `127.0.0.1:${port}` }), 'latin1');
  if (mode === 'direct') return request;
  const source = { address: `10.0.${(i >> 8) & 15}.${i & 255}`, port: 1024 + (i % 60000) };
  const destination = { address: '192.0.2.1', port: 443 };
  return Buffer.concat([mode === 'proxy-v1' ? encodeProxyV1(source, destination) : encodeProxyV2(source, destination), request]);
}

/** One handshake: resolves true on a 101, false on anything else or the deadline. */
function handshake(port: number, localAddress: string, bytes: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, localAddress, noDelay: true });
    let buf = Buffer.alloc(0);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), CONNECT_DEADLINE_MS);
    s.once('connect', () => s.write(bytes));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const head = responseHead(buf);
      if (head) done(head.status === 101);
    });
    s.on('error', () => done(false));
    s.on('close', () => done(false));
  });
}

async function run(mode: Mode, port: number, masterPid: number): Promise<{ perSecond: number; masterUsPerConnection: number; failed: number }> {
  const localAddress = mode === 'direct' ? '127.0.0.2' : '127.0.0.1';
  let next = 0;
  let failed = 0;
  const ticks0 = processTicks(masterPid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < connections) {
        const i = next++;
        if (!(await handshake(port, localAddress, firstBytes(mode, i, port)))) failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const masterSeconds = (processTicks(masterPid) - ticks0) / TICKS_PER_SECOND;
  return { perSecond: (connections - failed) / seconds, masterUsPerConnection: (masterSeconds / connections) * 1e6, failed };
}

buildCli();
const target = await startSwitchyard({ workers: 2, args: ['--trust-proxy', '127.0.0.1', '--proxy-protocol', '--log-level', 'warn'] });
const masterPid = target.child!.pid!;
const results: Record<Mode, Array<{ perSecond: number; masterUsPerConnection: number; failed: number }>> = { direct: [], 'proxy-v1': [], 'proxy-v2': [] };
try {
  // Warm-up: the workers' JIT, the master's accept path.
  await run('direct', target.port, masterPid);
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < MODES.length; k++) {
      const mode = MODES[(k + r) % MODES.length]!;
      const got = await run(mode, target.port, masterPid);
      results[mode].push(got);
      log(`repeat ${r + 1}/${repeats} ${mode}: ${got.perSecond.toFixed(0)} handshakes/s, master ${got.masterUsPerConnection.toFixed(1)} µs/connection, ${got.failed} failed`);
    }
  }
} finally {
  await target.stop();
}

const modes = MODES.map((mode) => ({
  mode,
  handshakesPerSecond: round(median(results[mode].map((x) => x.perSecond)) ?? NaN, 0),
  masterUsPerConnection: round(median(results[mode].map((x) => x.masterUsPerConnection)) ?? NaN, 1),
  failed: results[mode].reduce((n, x) => n + x.failed, 0),
}));
const summary = { machine: machineInfo('none'), connections, concurrency, repeats, workers: 2, modes };
const out = resolve(ROOT, values.out);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'proxy.json'), JSON.stringify(summary, null, 2) + '\n');
const table = textTable([
  ['mode', 'handshakes/s', 'master µs/conn', 'failed'],
  ...modes.map((m) => [m.mode, String(m.handshakesPerSecond), String(m.masterUsPerConnection), String(m.failed)]),
]);
finish(table, summary, modes.every((m) => m.failed === 0) ? 0 : 1);
