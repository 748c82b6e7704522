/**
 * A Prometheus histogram as plain numbers: fixed upper bounds, one count per bucket (not
 * cumulative: observe() touches one slot; the renderer accumulates), the sum and the count.
 * An observation is a short scan of the bounds and three increments: no allocation.
 */

/** A histogram's figures as data (what crosses IPC and Redis). `counts` has one slot per bound plus one past the last. */
export interface HistogramData {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram {
  readonly bounds: readonly number[];
  readonly counts: number[];
  sum = 0;
  count = 0;

  /** `bounds`: finite upper bounds, strictly ascending (le="+Inf" is implied). */
  constructor(bounds: readonly number[]) {
    for (let i = 0; i < bounds.length; i++) {
      if (!Number.isFinite(bounds[i]!) || (i > 0 && bounds[i]! <= bounds[i - 1]!)) throw new RangeError(`histogram bounds must be finite and ascending: ${bounds.join(', ')}`);
    }
    this.bounds = bounds;
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  /** One observation: it falls in the first bucket whose bound is >= value (Prometheus' `le`). */
  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }

  data(): HistogramData {
    return { counts: this.counts.slice(), sum: this.sum, count: this.count };
  }
}

export function emptyHistogram(bounds: readonly number[]): HistogramData {
  return { counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 };
}

/** a + b, bucket by bucket (same bounds). */
export function addHistograms(a: HistogramData, b: HistogramData): HistogramData {
  return { counts: a.counts.map((n, i) => n + (b.counts[i] ?? 0)), sum: a.sum + b.sum, count: a.count + b.count };
}
