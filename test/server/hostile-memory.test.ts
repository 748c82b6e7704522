import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';
import { compressedFrame, Flooder, KiB, MiB, openClient, repeatFrame, treeRss, watchRss, type OpenedClient } from '../helpers/hostile.ts';
import { killAll, startCli, type CliProcess } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';

/**
 * Hostile input against the real CLI (one worker, the default echo app): the server processes'
 * summed VmRSS must stay under a limit derived from the settings while a client floods it.
 * Before the bounds, these inputs grew a worker by GBs (issue 11); the watch stops as soon as
 * the limit is passed, so a failing run costs the machine a few hundred MB at most.
 */

const PACKAGE_MAX = 256 * KiB;
const OUTPUT_CAP = 256 * KiB;
const HIGH_WATERMARK = 64 * KiB;
const FLOOD_MS = 5000;

/**
 * What Node holds beyond our own queues, per connection, when reading stops: the read that
 * crossed the bound (64 KiB, libuv's read size) plus what the paused stream still takes in
 * before it stops the handle (one more read and its 16 KiB high-water mark).
 */
const READ_AHEAD = 64 * KiB + 80 * KiB;
/**
 * Garbage not yet collected, for the whole process: V8 collects once the Buffers allocated
 * since its last GC pass 64 MiB (its external-memory soft limit), and the heap and malloc keep
 * some slack (32 MiB). This, not the bounds, dominates the limit; the old code passed it in
 * 3-4 s on a busy 2-core machine (well under a second on a quiet one), growing with the bytes
 * sent. Measured with the bounds: 35 MiB (frames inflating to ~256 KiB), under 8 MiB otherwise.
 */
const PROCESS_SLACK = 64 * MiB + 32 * MiB;

let cli: CliProcess | undefined;
const clients: OpenedClient[] = [];
const flooders: Flooder[] = [];
afterEach(() => {
  for (const f of flooders.splice(0)) f.stop();
  for (const c of clients.splice(0)) c.socket.destroy();
});
afterAll(() => killAll());

/** The CLI with one worker and small bounds (30 s to start: a busy 2-core machine can take 15). */
function start(extra: string[]): Promise<CliProcess> {
  return startCli(['--port', '0', '--workers', '1', '--log-level', 'info', '--package-max-length', String(PACKAGE_MAX), '--buffer-output-size', String(OUTPUT_CAP), '--buffer-high-watermark', String(HIGH_WATERMARK), ...extra], 30_000);
}

/** The summed RSS once the fresh connections have settled. */
async function baselineOf(pid: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 500));
  return treeRss(pid);
}

describe('compressed client that never stops sending (inbound backlog bound)', () => {
  beforeAll(async () => {
    cli = await start([]);
  }, 45_000);
  afterAll(() => killAll());

  it.each([
    { what: 'frames inflating to ~packageMaxLength', inflated: PACKAGE_MAX - 4 * KiB, clients: 4 },
    { what: '24-byte frames inflating to 2 KB', inflated: 2000, clients: 4 },
  ])('$what: RSS stays under the derived limit and the socket stops being read', async ({ inflated, clients: n }) => {
    for (let i = 0; i < n; i++) clients.push(await openClient(cli!.port, '/echo', { 'Sec-WebSocket-Extensions': 'permessage-deflate' }));
    expect(clients[0]!.headers['sec-websocket-extensions']).toMatch(/^permessage-deflate/);
    const burst = repeatFrame(compressedFrame(Buffer.alloc(inflated)), 64 * KiB);

    /*
     * The limit, per connection:
     *   raw bytes read ahead of the parser  packageMaxLength (the backlog bound) + READ_AHEAD
     *   the message being inflated          packageMaxLength (its output is capped there) + 48 KiB (inflate window and state)
     *   its echo on the way out             bufferOutputSize + 256 KiB (deflate state: 2^17 window + 2^17 hash, memLevel 8)
     * plus PROCESS_SLACK once for the process.
     */
    const perConnection = PACKAGE_MAX + READ_AHEAD + PACKAGE_MAX + 48 * KiB + OUTPUT_CAP + 256 * KiB;
    const limit = n * perConnection + PROCESS_SLACK;

    const baseline = await baselineOf(cli!.proc.pid!);
    let maxPending = 0;
    const sampler = setInterval(() => (maxPending = Math.max(maxPending, ...flooders.map((f) => f.pending))), 20);
    for (const c of clients) flooders.push(new Flooder(c.socket, burst).start());
    const watch = await watchRss(cli!.proc.pid!, baseline, FLOOD_MS, limit);
    clearInterval(sampler);
    for (const f of flooders) f.stop();

    expect(watch.growth, `RSS grew ${(watch.growth / MiB).toFixed(1)} MiB in ${watch.elapsedMs} ms (limit ${(limit / MiB).toFixed(1)} MiB)`).toBeLessThanOrEqual(limit);
    // The server was working through the flood (echoes came back) and stopped taking more
    // than it could inflate: the clients' writes backed up.
    expect(clients.every((c) => c.received() > 0)).toBe(true);
    expect(maxPending).toBeGreaterThan(0);
  });
});

