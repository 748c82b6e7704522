/**
 * Pieces the flooding attacks share: batches of prebuilt frames, flood jobs spread over
 * client processes, and what a flood's result says about the server (kept reading, paused,
 * closed).
 */
import { clientFrame, deflateMessage, OPCODE } from '../../lib/frames.ts';
import type { Job } from '../pool.ts';
import type { FloodParams, FloodResult, FloodTick } from '../clients/flooder.ts';
import type { AttackContext } from '../attack.ts';
import type { Side } from '../servers.ts';

/** About this many bytes per write of a flooder. */
const BATCH_BYTES = 64 * 1024;
/** No write completed for this long while open: the server stopped reading. */
export const STALL_MS = 1000;

/** `frame` repeated to about BATCH_BYTES (at least once). */
export function batchOf(frame: Buffer): Buffer {
  return Buffer.concat(Array.from({ length: Math.max(1, Math.floor(BATCH_BYTES / frame.length)) }, () => frame));
}

/**
 * A permessage-deflate message inflating to `inflated` bytes: raw deflate of one repeated
 * byte, sync-flushed, its trailing 00 00 ff ff removed (RFC 7692 §7.2.1), in a masked binary
 * frame with RSV1. Each one is a whole deflate stream of its own, valid with or without
 * context takeover.
 */
export function compressedFrame(inflated: number): Buffer {
  return clientFrame(OPCODE.binary, deflateMessage(Buffer.alloc(inflated, 0x61), 9), { rsv1: true });
}

/** Flood jobs for `connections` connections, over at most `processes` client processes. */
export async function startFlood(ctx: AttackContext, side: Side, connections: number, processes: number, p: Omit<FloodParams, 'host' | 'port' | 'connections'>): Promise<Array<Job<FloodResult>>> {
  const n = Math.min(processes, connections);
  const shares = Array.from({ length: n }, (_, i) => Math.floor(connections / n) + (i < connections % n ? 1 : 0));
  return Promise.all(shares.map((c) => ctx.pool.start<FloodResult>('flood', { ...p, host: side.host, port: side.port, connections: c } satisfies FloodParams)));
}

/** Waits (bounded) until every flood job has opened its connections or given up on them. */
export async function floodStarted(jobs: Array<Job<FloodResult>>, ms: number): Promise<void> {
  await Promise.all(jobs.map((j) => j.until((t) => (t as FloodTick).open >= 0, ms, 'the flooders to connect').catch(() => null)));
}

/** The results of several flood jobs as one. */
export function mergeFloods(rs: FloodResult[]): FloodResult {
  const failed: Record<string, number> = {};
  for (const r of rs) for (const [k, v] of Object.entries(r.failed)) failed[k] = (failed[k] ?? 0) + v;
  const total = (f: (r: FloodResult) => number) => rs.reduce((a, r) => a + f(r), 0);
  return {
    opened: total((r) => r.opened),
    failed,
    notNegotiated: total((r) => r.notNegotiated),
    accepted: total((r) => r.accepted),
    acceptedPerConnection: rs.flatMap((r) => r.acceptedPerConnection),
    received: total((r) => r.received),
    openAtStop: total((r) => r.openAtStop),
    stalledMs: Math.max(0, ...rs.map((r) => r.stalledMs)),
    ended: rs.flatMap((r) => r.ended).sort((a, b) => a.at - b.at),
    closeCodesAtDrain: rs.flatMap((r) => r.closeCodesAtDrain),
    seconds: Math.max(0, ...rs.map((r) => r.seconds)),
  };
}

/** What the server did to the flooders: closed them (codes, how), stopped reading, or neither. */
export function verdict(r: FloodResult): string {
  const parts: string[] = [];
  if (r.ended.length > 0) {
    const codes = [...new Set(r.ended.map((e) => (e.closeCode === null ? e.how : `close ${e.closeCode}`)))];
    parts.push(`closed ${r.ended.length}/${r.opened} at ${r.ended[0]!.at}-${r.ended.at(-1)!.at} s (${codes.join(', ')})`);
  }
  if (r.closeCodesAtDrain.length > 0) parts.push(`close ${[...new Set(r.closeCodesAtDrain)].join('/')} queued behind replies`);
  if (r.openAtStop > 0) parts.push(r.stalledMs >= STALL_MS ? `${r.openAtStop} open, not read for ${(r.stalledMs / 1000).toFixed(1)} s (paused)` : `${r.openAtStop} open, still read`);
  return parts.join('; ') || 'no connection';
}

/** Stops every job and returns their merged result. */
export async function stopFlood(jobs: Array<Job<FloodResult>>): Promise<FloodResult> {
  return mergeFloods(await Promise.all(jobs.map((j) => j.stop())));
}

export const MiB = 2 ** 20;
export const mib = (bytes: number): number => Math.round((bytes / MiB) * 10) / 10;
