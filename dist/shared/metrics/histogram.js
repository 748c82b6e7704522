/**
 * A Prometheus histogram as plain numbers: fixed upper bounds, one count per bucket (not
 * cumulative: observe() touches one slot; the renderer accumulates), the sum and the count.
 * An observation is a short scan of the bounds and three increments: no allocation.
 */
export class Histogram {
    bounds;
    counts;
    sum = 0;
    count = 0;
    /** `bounds`: finite upper bounds, strictly ascending (le="+Inf" is implied). */
    constructor(bounds) {
        for (let i = 0; i < bounds.length; i++) {
            if (!Number.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
                throw new RangeError(`histogram bounds must be finite and ascending: ${bounds.join(', ')}`);
        }
        this.bounds = bounds;
        this.counts = new Array(bounds.length + 1).fill(0);
    }
    /** One observation: it falls in the first bucket whose bound is >= value (Prometheus' `le`). */
    observe(value) {
        const b = this.bounds;
        let i = 0;
        while (i < b.length && value > b[i])
            i++;
        this.counts[i]++;
        this.sum += value;
        this.count++;
    }
    data() {
        return { counts: this.counts.slice(), sum: this.sum, count: this.count };
    }
}
export function emptyHistogram(bounds) {
    return { counts: new Array(bounds.length + 1).fill(0), sum: 0, count: 0 };
}
/** a + b, bucket by bucket (same bounds). */
export function addHistograms(a, b) {
    return { counts: a.counts.map((n, i) => n + (b.counts[i] ?? 0)), sum: a.sum + b.sum, count: a.count + b.count };
}
//# sourceMappingURL=histogram.js.map