/**
 * Latencies in a fixed-size log-linear histogram (as HdrHistogram, much simplified): whatever
 * the number of samples, 12,288 counters and ~0.2 % relative error, so a generator records
 * millions of replies per second without keeping them. Recording is one bucket index and one
 * addition; `count` lets a whole batch of replies with the same latency be recorded at once.
 *
 * Values are whole microseconds v. Buckets 0..1023 hold v exactly; above, with
 * e = floor(log2 v) - 9, bucket (e << 9) + (v >> e): 512 buckets per power of two.
 */
import { round, type Percentiles } from './report.ts';

const BUCKETS = 24 << 9; // e up to 22: v up to 2^32 - 1 µs (71 minutes)
const MAX_US = 0xffff_ffff;

function bucketOf(us: number): number {
  const e = 22 - Math.clz32(us);
  return e <= 0 ? us : (e << 9) + (us >>> e);
}

/** Lowest value of a bucket and its width, in µs. */
function boundsOf(bucket: number): [number, number] {
  if (bucket < 1024) return [bucket, 1];
  const e = (bucket >> 9) - 1;
  return [(bucket - (e << 9)) * 2 ** e, 2 ** e];
}

export class LatencyHistogram {
  readonly counts = new Float64Array(BUCKETS);
  total = 0;
  maxMs = 0;

  /** `count` samples of `ms` milliseconds. */
  record(ms: number, count: number): void {
    const us = ms <= 0 ? 0 : ms >= MAX_US / 1000 ? MAX_US : Math.floor(ms * 1000);
    this.counts[bucketOf(us)]! += count;
    this.total += count;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.maxMs = 0;
  }

  /** The non-empty buckets as [bucket, count] pairs (small enough for JSON over IPC). */
  toSparse(): { buckets: Array<[number, number]>; maxMs: number } {
    const buckets: Array<[number, number]> = [];
    for (let b = 0; b < BUCKETS; b++) if (this.counts[b]! > 0) buckets.push([b, this.counts[b]!]);
    return { buckets, maxMs: this.maxMs };
  }

  addSparse(s: { buckets: Array<[number, number]>; maxMs: number }): void {
    for (const [b, n] of s.buckets) {
      this.counts[b]! += n;
      this.total += n;
    }
    if (s.maxMs > this.maxMs) this.maxMs = s.maxMs;
  }

  /**
   * p50/p99/p99.9 (each the middle of its bucket, never above the maximum) and the exact
   * maximum, in ms; NaN when empty. Ordered p50 ≤ p99 ≤ p999 ≤ max by construction.
   */
  percentiles(): Percentiles {
    if (this.total === 0) return { p50: NaN, p99: NaN, p999: NaN, max: NaN };
    const at = (q: number): number => {
      const rank = Math.max(1, Math.ceil(q * this.total));
      let seen = 0;
      for (let b = 0; b < BUCKETS; b++) {
        seen += this.counts[b]!;
        if (seen >= rank) {
          const [low, width] = boundsOf(b);
          return Math.min(this.maxMs, (low + (width - 1) / 2) / 1000);
        }
      }
      return this.maxMs;
    };
    return { p50: round(at(0.5)), p99: round(at(0.99)), p999: round(at(0.999)), max: round(this.maxMs) };
  }
}
