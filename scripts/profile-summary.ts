/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or a load script's --cpu-prof) as text:
 * busy time, then the functions with the most self time and the most inclusive time (time
 * in the function and everything it called), idle excluded. What the README's "what limits
 * it" paragraphs cite; bench/profiles/ holds the summaries behind them.
 *   tsx scripts/profile-summary.ts FILE.cpuprofile [--top 30] [--match REGEX]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, match: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: tsx scripts/profile-summary.ts FILE.cpuprofile [--top N] [--match REGEX]\n');
  process.exit(2);
}
const top = Number(values.top);
const match = values.match ? new RegExp(values.match) : null;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}${n.callFrame.lineNumber >= 0 ? `:${n.callFrame.lineNumber + 1}` : ''}`;

const selfBySample = new Map<number, number>();
profile.samples.forEach((id, i) => selfBySample.set(id, (selfBySample.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let busy = 0;
for (const [id, t] of selfBySample) {
  const node = byId.get(id)!;
  if (node.callFrame.functionName === '(idle)') continue;
  busy += t;
  self.set(name(node), (self.get(name(node)) ?? 0) + t);
  // Each function once per stack, however deep its recursion.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur)!);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + t);
  }
}

const rows = (m: Map<string, number>) =>
  [...m]
    .filter(([k]) => k !== '(root) ' && (!match || match.test(k)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, t]) => `${(t / 1000).toFixed(1).padStart(9)} ms ${((100 * t) / busy).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');

process.stdout.write(`${file}\nbusy ${(busy / 1000).toFixed(0)} ms (idle excluded)\n\nself time:\n${rows(self)}\n\ninclusive time:\n${rows(inclusive)}\n`);
