import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssBytes } from '../../scripts/lib/memory.ts';
import { killAll, startCli, type CliProcess } from '../helpers/process.ts';
import { RawClient, until } from '../helpers/server.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

// Small settings, so that the bound is tight and a flood past it plain to see.
const CAP = 50; // maxPendingHandshakes
const HEADER = 64 * KiB; // maxHeaderSize
const CLIENTS = 1000;
const PAD = 60 * KiB; // each client's head: under the cap, never ended

/**
 * A connection that is not a WebSocket yet holds at most maxHeaderSize of unfinished head, and
 * at most maxPendingHandshakes of them exist in a worker at a time: a flood of clients that
 * open heads and never finish them costs the worker a bounded amount of memory, whatever their
 * number, and every client past the cap gets 503 at once. The worker's RSS from /proc (the real
 * CLI, one worker), sampled while the flood is held.
 */
/** A GET on a connection of its own that closes after it: nothing stays pending in the worker. */
async function getOnce(port: number, path: string): Promise<string> {
  const raw = await RawClient.connect(port);
  raw.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  await until(() => raw.closed, 5000, `the answer to ${path}`);
  const body = raw.responseHead()!.rest.toString();
  // Chunked or not: the JSON object inside.
  return body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
}

describe('memory held by connections that are not WebSockets', () => {
  let cli: CliProcess;
  let pid: number;
  beforeAll(async () => {
    cli = await startCli([
      '--port', '0', '--workers', '1', '--log-level', 'info',
      '--max-pending-handshakes', String(CAP), '--max-header-size', String(HEADER), '--handshake-timeout-ms', '30000',
    ], 45_000); // generous: on a machine shared with other test runs a CLI can take many seconds to start
    pid = (JSON.parse(await getOnce(cli.port, '/stats')) as { workers: Array<{ pid: number }> }).workers[0]!.pid;
  }, 60_000);
  afterAll(() => killAll());

  it(`${CLIENTS} unfinished ${PAD / KiB} KiB heads: RSS grows by at most the cap's worth, the rest get 503`, async () => {
    // Warm the worker up (code paths, heap) before the baseline.
    for (let i = 0; i < 20; i++) await getOnce(cli.port, '/stats');
    await new Promise((r) => setTimeout(r, 300));
    const baseline = rssBytes(pid);

    const head = Buffer.from(`GET /echo HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(PAD)}`);
    const clients: RawClient[] = [];
    let peak = baseline;
    try {
      for (let i = 0; i < CLIENTS; i += 100) {
        const batch = await Promise.all(Array.from({ length: 100 }, () => RawClient.connect(cli.port)));
        for (const c of batch) c.write(head);
        clients.push(...batch);
        peak = Math.max(peak, rssBytes(pid));
      }
      // Held for 3 s, sampled every 100 ms.
      for (let t = 0; t < 30; t++) {
        await new Promise((r) => setTimeout(r, 100));
        peak = Math.max(peak, rssBytes(pid));
      }
      const refused = clients.filter((c) => c.responseHead()?.status === 503).length;
      const waiting = clients.filter((c) => c.data.length === 0).length;
      // The bound: CAP heads of at most maxHeaderSize each (our reader keeps the bytes; a copy
      // may exist while a chunk is appended: 2×), plus a socket and its bookkeeping (16 KiB
      // each, generous: Node's socket, stream state, read buffers), plus 24 MiB for what no
      // setting decides (V8 heap growth and GC timing, malloc arenas). The refused clients'
      // bytes stay in the kernel: their sockets are never read.
      const limit = CAP * (2 * HEADER + 16 * KiB) + 24 * MiB;
      const grown = peak - baseline;
      // At most CAP held (a warm-up connection may still be closing in the worker), every other one refused.
      expect(waiting).toBeLessThanOrEqual(CAP);
      expect(waiting).toBeGreaterThan(CAP - 5);
      expect(refused + waiting).toBe(CLIENTS);
      expect(grown, `RSS grew ${(grown / MiB).toFixed(1)} MiB (limit ${(limit / MiB).toFixed(1)} MiB)`).toBeLessThan(limit);
    } finally {
      for (const c of clients) c.close();
    }
    await until(() => clients.every((c) => c.closed), 5000, 'every client closed');
  }, 60_000);
});
