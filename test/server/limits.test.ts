import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PushStatus } from '../../src/worker/server.ts';
import { CloseCode, Opcode } from '../../src/shared/protocol/constants.ts';
import { clientFrame, closeCode } from '../../scripts/lib/frames.ts';
import { FrameClient, startServer, until, type Running } from '../helpers/server.ts';

let srv: Running | undefined;
afterEach(async () => {
  await srv?.stop();
  srv = undefined;
});

const MiB = 1024 * 1024;

describe('outbound backpressure', () => {
  it.each(['drop', 'close'] as const)('a client that never reads: queued bytes stay under the cap, policy %s applies', async (policy) => {
    const events: string[] = [];
    srv = await startServer({ bufferOutputSize: 2 * MiB, bufferHighWatermark: 512 * 1024, bufferFullPolicy: policy, closeTimeoutMs: 500 }, (s) => {
      s.on('bufferFull', (_s, fd) => void events.push(`full:${fd}`));
      s.on('bufferEmpty', (_s, fd) => void events.push(`empty:${fd}`));
    });
    const c = await FrameClient.open(srv.port, '/x');
    c.raw.socket.pause(); // never read: the kernel buffers fill, then ours
    const fd = [...srv.server.connections][0]!;
    const chunk = Buffer.alloc(64 * 1024, 7);
    const statuses: Array<PushStatus | 'forwarded' | 'congested' | 'unreachable'> = [];
    let maxQueued = 0;
    for (let i = 0; i < 400; i++) {
      // spread over event-loop turns so the socket really writes
      statuses.push(srv.server.pushStatus(fd, chunk));
      maxQueued = Math.max(maxQueued, srv.server.localClientInfo(fd)?.bytesQueued ?? 0);
      if (statuses.at(-1) === 'dropped' || statuses.at(-1) === 'closed') break;
      await new Promise((r) => setImmediate(r));
    }
    expect(statuses).toContain('written');
    expect(statuses).toContain('queued');
    expect(statuses.at(-1)).toBe('dropped');
    expect(maxQueued).toBeLessThanOrEqual(2 * MiB);
    expect(events[0]).toBe(`full:${fd}`);
    if (policy === 'drop') {
      expect(await srv.server.isEstablished(fd)).toBe(true);
      // the reader resumes: everything accepted arrives, then bufferEmpty fires
      const accepted = statuses.filter((s) => s === 'written' || s === 'queued').length;
      c.raw.socket.resume();
      await until(() => c.poll().length === accepted, 10_000, 'every accepted message');
      await until(() => events.includes(`empty:${fd}`), 3000, 'bufferEmpty');
    } else {
      expect(await srv.server.isEstablished(fd)).toBe(false);
      await until(() => srv!.server.localClientInfo(fd) === null, 5000, 'slow consumer to be closed');
      expect(await srv.server.exist(fd)).toBe(false);
    }
  });
});

describe('inbound backpressure', () => {
  it('a connection whose async callbacks fall behind stops being read until they settle', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    srv = await startServer({ maxPendingCallbacks: 4 }, (s) =>
      s.on('message', async () => {
        started++;
        await gate;
      }),
    );
    const c = await FrameClient.open(srv.port, '/x');
    const big = Buffer.alloc(256 * 1024, 1);
    for (let i = 0; i < 60; i++) c.send(clientFrame(Opcode.Binary, big));
    await new Promise((r) => setTimeout(r, 300));
    // reading stopped long before all 60 messages (15 MiB) were taken in
    expect(started).toBeLessThan(30);
    const fd = [...srv.server.connections][0]!;
    expect(srv.server.localClientInfo(fd)!.bytesIn).toBeLessThan(10 * MiB);
    release();
    await until(() => started === 60, 10_000, 'all messages after release');
  });
});

describe('message size limit', () => {
  it('a message over packageMaxLength is refused with 1009 as soon as its header says so', async () => {
    srv = await startServer({ packageMaxLength: 1024 });
    const c = await FrameClient.open(srv.port, '/x');
    const header = clientFrame(Opcode.Binary, Buffer.alloc(4096)).subarray(0, 8); // header + mask only
    c.send(header);
    const [f] = await c.waitFrames(1);
    expect(closeCode(f!)).toBe(CloseCode.MessageTooBig);
  });
});

describe('heartbeat and pings', () => {
  it('an idle connection is closed; an active one and a protected one are kept', async () => {
    srv = await startServer({ heartbeatCheckInterval: 0.1, heartbeatIdleTime: 0.4 }, (s) =>
      s.on('open', (srv2, req) => {
        if (req.path === '/protected') srv2.protect(req.fd);
      }),
    );
    const idle = await FrameClient.open(srv.port, '/idle');
    const active = await FrameClient.open(srv.port, '/active');
    const prot = await FrameClient.open(srv.port, '/protected');
    const timer = setInterval(() => active.send(clientFrame(Opcode.Ping, '')), 100);
    try {
      await until(() => idle.poll().some((f) => f.opcode === Opcode.Close), 3000, 'idle close');
      expect(closeCode(idle.frames.find((f) => f.opcode === Opcode.Close)!)).toBe(CloseCode.GoingAway);
      await new Promise((r) => setTimeout(r, 500));
      expect(active.poll().some((f) => f.opcode === Opcode.Close)).toBe(false);
      expect(prot.poll().some((f) => f.opcode === Opcode.Close)).toBe(false);
      expect(srv.server.localStats().connections).toBe(2);
    } finally {
      clearInterval(timer);
    }
  });

  it('server pings (pingInterval) are answered by clients and the round trip is recorded', async () => {
    srv = await startServer({ pingInterval: 0.05 });
    const ws = new WebSocket(`${srv.url}/x`);
    await new Promise((r) => ws.once('open', r));
    const fd = [...srv.server.connections][0]!;
    await until(() => (srv!.server.localClientInfo(fd)?.rtt ?? -1) >= 0, 3000, 'rtt');
    ws.close();
  });
});

describe('getClientInfo', () => {
  it('reports addresses, times, counters and status', async () => {
    srv = await startServer({}, (s) => s.on('message', (srv2, f) => void srv2.push(f.fd, f.data)));
    const c = await FrameClient.open(srv.port, '/info?x=1');
    c.send(clientFrame(Opcode.Text, 'hello'));
    await c.waitFrames(1);
    const fd = [...srv.server.connections][0]!;
    const info = srv.server.localClientInfo(fd)!;
    expect(info).toMatchObject({ fd, remoteAddress: '127.0.0.1', remotePort: c.raw.socket.localPort, path: '/info', messagesIn: 1, messagesOut: 1, websocketStatus: 3, protected: false });
    expect(info.bytesIn).toBeGreaterThan(5);
    expect(info.bytesOut).toBe(7);
    expect(info.lastSendTime).toBeGreaterThanOrEqual(info.connectTime);
    expect(srv.server.localClientInfo(fd + 1000)).toBeNull();
    expect(await srv.server.getClientInfo(fd + 1000)).toBeNull();
    expect(await srv.server.getClientInfo(fd)).toMatchObject({ fd, messagesIn: 1 });
    expect(srv.server.push(fd + 1000, 'x')).toBe(false);
    expect(srv.server.pushStatus(fd + 1000, 'x')).toBe('unknown');
  });
});
