import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameDecoder, decodeEnvelope, encodeEnvelope, encodeFrame, frameHeader } from '../../src/shared/bus/codec.ts';
import { EmbeddedBus, socketPath, type EmbeddedBusOptions } from '../../src/shared/bus/embedded-bus.ts';
import { markerOf } from '../../src/shared/bus/sender-order.ts';
import type { Bus, Incoming, WorkerAddress } from '../../src/shared/bus/types.ts';
import { ROOT } from '../helpers/process.ts';
import { busContract, type BusHarness, type BusSettings } from './contract.ts';
import { keep, push, shape } from './messages.ts';
import { capturedLogger } from '../helpers/logs.ts';
import { sleep, until } from '../helpers/server.ts';

const silent = pino({ level: 'silent' });


/** Every temp dir and bus a test made, cleaned up after it whatever happened. */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sy-bus-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Started, fully connected buses in slots 0..count-1 of one node. */
async function mesh(count: number, extra: Partial<EmbeddedBusOptions> = {}, dir?: string): Promise<{ dir: string; buses: EmbeddedBus[] }> {
  const where = dir ?? (await tempDir());
  const buses = Array.from({ length: count }, (_, slot) => new EmbeddedBus({ self: { node: 0, slot }, slots: count, dir: where, log: silent, ...extra }));
  cleanups.push(() => Promise.all(buses.map((bus) => bus.close())));
  await Promise.all(buses.map((bus) => bus.start()));
  const ready = await Promise.all(buses.map((bus) => bus.waitForPeers(10_000)));
  if (!ready.every(Boolean)) throw new Error('mesh did not connect');
  return { dir: where, buses };
}

