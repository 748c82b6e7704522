import type { HistogramData } from './histogram.ts';
/**
 * The Prometheus text exposition format, version 0.0.4: for each family a `# HELP` and a
 * `# TYPE` line, then its samples, `name{label="value",...} value`. Histograms expand to
 * cumulative `_bucket{le="..."}` lines ending with le="+Inf" (equal to `_count`), then `_sum`
 * and `_count`. Label values escape `\`, `"` and newlines; HELP text escapes `\` and newlines.
 * Pure: figures in, text out.
 */
export declare const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
export type Labels = Readonly<Record<string, string>>;
export interface Sample {
    labels: Labels;
    value: number;
}
export interface HistogramSample {
    labels: Labels;
    data: HistogramData;
}
export type Family = {
    name: string;
    help: string;
    type: 'counter' | 'gauge';
    samples: readonly Sample[];
} | {
    name: string;
    help: string;
    type: 'histogram';
    bounds: readonly number[];
    samples: readonly HistogramSample[];
};
/** A sample value as Prometheus reads it (Go's ParseFloat): NaN, +Inf, -Inf, or the number. */
export declare function formatValue(v: number): string;
export declare function escapeLabelValue(v: string): string;
export declare function escapeHelp(v: string): string;
/** The exposition of `families` (each name once; counters' names end in `_total`). */
export declare function renderExposition(families: readonly Family[]): string;
//# sourceMappingURL=exposition.d.ts.map