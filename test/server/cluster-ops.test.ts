/**
 * The routing layer on its own: workers of one process (ClusterCalls, Router, LocalConnections)
 * over the in-memory bus and session table, with connections that are plain objects recording
 * what they were asked (no sockets). Each operation of cluster-ops.ts, local and remote: its
 * reply types, what a bus that is down, congested or silent answers, unknown fds, malformed
 * calls, and an operation added in one entry.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryNetwork, type MemoryNetwork } from '../../src/shared/bus/memory-bus.ts';
import { BytesMessage } from '../../src/shared/bus/codec.ts';
import { REMOTE_OUTCOME } from '../../src/shared/cluster-messages.ts';
import { MemorySessionTable } from '../../src/shared/session-table/memory-session-table.ts';
import { encodeFd } from '../../src/shared/session-id.ts';
import type { SessionTable } from '../../src/shared/session-table/types.ts';
import { ClusterCalls } from '../../src/worker/cluster/cluster-calls.ts';
import { OPS } from '../../src/worker/cluster/cluster-ops.ts';
import type { Connection } from '../../src/worker/connection/connection.ts';
import type { HandshakeRequest } from '../../src/worker/handshake/handshake-io.ts';
import { LocalConnections } from '../../src/worker/local-connections.ts';
import { defineOps, isStr, op, OpMessage, packed, packedReply, type ClusterOp } from '../../src/worker/cluster/op-kit.ts';
import { NodeLiveness } from '../../src/worker/cluster/node-liveness.ts';
import { Router } from '../../src/worker/cluster/router.ts';
import { newCounters } from '../../src/worker/worker-stats.ts';
import { until } from '../helpers/server.ts';

const silent = pino({ level: 'silent' });

/** A connection as LocalConnections sees one, recording every call made on it. */
class FakeConn {
  readonly calls: unknown[][] = [];
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 50000;
  readonly path = '/';
  readonly protocol = '';
  readonly extensions = '';
  readonly connectTime = Date.now();
  lastRecvTime = this.connectTime;
  lastSendTime = 0;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  messagesOut = 0;
  bufferedAmount = 0;
  status = 3; // WebSocketStatus.Active
  rtt = -1;
  protected = false;
  constructor(readonly fd: number) {}
  send(payload: Buffer, opcode: number): string {
    this.calls.push(['send', opcode, payload.toString()]);
    return 'written';
  }
  sendShared(payload: Buffer, opcode: number): string {
    this.calls.push(['shared', opcode, payload.toString()]);
    return 'written';
  }
  ping(payload?: Buffer): string {
    this.calls.push(['ping', payload?.toString()]);
    return 'written';
  }
  pong(payload?: Buffer): string {
    this.calls.push(['pong', payload?.toString()]);
    return 'written';
  }
  disconnect(code: number, reason: string): boolean {
    this.calls.push(['disconnect', code, reason]);
    this.status = 4;
    return true;
  }
  close(): void {
    this.calls.push(['close']);
  }
}