describe('pings from a client that never reads (output cap counts control frames)', () => {
  it.each(['drop', 'close'] as const)('policy %s: RSS stays under the derived limit; pongs stop at the cap', { timeout: 60_000 }, async (policy) => {
    await killAll();
    cli = await start(['--buffer-full-policy', policy, '--close-timeout-ms', '1000']);
    const client = await openClient(cli.port, '/echo', {}, 'never');
    clients.push(client);
    const burst = repeatFrame(clientFrame(Opcode.Ping, Buffer.alloc(125, 0x61)), 64 * KiB);

    // One connection: its pongs up to bufferOutputSize, and READ_AHEAD of pings once reading stops.
    const limit = OUTPUT_CAP + READ_AHEAD + PROCESS_SLACK;
    const baseline = await baselineOf(cli.proc.pid!);
    let closedAt = 0;
    client.socket.once('close', () => (closedAt = Date.now()));
    const flooder = new Flooder(client.socket, burst).start();
    flooders.push(flooder);
    const startedAt = Date.now();
    const watch = await watchRss(cli.proc.pid!, baseline, FLOOD_MS, limit);

    expect(watch.growth, `RSS grew ${(watch.growth / MiB).toFixed(1)} MiB in ${watch.elapsedMs} ms (limit ${(limit / MiB).toFixed(1)} MiB)`).toBeLessThanOrEqual(limit);
    const slowConsumer = () => cli!.logs().some((l) => typeof l.msg === 'string' && l.msg.startsWith('slow consumer'));
    await until(slowConsumer, 3000, 'the slow-consumer log line');
    if (policy === 'drop') {
      // Still connected, no longer read: the client's writes pile up on its side.
      expect(closedAt).toBe(0);
      expect(flooder.pending).toBeGreaterThan(0);
    } else {
      // Closed with 1008 (the frame waits behind the pongs it never reads): TCP goes at
      // closeTimeoutMs, and meanwhile it is not read (before, the worker read on at full
      // speed: hundreds of MB of pings discarded in that second).
      await until(() => closedAt > 0, 5000, 'the slow consumer to be disconnected');
      expect(closedAt - startedAt).toBeLessThan(FLOOD_MS + 5000);
      const { bytesIn } = (await (await fetch(`http://127.0.0.1:${cli.port}/stats`)).json()) as { bytesIn: number };
      // Pings answered until the pongs reach the cap (131 bytes each, pongs 127): the cap plus what
      // the kernel's buffers take off our hands first (the server's send buffer, up to tcp_wmem's
      // 4 MiB, and the client's receive buffer: ~4.5 MiB of pings read in all here), then READ_AHEAD.
      const KERNEL_BUFFERS = 10 * MiB;
      const readLimit = Math.ceil(((OUTPUT_CAP + KERNEL_BUFFERS) / 127) * 131) + READ_AHEAD;
      expect(bytesIn, `the worker read ${bytesIn} bytes of pings (limit ${readLimit})`).toBeLessThanOrEqual(readLimit);
    }
  });
});
