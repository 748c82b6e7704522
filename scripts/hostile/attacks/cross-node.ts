/**
 * The setting of both cross-node attacks (push-flood, redis-restart): two Switchyard nodes of
 * one cluster over Redis (1 worker each, scripts/apps/hostile-app.ts), a receiver session on
 * node B (in a client process, counting deliveries) and a driver session on node A (whose
 * worker pushes to the receiver on command). A warm-up push checks the path across nodes
 * before the attack; if it does not arrive, the attack still runs and says so.
 */
import { randomBytes } from 'node:crypto';
import { BUCKET_MS } from '../../apps/hostile-app.ts';
import { CONTROL_TIMEOUT_MS, type AttackContext, type CaseRun } from '../attack.ts';
import type { Hello, ReceiverParams, ReceiverResult } from '../clients/misc.ts';
import { Driver } from '../driver.ts';
import type { Job } from '../pool.ts';
import type { ServerSpec, Side } from '../servers.ts';

export const APP = 'scripts/apps/hostile-app.ts';
const WARM_UP = 10;

export function clusterName(): string {
  return `hostile-${randomBytes(4).toString('hex')}`;
}

export function nodeSpec(tag: 'a' | 'b', redisUrl: string, cluster: string): ServerSpec {
  return { kind: 'switchyard', workers: 1, app: APP, args: ['--redis', redisUrl, '--cluster-name', cluster], tag };
}

export interface CrossNode {
  b: Side;
  receiver: Job<ReceiverResult>;
  target: Hello;
  driver: Driver;
  /** The warm-up push arrived. */
  pathWorks: boolean;
  delivered(): number;
  /** Ends the receiver and the driver; node B is released by the caller (release()). */
  finish(): Promise<ReceiverResult>;
  release(): Promise<void>;
}

/** Starts node B, the receiver on it and the driver on node A (`run.side`), and checks the path. */
export async function crossNode(ctx: AttackContext, run: CaseRun, specB: ServerSpec): Promise<CrossNode> {
  const { side: b } = await ctx.servers.get(specB);
  const release = () => ctx.servers.release(b);
  try {
    const receiver = await ctx.pool.start<ReceiverResult>('receiver', { host: b.host, port: b.port, path: '/echo', deadlineMs: CONTROL_TIMEOUT_MS, bucketMs: BUCKET_MS } satisfies ReceiverParams);
    const tick = (await receiver.until((t) => (t as { hello: Hello | null }).hello !== null, CONTROL_TIMEOUT_MS + 5000, "the receiver's hello")) as { hello: Hello } | null;
    if (tick === null) throw new Error(`the receiver on node B failed: ${(await receiver.result.catch((e: Error) => e)) as unknown as string}`);
    const driver = await Driver.connect(`ws://${run.side.host}:${run.side.port}/echo`, CONTROL_TIMEOUT_MS);
    const delivered = () => ((receiver.tick() as { delivered?: number } | null)?.delivered ?? 0);
    driver.send({ cmd: 'flood', to: tick.hello.fd, count: WARM_UP, size: 64 });
    await driver.reply('flood-done', CONTROL_TIMEOUT_MS);
    const pathWorks = await receiver.until((t) => (t as { delivered: number }).delivered >= WARM_UP, CONTROL_TIMEOUT_MS, 'the warm-up pushes').then(
      () => true,
      () => false,
    );
    if (!pathWorks) ctx.log(`the warm-up pushes from node A did not reach node B within ${CONTROL_TIMEOUT_MS / 1000} s (delivered ${delivered()}/${WARM_UP}); attacking anyway`);
    return {
      b,
      receiver,
      target: tick.hello,
      driver,
      pathWorks,
      delivered: () => Math.max(0, delivered() - WARM_UP),
      finish: async () => {
        driver.close();
        const r = await receiver.stop();
        return { ...r, delivered: Math.max(0, r.delivered - WARM_UP) };
      },
      release,
    };
  } catch (err) {
    await release();
    throw err;
  }
}

/** A node's push counters from GET /stats (null when it does not answer within 10 s). */
export async function pushStats(side: Side): Promise<Record<string, number> | null> {
  try {
    const res = await fetch(`http://${side.host}:${side.port}/stats`, { signal: AbortSignal.timeout(10_000) });
    const stats = (await res.json()) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(stats).filter((e): e is [string, number] => /push/i.test(e[0]) && typeof e[1] === 'number'));
  } catch {
    return null;
  }
}

/** Waits until `delivered()` reaches `expected`, or stops growing for `quietMs`, or `maxMs` passed. */
export async function settle(delivered: () => number, expected: number, quietMs: number, maxMs: number, stop: Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  let last = -1;
  let lastChange = t0;
  let stopped = false;
  void stop.then(() => (stopped = true));
  while (!stopped && delivered() < expected && performance.now() - t0 < maxMs) {
    const now = delivered();
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
