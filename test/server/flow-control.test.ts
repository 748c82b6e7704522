import { afterEach, describe, expect, it } from 'vitest';
import { Opcode } from '../../src/shared/protocol/constants.ts';
import { clientFrame } from '../../scripts/lib/frames.ts';
import { Flooder, KiB, openClient, repeatFrame, type OpenedClient } from '../helpers/hostile.ts';
import { FrameClient, RawClient, startServer, until, upgradeRequest, type Running } from '../helpers/server.ts';

/**
 * A connection's flow control, in process: bufferFull/bufferEmpty come in pairs on every
 * output path, a client over its output cap is not read until it drains, and a client's burst
 * cannot hold the event loop from the others (read budget per turn).
 */

let srv: Running | undefined;
const opened: OpenedClient[] = [];
const flooders: Flooder[] = [];
afterEach(async () => {
  for (const f of flooders.splice(0)) f.stop();
  for (const c of opened.splice(0)) c.socket.destroy();
  await srv?.stop();
  srv = undefined;
});

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('bufferFull and bufferEmpty are a matched pair', () => {
  it('with permessage-deflate: bytes waiting for compression count, and bufferEmpty follows once they are out', async () => {
    const events: string[] = [];
    srv = await startServer({ bufferHighWatermark: 16 * KiB, bufferOutputSize: 4 * 1024 * KiB }, (s) => {
      s.on('bufferFull', () => void events.push('full'));
      s.on('bufferEmpty', () => void events.push('empty'));
    });
    const c = await FrameClient.open(srv.port, '/x', { 'Sec-WebSocket-Extensions': 'permessage-deflate' });
    const fd = [...srv.server.connections][0]!;
    // 64 KiB of text compresses to a few hundred bytes: the socket never backs up, so no 'drain'.
    const statuses = [0, 1, 2].map(() => srv!.server.pushStatus(fd, 'a'.repeat(64 * KiB)));
    expect(statuses).toEqual(['queued', 'queued', 'queued']);
    await c.waitFrames(3);
    expect(c.frames.every((f) => f.rsv1)).toBe(true);
    await until(() => events.length === 2, 3000, 'bufferEmpty after the compressed frames left');
    expect(events).toEqual(['full', 'empty']);
    expect(srv.server.localClientInfo(fd)!.bytesQueued).toBe(0);
  });

  it('with bufferHighWatermark below the socket high-water mark (no drain event): a small push', async () => {
    const events: string[] = [];
    srv = await startServer({ bufferHighWatermark: 0 }, (s) => {
      s.on('bufferFull', () => void events.push('full'));
      s.on('bufferEmpty', () => void events.push('empty'));
    });
    const c = await FrameClient.open(srv.port, '/x');
    const fd = [...srv.server.connections][0]!;
    expect(srv.server.pushStatus(fd, 'hello')).toBe('queued');
    await c.waitFrames(1);
    await until(() => events.length === 2, 3000, 'bufferEmpty');
    expect(events).toEqual(['full', 'empty']);
  });

  it('broadcast frames written straight to the socket, to a client that pauses and resumes', async () => {
    const events: string[] = [];
    srv = await startServer({ bufferHighWatermark: 0 }, (s) => {
      s.on('bufferFull', () => void events.push('full'));
      s.on('bufferEmpty', () => void events.push('empty'));
    });
    const c = await FrameClient.open(srv.port, '/x');
    c.raw.socket.pause();
    // One broadcast per turn (each one a direct write) until the kernel buffers are full and one waits.
    for (let i = 0; i < 5000 && !events.includes('full'); i++) {
      srv.server.broadcast(Buffer.alloc(4 * KiB, i & 0xff));
      await turn();
    }
    expect(events).toEqual(['full']);
    c.raw.socket.resume();
    await until(() => events.length === 2, 5000, 'bufferEmpty');
    expect(events).toEqual(['full', 'empty']);
  });
});

