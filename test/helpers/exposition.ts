/**
 * A small reader of the Prometheus text exposition (format 0.0.4), written for the tests apart
 * from src/shared/metrics/ so that the renderer is not checked against itself: HELP and TYPE
 * lines, samples with escaped label values, NaN and ±Inf. Throws on anything malformed,
 * including a sample whose family has no TYPE line before it.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Parsed {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(text: string, line: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new SyntaxError(`bad value in ${JSON.stringify(line)}`);
  return v;
}

/** `{a="x",b="y"}` from `at` (the `{`): the labels and the index after the `}`. */
function parseLabels(line: string, at: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  while (line[i] !== '}') {
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i))?.[0];
    if (!name || line[i + name.length] !== '=' || line[i + name.length + 1] !== '"') throw new SyntaxError(`bad label in ${JSON.stringify(line)}`);
    i += name.length + 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new SyntaxError(`unterminated label value in ${JSON.stringify(line)}`);
      i++;
      if (c === '"') break;
      if (c !== '\\') {
        value += c;
        continue;
      }
      const e = line[i++];
      if (e === 'n') value += '\n';
      else if (e === '\\' || e === '"') value += e;
      else throw new SyntaxError(`bad escape \\${e} in ${JSON.stringify(line)}`);
    }
    if (name in labels) throw new SyntaxError(`label ${name} twice in ${JSON.stringify(line)}`);
    labels[name] = value;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new SyntaxError(`expected , or } in ${JSON.stringify(line)}`);
  }
  return { labels, end: i + 1 };
}

export function parseExposition(text: string): Parsed {
  const parsed: Parsed = { help: new Map(), type: new Map(), samples: [] };
  if (!text.endsWith('\n')) throw new SyntaxError('the exposition must end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'HELP') parsed.help.set(name, rest.replace(/\\(n|\\)/g, (_m, e: string) => (e === 'n' ? '\n' : '\\')));
      else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new SyntaxError(`bad type in ${JSON.stringify(line)}`);
        if (parsed.type.has(name)) throw new SyntaxError(`TYPE of ${name} twice`);
        parsed.type.set(name, rest);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (!name) throw new SyntaxError(`bad sample ${JSON.stringify(line)}`);
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i));
    if (line[i] !== ' ') throw new SyntaxError(`expected a space in ${JSON.stringify(line)}`);
    const value = parseValue(line.slice(i + 1), line);
    const family = parsed.type.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    if (!parsed.type.has(family)) throw new SyntaxError(`sample ${name} before its TYPE line`);
    parsed.samples.push({ name, labels, value });
  }
  return parsed;
}

const matches = (sample: ParsedSample, labels: Record<string, string>): boolean => Object.entries(labels).every(([k, v]) => sample.labels[k] === v);

/** The sum of the samples of `name` whose labels include `labels`. */
export function total(p: Parsed, name: string, labels: Record<string, string> = {}): number {
  return p.samples.filter((s) => s.name === name && matches(s, labels)).reduce((n, s) => n + s.value, 0);
}

/** The one sample of `name` with exactly these labels (throws when there is none or several). */
export function sampleValue(p: Parsed, name: string, labels: Record<string, string>): number {
  const found = p.samples.filter((s) => s.name === name && matches(s, labels) && Object.keys(s.labels).length === Object.keys(labels).length);
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
  return found[0]!.value;
}
