/**
 * What every attack of `npm run hostile` shares: the settings, the context it runs in, and
 * one case = one server (fresh, or reused in --quick) + an RSS watch + the attack's figures.
 * A case that fails (a server that will not start, a client process that dies) becomes a
 * result with `error`, never the end of the run.
 */
import { DEFAULT_CONFIG } from '../../src/shared/config.ts';
import { sleep } from '../lib/processes.ts';
import type { ClientPool } from './pool.ts';
import type { ServerKind, ServerSpec, Servers, Side } from './servers.ts';
import { RssWatch, type RssFigures } from './watch.ts';

export const ATTACKS = ['deflate-flood', 'ping-flood', 'push-flood', 'handoff-burst', 'redis-restart', 'slow-http', 'garbage-head', 'flood-fairness', 'strictness'] as const;
export type AttackName = (typeof ATTACKS)[number];

/** Switchyard's default largest message: ws gets the same maxPayload, so both refuse the same. */
export const PACKAGE_MAX_LENGTH = DEFAULT_CONFIG.packageMaxLength;

export interface Settings {
  /** Seconds each attack (each case) runs. */
  duration: number;
  quick: boolean;
  only: AttackName[];
  /** The servers attacked (both by default). */
  servers: ServerKind[];
  out: string;
  rssCeilingMb: number;
  workers: number;
  /** Seconds after the attack's clients closed before the server's RSS is read again. */
  afterSeconds: number;
  /** slow-http: sockets per group, and when they are counted (T). */
  slowSockets: number;
  slowSeconds: number;
  /** push-flood: pushes in the loop. */
  pushes: number;
  /** handoff-burst: upgrades, and how many in flight. */
  upgrades: number;
  upgradesInFlight: number;
  /** A client's wait for a 101 (connect counts) or an HTTP answer (garbage heads). */
  connectDeadlineMs: number;
  answerDeadlineMs: number;
  redisUrl: string;
}

export interface CaseResult {
  attack: AttackName;
  case: string;
  server: ServerKind;
  serverLabel: string;
  /** An earlier case ran against the same server (--quick only). */
  reused: boolean;
  rss: RssFigures | null;
  error: string | null;
  [figure: string]: unknown;
}

export interface AttackOutput {
  cases: CaseResult[];
  /** Header row first. */
  table: string[][];
  notes: string[];
  /** Why the attack did not run (a missing Redis); its cases are then empty. */
  skipped?: string;
}

export interface AttackContext {
  s: Settings;
  log(msg: string): void;
  pool: ClientPool;
  servers: Servers;
}

export interface Attack {
  name: AttackName;
  title: string;
  /** Hard limit of the whole attack (all its cases), seconds. */
  limitSeconds(s: Settings): number;
  run(ctx: AttackContext): Promise<AttackOutput>;
}

export const KINDS: readonly ServerKind[] = ['switchyard', 'ws'];

/** Waits of clients that only watch or command (a receiver's hello, a driver's reply): generous, a busy machine must not fail a run. */
export const CONTROL_TIMEOUT_MS = 20_000;

/** The server of a kind as the attacks run it: `workers` each, ws with compression on and Switchyard's message limit. */
export function specFor(kind: ServerKind, workers: number, switchyardArgs: string[] = []): ServerSpec {
  return kind === 'switchyard' ? { kind, workers, args: switchyardArgs } : { kind, workers, deflate: true, maxPayload: PACKAGE_MAX_LENGTH };
}

/**
 * Runs `fn` for each item (a server kind, a case): one after the other, so that a measured
 * server has the machine's cores to itself, or all at once in the smoke run (--quick) and
 * where the figures are statuses and times the attack itself sets (`atOnce`: trickles,
 * single requests), not rates or CPU.
 */
export async function inTurn<I, T>(ctx: AttackContext, items: I[], fn: (item: I) => Promise<T>, atOnce = false): Promise<T[]> {
  if (ctx.s.quick || atOnce) return Promise.all(items.map(fn));
  const out: T[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

export interface CaseRun {
  side: Side;
  watch: RssWatch;
  /** Resolves after `ms`, or earlier when the RSS ceiling is hit (then true). */
  attackFor(ms: number): Promise<boolean>;
}

/**
 * One case: gets the server, watches its RSS from just before `body` until `afterSeconds`
 * after it (the body closes its clients before returning), and records the figures it
 * returns. With `measureRss` false (HTTP answers only) no RSS is reported.
 */
export async function runCase(ctx: AttackContext, attack: AttackName, name: string, spec: ServerSpec, body: (run: CaseRun) => Promise<Record<string, unknown>>, measureRss = true): Promise<CaseResult> {
  const base = { attack, case: name, server: spec.kind, serverLabel: spec.kind, reused: false, rss: null, error: null };
  let side: Side;
  let reused: boolean;
  try {
    ({ side, reused } = await ctx.servers.get(spec));
  } catch (err) {
    return { ...base, error: `server did not start: ${(err as Error).message.split('\n')[0]}` };
  }
  const result: CaseResult = { ...base, serverLabel: side.label, reused };
  // A fresh server settles before its baseline is read (startup garbage is not the attack's).
  if (!ctx.s.quick) await sleep(500);
  const watch = new RssWatch(side, ctx.s.rssCeilingMb * 2 ** 20);
  const attackFor = (ms: number) => Promise.race([sleep(ms).then(() => false), watch.tripped.then(() => true)]);
  try {
    Object.assign(result, await body({ side, watch, attackFor }));
    if (measureRss && side.alive()) await attackFor(ctx.s.afterSeconds * 1000);
  } catch (err) {
    result.error = (err as Error).message;
  }
  const rss = watch.stop();
  // Connections ended by our kill say nothing about what the server would have done.
  if (rss.ceilingHit && 'serverDid' in result) result.serverDid = `killed here at the ${ctx.s.rssCeilingMb} MB RSS ceiling after ${rss.ceilingAtSeconds} s`;
  if (measureRss) result.rss = rss;
  else if (rss.exited || rss.lost.length > 0) result.rss = rss; // a death is always reported
  if (rss.ceilingHit) ctx.log(`${attack} ${name} on ${side.label}: RSS ceiling ${ctx.s.rssCeilingMb} MB hit at ${rss.ceilingAtSeconds} s, server killed`);
  if (rss.exited) ctx.log(`${attack} ${name} on ${side.label}: the server exited during the attack\n${side.tail()}`);
  else if (rss.lost.length > 0) ctx.log(`${attack} ${name} on ${side.label}: ${rss.lost.length} server process(es) died during the attack`);
  watch.expectExit();
  await ctx.servers.release(side);
  return result;
}

/** Counts of reasons, as "a 3, b 1" (largest first); "none" when empty. */
export function reasons(counts: Record<string, number>): string {
  const e = Object.entries(counts).filter(([, n]) => n > 0);
  return e.length === 0 ? 'none' : e.sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** An RSS cell for the tables: "+12.3 MB (ceiling hit)". */
export function rssCell(r: CaseResult): string {
  if (r.error !== null && r.rss === null) return 'error';
  if (r.rss === null) return 'n/a';
  const flags = [r.rss.ceilingHit ? 'ceiling hit' : '', r.rss.exited ? 'server exited' : r.rss.lost.length > 0 ? `${r.rss.lost.length} process(es) died` : ''].filter(Boolean);
  return `+${r.rss.growthMB} MB${flags.length ? ` (${flags.join(', ')})` : ''}`;
}
