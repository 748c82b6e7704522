/**
 * The router's calls awaiting answers (over the in-memory bus): bounded by maxPendingRequests,
 * expired in order by one timer, and a refused call says why.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMemoryNetwork } from '../../src/shared/bus/memory-bus.ts';
import type { Incoming } from '../../src/shared/bus/types.ts';
import { Router } from '../../src/worker/cluster/router.ts';
import { keep, push } from './messages.ts';
import { until } from '../../scripts/lib/wait.ts';

const silent = pino({ level: 'silent' });

async function pair(opts: { timeoutMs: number; maxPendingRequests: number; maxQueuedBytes?: number }) {
  const network = createMemoryNetwork({ log: silent, ...(opts.maxQueuedBytes ? { maxQueuedBytes: opts.maxQueuedBytes } : {}) });
  const a = network.bus({ node: 0, slot: 0 });
  const b = network.bus({ node: 0, slot: 1 });
  await Promise.all([a.start(), b.start()]);
  const heard: Incoming[] = [];
  b.onMessage = (msg) => void heard.push(keep(msg)); // b never answers
  const router = new Router({ self: a.self, embedded: a, redis: null, handler: { serve: () => undefined }, log: silent, ...opts });
  return { router, a, b, heard };
}

const info = (fd: number) => push(fd, 'info');
const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'answered', (err: { code: string }) => err.code);

describe('Router calls awaiting answers', () => {
  it('at most maxPendingRequests wait; the next is ERR_CONGESTED at once; expiry frees room again', async () => {
    const { router } = await pair({ timeoutMs: 100, maxPendingRequests: 3 });
    const to = { node: 0, slot: 1 };
    const waiting = [1, 2, 3].map((fd) => codeOf(router.request(to, info(fd))));
    expect(router.pendingRequests).toBe(3);
    expect(await codeOf(router.request(to, info(4)))).toBe('ERR_CONGESTED');
    expect(await Promise.all(waiting)).toEqual(['ERR_TIMEOUT', 'ERR_TIMEOUT', 'ERR_TIMEOUT']);
    expect(router.pendingRequests).toBe(0);
    const again = codeOf(router.request(to, info(5)));
    expect(router.pendingRequests).toBe(1);
    expect(await again).toBe('ERR_TIMEOUT');
  });

  it('expires calls in the order made, none before its own deadline, with one timer', async () => {
    const { router } = await pair({ timeoutMs: 150, maxPendingRequests: 100 });
    const to = { node: 0, slot: 1 };
    const ended: Array<{ fd: number; waited: number }> = [];
    const call = (fd: number) => {
      const made = Date.now();
      return router.request(to, info(fd)).catch(() => void ended.push({ fd, waited: Date.now() - made }));
    };
    const first = call(1);
    await new Promise((r) => setTimeout(r, 60));
    await Promise.all([first, call(2)]);
    expect(ended.map((e) => e.fd)).toEqual([1, 2]);
    // The timer armed for the first did not take the second with it (a slow machine only makes
    // these longer).
    for (const e of ended) expect(e.waited).toBeGreaterThanOrEqual(150);
  });

  it("says why a call could not be made: ERR_UNREACHABLE for no transport, ERR_CONGESTED for a full bus", async () => {
    const { router, b } = await pair({ timeoutMs: 1000, maxPendingRequests: 100, maxQueuedBytes: 1024 });
    expect(await codeOf(router.request({ node: 3, slot: 0 }, info(1)))).toBe('ERR_UNREACHABLE');
    const big = push(1, Buffer.alloc(2000));
    expect(router.send(b.self, big)).toBe('ok'); // an empty inbox takes one message of any size
    expect(await codeOf(router.request(b.self, info(2)))).toBe('ERR_CONGESTED');
    expect(router.pendingRequests).toBe(0);
  });
});

describe('Router replies', () => {
  async function pairServing(serve: (body: Buffer) => Buffer | Promise<Buffer> | undefined) {
    const network = createMemoryNetwork({ log: silent });
    const [a, b] = [network.bus({ node: 0, slot: 0 }), network.bus({ node: 0, slot: 1 })];
    await Promise.all([a.start(), b.start()]);
    const served: Array<{ body: string; wantsReply: boolean }> = [];
    const opts = { redis: null, log: silent, timeoutMs: 5000, maxPendingRequests: 10 };
    const caller = new Router({ self: a.self, embedded: a, handler: { serve: () => undefined }, ...opts });
    new Router({
      self: b.self,
      embedded: b,
      handler: {
        serve: (body, _from, wantsReply) => {
          served.push({ body: String(body.subarray(8)), wantsReply });
          return serve(body);
        },
      },
      ...opts,
    });
    return { caller, served, to: b.self };
  }

  it("a request gets the handler's reply body (sync or async); a send gets none", async () => {
    const { caller, served, to } = await pairServing((body) => (String(body.subarray(8)) === 'later' ? Promise.resolve(Buffer.from('async')) : Buffer.from('sync')));
    expect(String(await caller.request(to, push(1, 'now')))).toBe('sync');
    expect(String(await caller.request(to, push(2, 'later')))).toBe('async');
    expect(caller.send(to, push(3, 'fire'))).toBe('ok');
    // Delivered asynchronously: wait for it (a fixed 20 ms sleep lost the race on a loaded machine).
    await until(() => served.length >= 3, 5000, 'the send to be served');
    expect(served).toEqual([
      { body: 'now', wantsReply: true },
      { body: 'later', wantsReply: true },
      { body: 'fire', wantsReply: false },
    ]);
    expect(caller.pendingRequests).toBe(0);
  });

  it('a handler that throws or rejects answers an empty body at once (the caller does not wait out its timeout)', async () => {
    const { caller, to } = await pairServing((body) => {
      if (String(body.subarray(8)) === 'reject') return Promise.reject(new Error('bug'));
      throw new Error('bug');
    });
    const started = Date.now();
    expect((await caller.request(to, push(1, 'throw'))).length).toBe(0);
    expect((await caller.request(to, push(2, 'reject'))).length).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
