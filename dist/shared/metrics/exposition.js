/**
 * The Prometheus text exposition format, version 0.0.4: for each family a `# HELP` and a
 * `# TYPE` line, then its samples, `name{label="value",...} value`. Histograms expand to
 * cumulative `_bucket{le="..."}` lines ending with le="+Inf" (equal to `_count`), then `_sum`
 * and `_count`. Label values escape `\`, `"` and newlines; HELP text escapes `\` and newlines.
 * Pure: figures in, text out.
 */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A sample value as Prometheus reads it (Go's ParseFloat): NaN, +Inf, -Inf, or the number. */
export function formatValue(v) {
    if (Number.isNaN(v))
        return 'NaN';
    if (v === Infinity)
        return '+Inf';
    if (v === -Infinity)
        return '-Inf';
    return String(v);
}
const NEEDS_ESCAPE = /[\\"\n]/;
export function escapeLabelValue(v) {
    if (!NEEDS_ESCAPE.test(v))
        return v;
    return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
export function escapeHelp(v) {
    return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
/** Label names already checked (a scrape repeats the same few hundreds of times). */
const checkedNames = new Set();
function checkLabelName(key) {
    if (checkedNames.has(key))
        return;
    if (!LABEL_NAME.test(key) || key.startsWith('__') || key === 'le')
        throw new RangeError(`invalid label name ${JSON.stringify(key)}`);
    checkedNames.add(key);
}
function labelText(labels, le) {
    let text = '';
    for (const key in labels) {
        checkLabelName(key);
        text += `${text === '' ? '{' : ','}${key}="${escapeLabelValue(labels[key])}"`;
    }
    if (le !== undefined)
        text += `${text === '' ? '{' : ','}le="${le}"`;
    return text === '' ? '' : `${text}}`;
}
/** The exposition of `families` (each name once; counters' names end in `_total`). */
export function renderExposition(families) {
    const out = [];
    const seen = new Set();
    for (const f of families) {
        if (!METRIC_NAME.test(f.name))
            throw new RangeError(`invalid metric name ${JSON.stringify(f.name)}`);
        if (seen.has(f.name))
            throw new RangeError(`metric ${f.name} appears twice`);
        seen.add(f.name);
        if (f.type === 'counter' && !f.name.endsWith('_total'))
            throw new RangeError(`counter ${f.name} must end in _total`);
        out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
        if (f.type !== 'histogram') {
            for (const s of f.samples)
                out.push(`${f.name}${labelText(s.labels)} ${formatValue(s.value)}`);
            continue;
        }
        for (const s of f.samples) {
            if (s.data.counts.length !== f.bounds.length + 1)
                throw new RangeError(`histogram ${f.name}: ${s.data.counts.length} buckets for ${f.bounds.length} bounds`);
            let cumulative = 0;
            for (let i = 0; i < f.bounds.length; i++) {
                cumulative += s.data.counts[i];
                out.push(`${f.name}_bucket${labelText(s.labels, formatValue(f.bounds[i]))} ${cumulative}`);
            }
            out.push(`${f.name}_bucket${labelText(s.labels, '+Inf')} ${s.data.count}`);
            out.push(`${f.name}_sum${labelText(s.labels)} ${formatValue(s.data.sum)}`);
            out.push(`${f.name}_count${labelText(s.labels)} ${s.data.count}`);
        }
    }
    out.push('');
    return out.join('\n');
}
//# sourceMappingURL=exposition.js.map