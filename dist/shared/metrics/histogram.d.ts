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
export declare class Histogram {
    readonly bounds: readonly number[];
    readonly counts: number[];
    sum: number;
    count: number;
    /** `bounds`: finite upper bounds, strictly ascending (le="+Inf" is implied). */
    constructor(bounds: readonly number[]);
    /** One observation: it falls in the first bucket whose bound is >= value (Prometheus' `le`). */
    observe(value: number): void;
    data(): HistogramData;
}
export declare function emptyHistogram(bounds: readonly number[]): HistogramData;
/** a + b, bucket by bucket (same bounds). */
export declare function addHistograms(a: HistogramData, b: HistogramData): HistogramData;
//# sourceMappingURL=histogram.d.ts.map