describe('output cap: a client that does not read', () => {
  it('is not read any more once over bufferOutputSize (policy drop), and is read again once it drains', async () => {
    srv = await startServer({ bufferOutputSize: 64 * KiB, bufferHighWatermark: 16 * KiB }, (s) => s.on('message', (srv2, f) => void srv2.push(f.fd, f.data)));
    const client = await openClient(srv.port, '/x', {}, 'never');
    opened.push(client);
    const fd = [...srv.server.connections][0]!;
    const info = () => srv!.server.localClientInfo(fd)!;
    const flooder = new Flooder(client.socket, repeatFrame(clientFrame(Opcode.Binary, Buffer.alloc(1024, 1)), 64 * KiB)).start();
    flooders.push(flooder);

    // Echoes pile up until the cap; then the server stops taking the client's frames: what it
    // has read stays the same over 300 ms (within 5 s; the old code read and dropped forever).
    let previous = info();
    let last = previous;
    let readMeanwhile = -1;
    for (const deadline = Date.now() + 5000; readMeanwhile !== 0 && Date.now() < deadline; previous = last) {
      await new Promise((r) => setTimeout(r, 300));
      last = info();
      readMeanwhile = last.bytesIn - previous.bytesIn;
    }
    expect(readMeanwhile, 'bytes read in 300 ms, 5 s into the flood').toBe(0);
    const after = last;
    expect(after.bytesQueued).toBeLessThanOrEqual(64 * KiB);
    expect(flooder.pending).toBeGreaterThan(0);
    // Control frames count against the cap too: pings are accepted up to it, then dropped.
    const statuses: string[] = [];
    for (let i = 0; i < 1000 && statuses.at(-1) !== 'dropped'; i++) statuses.push(srv.server.pushStatus(fd, Buffer.alloc(125, 1), Opcode.Ping));
    expect(statuses.at(-1)).toBe('dropped');
    expect(info().bytesQueued).toBeLessThanOrEqual(64 * KiB);
    expect(srv.server.ping(fd, Buffer.alloc(125, 1))).toBe(false);

    flooder.stop();
    client.socket.on('data', () => {}); // reads (and drops) from now on
    client.socket.resume();
    await until(() => info().bytesIn > after.bytesIn, 5000, 'reading to resume once the output drained');
    expect(await srv.server.isEstablished(fd)).toBe(true);
  });
});

describe('read budget per event-loop turn (fairness)', () => {
  it("one client's burst does not hold the loop: another client's message is handled after at most a few budgets of it", async () => {
    const BUDGET = 64;
    const BURST = 100_000;
    let floodSeen = 0;
    let floodSeenAtProbe = -1;
    let probe: FrameClient | undefined;
    srv = await startServer({ readBudgetFrames: BUDGET }, (s) =>
      s.on('message', (_srv, f) => {
        if (f.data === 'probe') {
          floodSeenAtProbe = floodSeen;
          return;
        }
        // The probe's frame reaches the kernel while the burst is being worked through.
        if (floodSeen++ === 0) probe!.send(clientFrame(Opcode.Text, 'probe'));
      }),
    );
    probe = await FrameClient.open(srv.port, '/probe');
    const flood = await FrameClient.open(srv.port, '/flood');
    flood.send(repeatFrame(clientFrame(Opcode.Binary, Buffer.from([7])), BURST * 7));
    await until(() => floodSeenAtProbe >= 0, 10_000, "the probe's message");
    await until(() => floodSeen === BURST, 20_000, 'the whole burst');
    // Without a budget the worker parsed everything the kernel had buffered first (tens of thousands).
    expect(floodSeenAtProbe).toBeLessThanOrEqual(4 * BUDGET);
  });

  it('a burst that came with the upgrade request (more than a budget) is worked through, in order', async () => {
    const BURST = 20_000;
    const seen: number[] = [];
    srv = await startServer({ readBudgetFrames: 100 }, (s) => s.on('message', (_srv, f) => void seen.push((f.data as Buffer).readUInt16BE(0))));
    const raw = await RawClient.connect(srv.port);
    // One write: the first read holds the request and thousands of frames behind it (the
    // upgrade's head), more than a budget; the upgrade resumes the socket after handing it over.
    const frames = Buffer.concat(Array.from({ length: BURST }, (_, i) => clientFrame(Opcode.Binary, Buffer.from([i >> 8, i & 0xff]))));
    raw.write(Buffer.concat([Buffer.from(upgradeRequest('/x')), frames]));
    await until(() => seen.length === BURST, 20_000, 'every message');
    expect(seen.every((v, i) => v === i)).toBe(true);
    raw.close();
  });
});
