/**
 * A server's memory during an attack: the sum of its processes' VmRSS (/proc), sampled every
 * SAMPLE_MS. Baseline before the attack, peak during it (growth = peak - baseline), a series
 * for the record, and the two ways an attack can end the server:
 *   - the RSS ceiling: past it the whole server is SIGKILLed at once (a server growing by
 *     GBs must not take the machine down) and `tripped` resolves, so the attack stops;
 *   - a process of the server that dies on its own (a worker, the master): recorded with the
 *     time, whatever the server does next (Switchyard respawns a worker; ws-cluster stops).
 */
import { rssBytes } from '../lib/memory.ts';
import type { Side } from './servers.ts';

const SAMPLE_MS = 100;
/** The series keeps one point (the highest) per this many ms. */
const SERIES_MS = 500;

export const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

export interface RssFigures {
  baselineMB: number;
  peakMB: number;
  growthMB: number;
  /** At stop() (an attack stops the watch a while after its clients closed); null once the server is gone. */
  finalMB: number | null;
  ceilingHit: boolean;
  /** Seconds into the attack when the ceiling was hit. */
  ceilingAtSeconds: number | null;
  /** Processes of the server that were there at the start and died during the attack (not killed here). */
  lost: Array<{ pid: number; atSeconds: number }>;
  /** The server's leader (master / primary / only process) is gone, not killed here. */
  exited: boolean;
  /** [seconds, MB]: the highest sample of each half second. */
  seriesMB: Array<[number, number]>;
}

export class RssWatch {
  private readonly t0 = performance.now();
  private readonly basePids: number[];
  private readonly perPid = new Map<number, { baseline: number; peak: number }>();
  private readonly baseline: number;
  private peak: number;
  private readonly series: Array<[number, number]> = [];
  private readonly lost = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private ceilingAt: number | null = null;
  private killedHere = false;
  private fire = (): void => {};
  /** Resolves if the ceiling is hit (the server is already killed then). */
  readonly tripped = new Promise<void>((r) => (this.fire = r));

  constructor(
    private readonly side: Side,
    private readonly ceilingBytes: number,
  ) {
    this.basePids = side.pids();
    for (const pid of this.basePids) {
      const rss = rssBytes(pid);
      this.perPid.set(pid, { baseline: rss, peak: rss });
    }
    this.baseline = [...this.perPid.values()].reduce((a, p) => a + p.baseline, 0);
    this.peak = this.baseline;
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  private seconds(): number {
    return Math.round((performance.now() - this.t0) / 100) / 10;
  }

  /** Sums the server's RSS now (and records it). */
  sample(): number {
    let total = 0;
    for (const pid of this.side.pids()) {
      const rss = rssBytes(pid);
      total += rss;
      const p = this.perPid.get(pid);
      if (p) p.peak = Math.max(p.peak, rss);
      else this.perPid.set(pid, { baseline: 0, peak: rss }); // a respawned worker
    }
    if (!this.killedHere) for (const pid of this.basePids) if (!this.lost.has(pid) && rssBytes(pid) === 0) this.lost.set(pid, this.seconds());
    this.peak = Math.max(this.peak, total);
    const t = Math.floor((performance.now() - this.t0) / SERIES_MS) * (SERIES_MS / 1000);
    const last = this.series.at(-1);
    if (last && last[0] === t) last[1] = Math.max(last[1], mb(total));
    else this.series.push([t, mb(total)]);
    if (total > this.ceilingBytes && this.ceilingAt === null && this.side.alive()) {
      this.ceilingAt = this.seconds();
      this.killedHere = true;
      this.side.kill();
      this.fire();
    }
    return total;
  }

  /** One process's baseline and peak (bytes), e.g. the pushing worker. */
  process(pid: number): { baseline: number; peak: number } | null {
    return this.perPid.get(pid) ?? null;
  }

  /** The server is being stopped on purpose: its processes going away is not a death. */
  expectExit(): void {
    this.killedHere = true;
  }

  stop(): RssFigures {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const final = this.side.alive() && this.ceilingAt === null ? this.sample() : null;
    const exited = !this.killedHere && this.lost.has(this.side.leader);
    return {
      baselineMB: mb(this.baseline),
      peakMB: mb(this.peak),
      growthMB: mb(this.peak - this.baseline),
      finalMB: final === null ? null : mb(final),
      ceilingHit: this.ceilingAt !== null,
      ceilingAtSeconds: this.ceilingAt,
      lost: [...this.lost].map(([pid, atSeconds]) => ({ pid, atSeconds })),
      exited,
      seriesMB: this.series,
    };
  }
}
