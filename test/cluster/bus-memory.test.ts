/**
 * What a burst of cross-worker traffic costs the sender, measured on the real cluster: the
 * sender worker's RSS (/proc/<pid>/status) under a flood must stay within a limit derived from
 * the bus settings, and the sends past the budget must say 'congested'. The bounds come from
 * the settings, the slack from what an idle worker's RSS wanders by (GC, JIT) on this machine.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PUBLISH_OVERHEAD_BYTES } from '../../src/shared/bus/redis-bus.ts';
import { ClusterKeys } from '../../src/shared/redis-keys.ts';
import { encodeFd } from '../../src/shared/session-id.ts';
import { closeAll, hello, startCluster, stats, type Hello } from '../helpers/cluster.ts';
import { externalTool, killAll } from '../helpers/process.ts';
import { deleteKeys, REDIS_URL, redisProbe } from '../helpers/redis.ts';
import { sampleUntil, until } from '../helpers/server.ts';

const MiB = 1024 * 1024;
/**
 * What a worker's RSS moves by around a flood beyond what the bus holds: refused sends'
 * envelopes and GC timing. The loop's own cost (1M template strings and calls grow an idle
 * worker by ~16 MiB with no bus at all: V8 keeps the heap it grew) is paid before the baseline
 * is taken, by the same flood towards an fd that has no transport (warmBaseline).
 */
const SLACK = 16 * MiB;
const procfs = existsSync('/proc/self/status');
const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');