interface Worker {
  calls: ClusterCalls;
  local: LocalConnections;
  router: Router;
  pipes: Array<[number, unknown]>;
  /** Opens a connection here: its fd names this worker. */
  open(seq: number): FakeConn;
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

interface WorkerOptions {
  workerCount?: number;
  sessions?: SessionTable;
  timeoutMs?: number;
  maxPendingRequests?: number;
  ops?: Record<string, ClusterOp>;
  liveness?: NodeLiveness;
}

async function worker(network: MemoryNetwork, node: number, slot: number, options: WorkerOptions = {}): Promise<Worker> {
  const bus = network.bus({ node, slot });
  await bus.start();
  const pipes: Array<[number, unknown]> = [];
  const local = new LocalConnections({ counters: newCounters(), log: silent, sessions: options.sessions ?? null, node, slot, pendingSocket: () => undefined, pipe: (src, data) => void pipes.push([src, data]) });
  // One memory network stands for both transports. Several nodes (a session table) only in
  // tests without broadcasts: the router would send those over both.
  const router: Router = new Router({
    self: { node, slot },
    embedded: bus,
    redis: options.sessions ? bus : null,
    handler: { serve: (body, from, wantsReply) => calls.serve(body, from, wantsReply) },
    log: silent,
    timeoutMs: options.timeoutMs ?? 2000,
    maxPendingRequests: options.maxPendingRequests ?? 1000,
  });
  const calls: ClusterCalls = new ClusterCalls({ router, workerCount: options.workerCount ?? 3, sessions: options.sessions ?? null, local, log: silent, ...(options.ops ? { ops: options.ops } : {}), ...(options.liveness ? { liveness: options.liveness } : {}) });
  stops.push(async () => {
    router.close();
    await bus.close();
  });
  const open = (seq: number): FakeConn => {
    const conn = new FakeConn(encodeFd(seq, node, slot));
    local.add(conn as unknown as Connection, { path: '/' } as HandshakeRequest);
    return conn;
  };
  return { calls, local, router, pipes, open };
}

/** Three workers of node 0. */
async function cluster(options: WorkerOptions = {}): Promise<{ network: MemoryNetwork; w: Worker[] }> {
  const network = createMemoryNetwork({ log: silent });
  const w = await Promise.all([0, 1, 2].map((slot) => worker(network, 0, slot, options)));
  return { network, w };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('operations on one fd, wherever it lives', () => {
  it('push: the local outcome here; forwarded, counted on both sides, for another worker; pushAsync waits for the owner', async () => {
    const { w } = await cluster();
    const [a, b] = w as [Worker, Worker];
    const mine = a.open(1);
    const theirs = b.open(1);
    expect(a.calls.fire(OPS.push, mine.fd, 'here', 1)).toBe('written');
    expect(a.calls.fire(OPS.push, theirs.fd, 'there', 1)).toBe('forwarded');
    expect(a.calls.fire(OPS.push, theirs.fd, new Uint8Array([104, 105]), 2)).toBe('forwarded');
    expect(await a.calls.ask(OPS.push, theirs.fd, Buffer.from('asked'), 2)).toBe('written');
    expect(mine.calls).toEqual([['send', 1, 'here']]);
    expect(theirs.calls).toEqual([['send', 1, 'there'], ['send', 2, 'hi'], ['send', 2, 'asked']]);
    expect(a.local.counters.pushesForwarded).toBe(2);
    expect(b.local.counters[REMOTE_OUTCOME.written]).toBe(3);
    // Pings and pongs through push keep their opcode.
    a.calls.fire(OPS.push, theirs.fd, 'p', 9);
    await until(() => theirs.calls.length === 4);
    expect(theirs.calls[3]).toEqual(['ping', 'p']);
  });

  it('disconnect, close, join, leave, bind, ping and protect reach the owner; describe answers from it', async () => {
    const { w } = await cluster();
    const [a, b] = w as [Worker, Worker];
    const conn = b.open(1);
    const fd = conn.fd;
    expect(a.calls.fire(OPS.join, fd, 'lobby', undefined)).toBe(true);
    expect(a.calls.fire(OPS.bind, fd, 'u1', undefined)).toBe(true);
    expect(a.calls.fire(OPS.protect, fd, true, undefined)).toBe(true);
    expect(a.calls.fire(OPS.ping, fd, Buffer.from('rtt'), undefined)).toBe(true);
    await settle();
    const info = await a.calls.ask(OPS.describe, fd, undefined, undefined);
    expect(info).toMatchObject({ exist: true, established: true, info: { fd, rooms: ['lobby'], uid: 'u1', protected: true } });
    expect(a.calls.fire(OPS.leave, fd, 'lobby', undefined)).toBe(true);
    expect(a.calls.fire(OPS.disconnect, fd, 4000, 'bye')).toBe(true);
    expect(a.calls.fire(OPS.close, fd, undefined, undefined)).toBe(true);
    await settle();
    expect(b.local.clientInfo(fd)?.rooms).toEqual([]);
    expect(conn.calls).toEqual([['ping', 'rtt'], ['disconnect', 4000, 'bye'], ['close']]);
    // The same calls on the caller's own fd run here, with the same answers.
    const mine = a.open(2);
    expect(a.calls.fire(OPS.join, mine.fd, 'lobby', undefined)).toBe(true);
    expect(await a.calls.ask(OPS.describe, mine.fd, undefined, undefined)).toMatchObject({ exist: true, info: { rooms: ['lobby'] } });
  });

  it("an fd nobody holds: 'unknown' and not found, from the owner it names or here for a malformed one", async () => {
    const { w } = await cluster();
    const [a] = w as [Worker];
    const gone = encodeFd(99, 0, 1);
    expect(await a.calls.ask(OPS.push, gone, 'x', 1)).toBe('unknown');
    expect(await a.calls.ask(OPS.describe, gone, undefined, undefined)).toEqual({ exist: false, established: false, info: null });
    for (const bad of [-1, 1.5, Number.NaN, 7]) {
      expect(a.calls.isLocal(bad)).toBe(true);
      expect(a.calls.fire(OPS.push, bad, 'x', 1)).toBe('unknown');
      expect(a.calls.fire(OPS.join, bad, 'r', undefined)).toBe(false);
    }
  });
});

describe('what a bus failure becomes', () => {
  it("down: 'unreachable', false, not found; counted", async () => {
    const { network, w } = await cluster();
    const [a, b] = w as [Worker, Worker];
    const fd = b.open(1).fd;
    network.disconnect({ node: 0, slot: 1 });
    expect(a.calls.fire(OPS.push, fd, 'x', 1)).toBe('unreachable');
    expect(a.calls.fire(OPS.join, fd, 'r', undefined)).toBe(false);
    expect(await a.calls.ask(OPS.push, fd, 'x', 1)).toBe('unreachable');
    expect(await a.calls.ask(OPS.describe, fd, undefined, undefined)).toEqual({ exist: false, established: false, info: null });
    expect(a.local.counters.pushesUnreachable).toBe(1);
    // A worker of a node no transport reaches.
    expect(a.calls.fire(OPS.push, encodeFd(1, 5, 0), 'x', 1)).toBe('unreachable');
  });

  it("congested: the bus over its budget, or too many calls awaiting answers", async () => {
    const network = createMemoryNetwork({ log: silent, maxQueuedBytes: 4096 });
    const [a, b] = await Promise.all([worker(network, 0, 0, { maxPendingRequests: 2 }), worker(network, 0, 1)]);
    const fd = b.open(1).fd;
    expect(a.calls.fire(OPS.push, fd, Buffer.alloc(5000), 2)).toBe('forwarded'); // an empty inbox takes one of any size
    expect(a.calls.fire(OPS.push, fd, 'x', 1)).toBe('congested');
    expect(await a.calls.ask(OPS.push, fd, 'x', 1)).toBe('congested');
    expect(a.local.counters.pushesCongested).toBe(1);
    await settle();
    const waiting = [a.calls.ask(OPS.push, fd, 'x', 1), a.calls.ask(OPS.push, fd, 'y', 1)];
    expect(await a.calls.ask(OPS.push, fd, 'z', 1)).toBe('congested');
    expect(await Promise.all(waiting)).toEqual(['written', 'written']);
  });

  it("silent owner: 'timeout' for pushAsync, not found for a question", async () => {
    const network = createMemoryNetwork({ log: silent });
    const a = await worker(network, 0, 0, { timeoutMs: 100 });
    const mute = network.bus({ node: 0, slot: 1 });
    await mute.start();
    stops.push(() => mute.close());
    const fd = encodeFd(1, 0, 1);
    expect(await a.calls.ask(OPS.push, fd, 'x', 1)).toBe('timeout');
    expect(await a.calls.ask(OPS.describe, fd, undefined, undefined)).toMatchObject({ exist: false });
  });

  it("an owner's node that dies while the call waits: 'unknown' once its lease is gone, 'timeout' while it is there", async () => {
    const network = createMemoryNetwork({ log: silent });
    let leaseHeld = true;
    const lookups: number[] = [];
    // Cached for a minute: only the recheck after the timeout can see the node die.
    const liveness = new NodeLiveness(async (node) => (lookups.push(node), leaseHeld), silent, 60_000);
    const a = await worker(network, 0, 0, { timeoutMs: 100, sessions: new MemorySessionTable(), liveness });
    const mute = network.bus({ node: 1, slot: 0 });
    await mute.start();
    stops.push(() => mute.close());
    const fd = encodeFd(1, 1, 0);
    // Alive (and it stays so): the silence is a timeout.
    expect(await a.calls.ask(OPS.push, fd, 'x', 1)).toBe('timeout');
    expect(lookups).toEqual([1, 1]);
    // The node dies after the cache said alive: the call still goes out, then the fresh look says gone.
    leaseHeld = false;
    expect(await a.calls.ask(OPS.push, fd, 'y', 1)).toBe('unknown');
    expect(await a.calls.ask(OPS.describe, fd, undefined, undefined)).toMatchObject({ exist: false });
  });

  it('a call the owner refuses (malformed, unknown op) is dropped there; a request gets an empty reply at once, not a timeout', async () => {
    const { w } = await cluster({ timeoutMs: 10_000 });
    const [a, b] = w as [Worker, Worker];
    const conn = b.open(1);
    const to = { node: 0, slot: 1 };
    // As a worker that did not check would send them: a close code that may not be sent, a
    // reason over 123 bytes, an opcode no push may have, an op id nobody defines.
    a.router.send(to, new OpMessage(OPS.disconnect, conn.fd, 1006, ''));
    a.router.send(to, new OpMessage(OPS.disconnect, conn.fd, 1000, 'z'.repeat(124)));
    a.router.send(to, new OpMessage(OPS.push, conn.fd, 'x', 7));
    a.router.send(to, new BytesMessage('send', 0, Buffer.from([250, 1, 2])));
    const started = Date.now();
    expect(await a.calls.ask(OPS.push, conn.fd, 'x', 0x0f)).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(conn.calls).toEqual([]);
    expect(b.local.clientInfo(conn.fd)?.websocketStatus).toBe(3);
  });
});

describe('fan-outs and questions to every worker', () => {
  it('broadcast and room pushes reach each connection of the cluster once, minus the excepted', async () => {
    const { w } = await cluster();
    const conns = w.flatMap((x) => [x.open(1), x.open(2)]);
    const [a] = w as [Worker];
    expect(a.calls.all(OPS.broadcast, 'all', 1, { except: [conns[3]!.fd], room: undefined })).toBe(true);
    for (const c of conns.slice(0, 3)) a.calls.fire(OPS.join, c.fd, 'r', undefined);
    await settle();
    expect(a.calls.room('r').except(conns[0]!.fd).push(Buffer.from('room'))).toBe(true);
    await until(() => conns.every((c) => c.calls.length >= (c === conns[3] ? 0 : 1)) && conns[1]!.calls.length === 2 && conns[2]!.calls.length === 2);
    await settle();
    expect(conns.map((c) => c.calls)).toEqual([
      [['shared', 1, 'all']],
      [['shared', 1, 'all'], ['shared', 2, 'room']],
      [['shared', 1, 'all'], ['shared', 2, 'room']],
      [],
      [['shared', 1, 'all']],
      [['shared', 1, 'all']],
    ]);
  });

  it('uids: bind anywhere, getFdsByUid and pushToUid across the workers', async () => {
    const { w } = await cluster();
    const [a, b, c] = w as [Worker, Worker, Worker];
    const [x, y, z] = [a.open(1), b.open(1), c.open(1)];
    for (const conn of [x, y]) a.calls.fire(OPS.bind, conn.fd, 'alice', undefined);
    c.calls.fire(OPS.bind, z.fd, 'bob', undefined);
    await settle();
    expect((await c.calls.each(OPS.fdsByUid, 'alice')).sort()).toEqual([x.fd, y.fd].sort());
    expect((await b.calls.each(OPS.fds, undefined)).sort()).toEqual([x.fd, y.fd, z.fd].sort());
    expect(c.calls.all(OPS.pushToUid, 'alice', 'hi', 1)).toBe(true);
    await until(() => x.calls.length === 1 && y.calls.length === 1);
    expect(z.calls).toEqual([]);
  });

  it('a worker that does not answer adds nothing to a gathered list', async () => {
    const { network, w } = await cluster();
    const [a, b] = w as [Worker, Worker];
    const mine = a.open(1);
    b.open(1);
    network.disconnect({ node: 0, slot: 1 });
    expect(await a.calls.each(OPS.fds, undefined)).toEqual([mine.fd]);
  });

  it('with a session table (several nodes), it answers the questions: no bus round', async () => {
    const sessions = new MemorySessionTable();
    const network = createMemoryNetwork({ log: silent });
    const a = await worker(network, 0, 0, { sessions, workerCount: 1 });
    const b = await worker(network, 1, 0, { sessions, workerCount: 1 });
    const theirs = b.open(1);
    a.calls.fire(OPS.bind, theirs.fd, 'carol', undefined);
    await settle();
    expect(await a.calls.each(OPS.fdsByUid, 'carol')).toEqual([theirs.fd]);
    expect(await a.calls.each(OPS.fds, undefined)).toEqual([theirs.fd]);
    // And an fd of the other node is reached directly.
    expect(await a.calls.ask(OPS.push, theirs.fd, 'over there', 1)).toBe('written');
  });

  it("sendMessage: to another worker's pipe, by slot or node * 256 + slot; never to itself", async () => {
    const { w } = await cluster();
    const [a, b] = w as [Worker, Worker];
    expect(a.calls.toWorker(OPS.pipe, 1, 0, { n: 1, buf: Buffer.from('x'), when: new Date(0) }, undefined)).toBe(true);
    expect(a.calls.toWorker(OPS.pipe, 0, 0, 'me', undefined)).toBe(false);
    await until(() => b.pipes.length === 1);
    // What the wire does to it: msgpack (Buffers stay Buffers, Dates Dates).
    expect(b.pipes[0]).toEqual([0, { n: 1, buf: Buffer.from('x'), when: new Date(0) }]);
  });
});

describe('adding an operation', () => {
  it('is one entry in the table: it then runs here and on any other worker, with its typed reply', async () => {
    // What cluster-ops.ts's comment says: one entry (here in a table of the test's own).
    const TABLE = defineOps({
      ...OPS,
      shout: op({
        target: 'fd',
        args: packed((v: unknown): v is number => typeof v === 'number', isStr),
        local: (w, fd: number, text: string) => `${text.toUpperCase()} from ${w.slot}`,
        reply: packedReply(isStr),
        failed: (why) => `no answer (${why})`,
      }),
    });
    const { w } = await cluster({ ops: TABLE });
    const [a, b] = w as [Worker, Worker];
    const fd = b.open(1).fd;
    const answer: string = await a.calls.ask(TABLE.shout, fd, 'hello', undefined);
    expect(answer).toBe('HELLO from 1');
    expect(await a.calls.ask(TABLE.shout, a.open(1).fd, 'hi', undefined)).toBe('HI from 0');
    // The table's own entries keep working alongside.
    expect(await a.calls.ask(TABLE.push, fd, 'x', 1)).toBe('written');
  });
});