async function makeHarness(count: number, settings: BusSettings = {}): Promise<BusHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'sy-bus-'));
  const make = (slot: number): EmbeddedBus => new EmbeddedBus({ self: { node: 0, slot }, slots: count, dir, log: silent, ...settings });
  const buses: Bus[] = Array.from({ length: count }, (_, slot) => make(slot));
  await Promise.all(buses.map((bus) => bus.start()));
  const ready = await Promise.all(buses.map((bus) => (bus as EmbeddedBus).waitForPeers(10_000)));
  if (!ready.every(Boolean)) throw new Error('mesh did not connect');
  return {
    buses,
    async restart(i) {
      await buses[i]!.close();
      const fresh = make(i);
      await fresh.start();
      buses[i] = fresh;
      return fresh;
    },
    // A worker's bus goes away as when the worker dies: its listener and connections with it.
    async cut(i) {
      await buses[i]!.close();
    },
    async teardown() {
      await Promise.all(buses.map((bus) => bus.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

busContract('EmbeddedBus', makeHarness, { knowsAbsentPeers: true });

function collect(bus: Bus): Array<{ msg: Incoming; from: WorkerAddress }> {
  const got: Array<{ msg: Incoming; from: WorkerAddress }> = [];
  bus.onMessage = (msg, from) => void got.push({ msg: keep(msg), from });
  return got;
}

function rawClient(path: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** A bus in another process (slot 1 of 2) that answers every request with a reply: its pid. */
function peerProcess(dir: string): Promise<ChildProcess> {
  const code = `
    import { pino } from 'pino';
    import { EmbeddedBus } from './src/shared/bus/embedded-bus.ts';
    import { BytesMessage } from './src/shared/bus/codec.ts';
    const bus = new EmbeddedBus({ self: { node: 0, slot: 1 }, slots: 2, dir: ${JSON.stringify(dir)}, log: pino({ level: 'silent' }) });
    bus.onMessage = (msg, from) => { if (msg.kind === 'request') bus.send(from, new BytesMessage('reply', msg.rid, Buffer.from(String(process.pid)))); };
    await bus.start();
    process.stdout.write('ready\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`peer process exited early (${code})`)));
  });
}

describe('EmbeddedBus specifics', () => {
  it('replaces a stale socket file left by a dead worker', async () => {
    const dir = await tempDir();
    await writeFile(socketPath(dir, 0), 'stale');
    const { buses } = await mesh(2, {}, dir);
    const got = collect(buses[0]!);
    expect(buses[1]!.send(buses[0]!.self, push(1))).toBe('ok');
    await until(() => got.length === 1, 5000, 'delivery to the bus that replaced the stale file');
  });

  it('refuses to start on a path a live bus listens on, and unlinks its file on close', async () => {
    const { dir, buses } = await mesh(2);
    const twin = new EmbeddedBus({ self: { node: 0, slot: 0 }, slots: 2, dir, log: silent });
    await expect(twin.start()).rejects.toMatchObject({ code: 'ERR_BUS_SLOT_IN_USE' });
    expect(twin.send(buses[1]!.self, push(1))).toBe('down');
    expect(existsSync(socketPath(dir, 0))).toBe(true);
    await buses[0]!.close();
    expect(existsSync(socketPath(dir, 0))).toBe(false);
  });

  it.each([
    ['an unknown kind', encodeFrame(Buffer.from([0xc1, 0xc1, 0xc1, 0xc1]))],
    ['a request without its rid', encodeFrame(Buffer.from([2, 0, 0, 1, 0, 0]))],
    ['a length prefix above the frame limit', frameHeader(65 * 1024 * 1024)],
  ])('closes only the connection that sent %s', async (_what, bad) => {
    const { log, lines } = capturedLogger();
    const dir = await tempDir();
    const { buses } = await mesh(2, { log }, dir);
    const got = collect(buses[0]!);
    const raw = await rawClient(socketPath(dir, 0));
    // A good frame ahead of the bad one in the same write is still delivered.
    const good = encodeFrame(encodeEnvelope({ node: 0, slot: 7 }, push(42)));
    raw.socket.write(Buffer.concat([good, bad]));
    await raw.closed;
    expect(got.map((r) => r.from.slot)).toEqual([7]);
    expect(buses[1]!.send(buses[0]!.self, push(2))).toBe('ok');
    await until(() => got.length === 2, 5000, 'delivery from the healthy peer');
    expect(buses[0]!.stats().malformed).toBe(1);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('closing the connection'))).toBe(true);
  });

  it('coalesces every frame sent in one turn into one socket write per peer', async () => {
    const { buses } = await mesh(3);
    const [a, b, c] = buses as [EmbeddedBus, EmbeddedBus, EmbeddedBus];
    const [gotB, gotC] = [collect(b), collect(c)];
    const before = a.stats();
    for (let i = 1; i <= 1000; i++) expect(a.send(b.self, push(i))).toBe('ok');
    for (let i = 1; i <= 100; i++) expect(a.broadcast(push(i, `b${i}`))).toBe('ok');
    await until(() => gotB.length === 1100 && gotC.length === 100, 5000, 'every frame');
    const after = a.stats();
    expect(after.framesOut - before.framesOut).toBe(1000 + 2 * 100);
    expect(after.writes - before.writes).toBe(2); // one to b, one to c
  });

  it("is 'congested' when a peer's queue holds maxQueuedBytes, and loses nothing it accepted", async () => {
    const { buses } = await mesh(2, { maxQueuedBytes: 64 * 1024 });
    const [a, b] = buses as [EmbeddedBus, EmbeddedBus];
    const got = collect(b);
    const payload = Buffer.alloc(1024, 7);
    const accepted: number[] = [];
    const refused = new Set<string>();
    for (let i = 1; i <= 500; i++) {
      const result = a.send(b.self, push(i, payload));
      if (result === 'ok') accepted.push(i);
      else refused.add(result);
    }
    expect(accepted.length).toBeGreaterThan(50);
    expect(accepted.length).toBeLessThan(500);
    expect([...refused]).toEqual(['congested']);
    expect(a.stats()).toMatchObject({ refused: 500 - accepted.length, congested: 500 - accepted.length });
    expect(accepted).toEqual(Array.from({ length: accepted.length }, (_, i) => i + 1));
    await until(() => got.length === accepted.length, 5000, 'every accepted frame');
    expect(a.send(b.self, push(1000))).toBe('ok'); // drained: accepting again
  });

  it('refuses a message above maxFrameBytes and sends to other nodes or unknown slots', async () => {
    const { buses } = await mesh(2, { maxFrameBytes: 1024 });
    const [a, b] = buses as [EmbeddedBus, EmbeddedBus];
    expect(a.send(b.self, push(1, Buffer.alloc(2048)))).toBe('down');
    expect(a.broadcast(push(0, Buffer.alloc(2048)))).toBe('down');
    expect(a.send({ node: 1, slot: 1 }, push(2))).toBe('down');
    expect(a.send({ node: 0, slot: 0 }, push(3))).toBe('down'); // itself: local pushes are the router's job
    expect(a.send({ node: 0, slot: 2 }, push(4))).toBe('down');
    expect(a.send(b.self, push(5))).toBe('ok');
    expect(a.stats().refused).toBe(5);
  });

  it('reconnects by its own back-off when something listens on the peer path again', async () => {
    const { dir, buses } = await mesh(2, { retry: { minMs: 20, maxMs: 100 } });
    const [a, b] = buses as [EmbeddedBus, EmbeddedBus];
    await b.close();
    await until(() => !a.isConnected(b.self), 5000, 'a to notice b is gone');
    expect(a.send(b.self, push(1))).toBe('down');
    await sleep(300); // a few failed retries
    // A bare listener never connects to a, so only a's retry timer can bring the link back.
    const chunks: Buffer[] = [];
    const accepted: Socket[] = [];
    const raw = createServer((socket) => void accepted.push(socket.on('data', (c: Buffer) => chunks.push(c))));
    await new Promise<void>((r) => raw.listen(socketPath(dir, 1), r));
    cleanups.push(() => new Promise((r) => (raw.close(r), accepted.forEach((sock) => sock.destroy()))));
    await until(() => a.isConnected(b.self), 5000, 'a to reconnect');
    expect(a.send(b.self, push(2))).toBe('ok');
    await until(() => new FrameDecoder().push(Buffer.concat(chunks)).length >= 2, 5000, 'the hello and a frame at the new listener');
    const frames = new FrameDecoder().push(Buffer.concat(chunks)).map((f) => decodeEnvelope(f)!.msg);
    // Every connection opens with the sender's hello (sender-order.ts), then the frames.
    expect(markerOf(frames[0]!.body)).toEqual({ t: 'hello', generation: a.generation });
    expect(frames.slice(1).map(shape)).toEqual([shape(push(2))]);
  });

  it('retries at once, not after its back-off, when the restarted peer connects to it', async () => {
    // A back-off far longer than the test: only the incoming connection can bring a back.
    const { dir, buses } = await mesh(2, { retry: { minMs: 600_000, maxMs: 600_000 } });
    const [a, b] = buses as [EmbeddedBus, EmbeddedBus];
    await b.close();
    await until(() => !a.isConnected(b.self), 5000, 'a to notice b is gone');
    const fresh = new EmbeddedBus({ self: b.self, slots: 2, dir, log: silent });
    cleanups.push(() => fresh.close());
    await fresh.start(); // connects to a, which retries its own link to b at once
    await until(() => a.isConnected(fresh.self), 10_000, 'a to reconnect without waiting out its back-off');
  });

  it('survives kill -9 of a peer process: its stale socket is replaced and the link comes back', async () => {
    const dir = await tempDir();
    const a = new EmbeddedBus({ self: { node: 0, slot: 0 }, slots: 2, dir, log: silent });
    cleanups.push(() => a.close());
    const replies: unknown[] = [];
    a.onMessage = (msg) => void (msg.kind === 'reply' && replies.push(Number(String(msg.body))));
    await a.start();
    const first = await peerProcess(dir);
    await until(() => a.isConnected({ node: 0, slot: 1 }), 10_000, 'link to the first peer');
    expect(a.send({ node: 0, slot: 1 }, push(0, 'pid', 'request', 1))).toBe('ok');
    await until(() => replies.length === 1, 10_000, 'reply from the first peer');
    expect(replies[0]).toBe(first.pid);

    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await exited;
    expect(existsSync(socketPath(dir, 1))).toBe(true); // stale: nobody unlinked it
    await until(() => !a.isConnected({ node: 0, slot: 1 }), 5000, 'a to notice the death');
    expect(a.send({ node: 0, slot: 1 }, push(0, 'pid', 'request', 2))).toBe('down');

    const second = await peerProcess(dir);
    await until(() => a.isConnected({ node: 0, slot: 1 }), 10_000, 'link to the restarted peer');
    expect(a.send({ node: 0, slot: 1 }, push(0, 'pid', 'request', 3))).toBe('ok');
    await until(() => replies.length === 2, 10_000, 'reply from the restarted peer');
    expect(replies[1]).toBe(second.pid);
  }, 40_000);
});
