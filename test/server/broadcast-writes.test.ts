/**
 * How a broadcast reaches this worker's sockets: the frame encoded once, written at once to each
 * connection with nothing queued (one tight loop of writes), at most once per connection per
 * turn: whatever else the same turn sends to a connection queues behind it and leaves in one
 * more write. Order per connection is the order of the calls.
 */
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameClient, startServer, until, type Running } from '../helpers/server.ts';

let srv: Running | undefined;
let restore: (() => void) | undefined;
afterEach(async () => {
  restore?.();
  restore = undefined;
  await srv?.stop();
  srv = undefined;
});

/** Counts Socket#write calls per socket (the server runs in this process) until restored. */
function countWrites(): Map<Socket, number> {
  const counts = new Map<Socket, number>();
  const original = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, ...args: unknown[]) {
    counts.set(this, (counts.get(this) ?? 0) + 1);
    return (original as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof original;
  restore = () => {
    Socket.prototype.write = original;
  };
  return counts;
}

const texts = (c: FrameClient) => c.poll().map((f) => f.payload.toString());
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('broadcast writes', () => {
  it('one broadcast in a turn: one write per connection; the sender excepted', async () => {
    srv = await startServer();
    const clients = await Promise.all([1, 2, 3, 4].map(() => FrameClient.open(srv!.port, '/x')));
    await until(() => srv!.server.localStats().connections === 4, 3000, 'four connections');
    const [sender] = [...srv.server.connections];
    const counts = countWrites();
    expect(srv.server.broadcast('hello', { except: sender })).toBe(true);
    // Written in the broadcast() call itself, not at the end of the turn.
    expect([...counts.values()]).toEqual([1, 1, 1]);
    await nextTurn();
    restore!();
    expect([...counts.values()]).toEqual([1, 1, 1]);
    await until(() => clients.filter((c) => c.poll().length === 1).length === 3, 3000, 'the broadcast at three clients');
    await new Promise((r) => setTimeout(r, 50)); // nothing more arrives
    const got = clients.map(texts);
    expect(got.filter((t) => t.length === 0)).toHaveLength(1); // the sender
    expect(got.filter((t) => t.length === 1 && t[0] === 'hello')).toHaveLength(3);
  });

  it('several broadcasts and pushes in one turn: in call order, at most two writes per connection', async () => {
    srv = await startServer();
    const clients = await Promise.all([1, 2, 3].map(() => FrameClient.open(srv!.port, '/x')));
    await until(() => srv!.server.localStats().connections === 3, 3000, 'three connections');
    const fds = [...srv.server.connections];
    const counts = countWrites();
    // fds[0] has a push queued before the broadcasts: they queue behind it (one write in all).
    srv.server.push(fds[0]!, 'p1');
    for (let i = 0; i < 5; i++) srv.server.broadcast(`b${i}`);
    srv.server.push(fds[1]!, 'p2');
    await nextTurn();
    restore!();
    const writes = [...counts.values()].sort();
    expect(writes).toEqual([1, 2, 2]);
    await until(() => clients.reduce((n, c) => n + c.poll().length, 0) === 3 * 5 + 2, 3000, 'every frame');
    // Which client holds which fd: the one with p1 first, the one with p2 last.
    const got = clients.map(texts);
    const withP1 = got.find((t) => t[0] === 'p1');
    const withP2 = got.find((t) => t.at(-1) === 'p2');
    const plain = got.find((t) => t !== withP1 && t !== withP2);
    expect(withP1).toEqual(['p1', 'b0', 'b1', 'b2', 'b3', 'b4']);
    expect(withP2).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'p2']);
    expect(plain).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    // The next turn starts over: a direct write again.
    const again = countWrites();
    srv.server.broadcast('next');
    expect([...again.values()]).toEqual([1, 1, 1]);
  });
});
