import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g), ...src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

describe('imports point inward (STYLE.md principle 4)', () => {
  it('the protocol core does no I/O: no sockets, processes, zlib streams, Redis or logging', () => {
    // zlib: the permessage-deflate codec (streams, the job limiter) is I/O-side, src/worker/deflate-codec.ts.
    const banned = /^(node:)?(net|http|https|cluster|child_process|dgram|tls|fs|worker_threads|zlib)$|^ioredis$|^pino/;
    const offenders = filesUnder(join(root, 'src/shared/protocol')).flatMap((f) => importsOf(f).filter((i) => banned.test(i)).map((i) => `${relative(root, f)} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('shared code imports neither worker nor master code', () => {
    const offenders = filesUnder(join(root, 'src/shared')).flatMap((f) => importsOf(f).filter((i) => /\/(worker|master)\//.test(i)).map((i) => `${relative(root, f)} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('no console.log in src/ (structured pino logs only)', () => {
    const offenders = filesUnder(join(root, 'src')).filter((f) => /\bconsole\.(log|info|warn|error|debug)\(/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