const clients: Hello[] = [];
afterEach(async () => {
  await closeAll(clients.splice(0));
  await killAll();
});

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for pid ${pid}`);
  return Number(m[1]);
}
const rss = (pid: number): number => statusKiB(pid, 'VmRSS') * 1024;

/**
 * The highest RSS of `pid` while `during` runs: the kernel's peak (VmHWM, reset first through
 * clear_refs) when we may reset it, and in any case the highest of samples taken every 5 ms.
 */
async function peakRss<T>(pid: number, during: () => Promise<T>): Promise<{ peak: number; result: T }> {
  let hwm = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    hwm = false;
  }
  let sampled = rss(pid);
  const sampler = setInterval(() => (sampled = Math.max(sampled, rss(pid))), 5);
  try {
    const result = await during();
    sampled = Math.max(sampled, rss(pid));
    return { peak: hwm ? Math.max(sampled, statusKiB(pid, 'VmHWM') * 1024) : sampled, result };
  } finally {
    clearInterval(sampler);
  }
}

/** A fixture command through `via`, with a deadline fit for a flood (helpers' command(): 5 s). */
async function run(via: Hello, cmd: Record<string, unknown>, timeoutMs = 60_000): Promise<any> {
  const before = via.messages.length;
  const result = () => via.messages.slice(before).find((m) => m.startsWith('{"type":"result"'));
  via.ws.send(JSON.stringify(cmd));
  await until(() => result() !== undefined, timeoutMs, `result of ${String(cmd.cmd)}`);
  return (JSON.parse(result()!) as { value: unknown }).value;
}

/**
 * The baseline: RSS once the same flood, sent to an fd no transport reaches (slot 200 of the
 * sender's node, which has no such worker: every send is 'unreachable' at once), has grown V8's
 * heap to what the loop itself needs, and `warm` sends to the real target have compiled the
 * bus's code paths.
 */
async function warmBaseline(via: Hello, pid: number, cmd: Record<string, unknown>, warm: number): Promise<number> {
  const nowhere = encodeFd(2 ** 20, Math.floor(via.fd / 256) % 4096, 200);
  const lost = await run(via, { ...cmd, fd: nowhere });
  expect(lost.unreachable).toBe(cmd.n);
  if (warm > 0) await run(via, { ...cmd, n: warm });
  await new Promise((r) => setTimeout(r, 500));
  return rss(pid);
}

const fmt = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

describe.skipIf(!procfs)('sender memory under a flood of cross-worker pushes', () => {
  it('embedded bus: 1,000,000 pushes in one loop to another worker stay within 2 x embeddedBusMaxQueuedBytes + slack; the rest are congested', async () => {
    const cap = 1 * MiB;
    const cli = await startCluster(['--workers', '2', '--dispatch-mode', '1'], { SWITCHYARD_EMBEDDED_BUS_MAX_QUEUED_BYTES: String(cap) });
    clients.push(await hello(cli.port), await hello(cli.port));
    const sender = clients.find((c) => c.worker === 0)!;
    const owner = clients.find((c) => c.worker === 1)!;
    // An fd of worker 1 that does not exist: the owner only counts it, no client is flooded.
    const target = owner.fd + 2 ** 20 * 1000;
    const n = 1_000_000;
    const base = await warmBaseline(sender, sender.pid, { cmd: 'flood', fd: target, n }, 2000);
    const { peak, result } = await peakRss(sender.pid, () => run(sender, { cmd: 'flood', fd: target, n }));
    // The peer's queue holds at most `cap` of frames counted at what they cost (bytes plus the
    // bookkeeping of each Buffer not yet copied into a run); V8 and malloc may keep as much
    // again before giving it back: 2 x cap, plus the slack of the loop's own garbage.
    const limit = base + 2 * cap + SLACK;
    console.info(`embedded flood: ${JSON.stringify(result)}; sender RSS ${fmt(base)} -> peak ${fmt(peak)} (limit ${fmt(limit)})`);
    expect(peak, 'sender peak RSS').toBeLessThanOrEqual(limit);
    expect(result.forwarded + result.congested).toBe(n);
    expect(result.congested).toBeGreaterThan(0);
    expect(result.unreachable).toBeUndefined();
    // The sender counts them apart in stats.
    const counted = await sampleUntil(async () => (await stats(cli.port)).pushesCongested as number, (c) => c === result.congested, 5000, 100);
    expect(counted).toBe(result.congested);
  }, 90_000);

  describe.runIf(redis.run)('over Redis', () => {
    const cluster = `sy-test-mem-${randomBytes(4).toString('hex')}`;
    afterAll(() => deleteKeys(cluster));

    it('Redis bus: 300,000 pushes in one loop to another node stay within 2 x redisBusMaxPendingBytes + slack; the rest are congested', async () => {
      if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
      const cap = 8 * MiB;
      const args = ['--workers', '1', '--redis', REDIS_URL, '--cluster-name', cluster];
      const env = { SWITCHYARD_REDIS_BUS_MAX_PENDING_BYTES: String(cap) };
      const [a, b] = await Promise.all([startCluster(args, env), startCluster(args, env)]);
      clients.push(await hello(a.port), await hello(b.port));
      const [sender, remote] = clients as [Hello, Hello];
      // An fd of node B's worker that does not exist: node B only counts it.
      const target = remote.fd + 2 ** 20 * 1000;
      const n = 300_000;
      const base = await warmBaseline(sender, sender.pid, { cmd: 'flood', fd: target, n }, 2000);
      const { peak, result } = await peakRss(sender.pid, () => run(sender, { cmd: 'flood', fd: target, n }));
      // Publishes awaiting Redis hold at most `cap`, each counted at more than it holds (2.5 KiB
      // of ioredis and our bookkeeping, measured 2.4 KB, plus the envelope twice: ours and the
      // serialized command's copy); V8 and malloc may keep as much again: 2 x cap + slack.
      const limit = base + 2 * cap + SLACK;
      console.info(`redis flood: ${JSON.stringify(result)}; sender RSS ${fmt(base)} -> peak ${fmt(peak)} (limit ${fmt(limit)})`);
      expect(peak, 'sender peak RSS').toBeLessThanOrEqual(limit);
      expect(result.forwarded + result.congested).toBe(n);
      expect(result.forwarded).toBeLessThanOrEqual(cap / PUBLISH_OVERHEAD_BYTES + 1);
      expect(result.congested).toBeGreaterThan(0);
    }, 120_000);

    it('calls awaiting answers are bounded: 200,000 pushAsync to a node that never answers keep busMaxPendingRequests waiting, the rest congested', async () => {
      if (!redis.available) throw new Error(redis.problem ?? 'Redis unavailable');
      const maxPending = 1000;
      const cap = 8 * MiB;
      const cli = await startCluster(['--workers', '1', '--redis', REDIS_URL, '--cluster-name', cluster, '--bus-timeout-ms', '60000'], {
        SWITCHYARD_BUS_MAX_PENDING_REQUESTS: String(maxPending),
        SWITCHYARD_REDIS_BUS_MAX_PENDING_BYTES: String(cap),
      });
      clients.push(await hello(cli.port));
      const [sender] = clients as [Hello];
      // Node 4000 holds a lease (alive: a dead node's fds answer 'unknown' at once) but no
      // process subscribes for it: Redis takes each publish, so every call waits for an answer
      // that never comes, for busTimeoutMs (60 s here).
      const lease = new Redis(REDIS_URL);
      await lease.set(new ClusterKeys(cluster).node(4000), JSON.stringify({ token: 'test', info: { host: 'nowhere', pid: 0, workers: 1 } }), 'PX', 120_000);
      lease.disconnect();
      const target = encodeFd(2 ** 20, 4000, 0);
      const n = 200_000;
      // No warm-up to the real target: its calls would wait (60 s) and fill the budget before the baseline.
      const base = await warmBaseline(sender, sender.pid, { cmd: 'floodAsync', fd: target, n, batch: 100 }, 0);
      const { peak, result } = await peakRss(sender.pid, () => run(sender, { cmd: 'floodAsync', fd: target, n, batch: 100 }));
      // Each waiting call holds its promise chain and entry (~1 KiB measured; 4 KiB allowed),
      // its publish is gone once Redis replied (at most `cap` in flight, 2 x cap as above).
      const limit = base + maxPending * 4096 + 2 * cap + SLACK;
      console.info(`pushAsync flood: ${JSON.stringify(result)}; sender RSS ${fmt(base)} -> peak ${fmt(peak)} (limit ${fmt(limit)})`);
      expect(peak, 'sender peak RSS').toBeLessThanOrEqual(limit);
      expect(result.waiting).toBeLessThanOrEqual(maxPending);
      expect(result.congested).toBeGreaterThanOrEqual(n - maxPending);
      expect(result.unreachable).toBeUndefined();
    }, 120_000);
  });
});
