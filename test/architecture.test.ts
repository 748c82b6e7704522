/**
 * The architecture as rules on imports (STYLE.md principle 4: imports point inward), read from
 * the sources: no import cycle anywhere under src/ (type-only imports count: a cycle of types
 * is still two modules that cannot be understood apart), the roles do not reach into each
 * other, shared code serves both roles, the protocol core does no I/O, and the CLI loads a
 * role only through its entry point.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const SRC = join(root, 'src');

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

/** A file's path from the repository root (src/...). */
const rel = (file: string): string => relative(root, file);

/** The src/ files a file imports (relative specifiers resolved), as paths from the root. */
function localImportsOf(file: string): string[] {
  return importsOf(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec))
    .filter((path) => existsSync(path))
    .map(rel);
}

/** The import graph of src/: file -> the src/ files it imports. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(files.map((f) => [rel(f), [...new Set(localImportsOf(f))].sort()]));
}

/** Files that import each other, directly or not (a strongly connected component). */
export interface Tangle {
  /** Every file of it, sorted. */
  files: string[];
  /** One cycle through it, files in import order (a -> b -> ... -> a), from its first file. */
  cycle: string[];
}

/**
 * The graph's tangles: each strongly connected component of more than one file (or a file
 * that imports itself). Tarjan's algorithm; deterministic for a given graph.
 */
export function importTangles(graph: ReadonlyMap<string, readonly string[]>): Tangle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((component) => ({ files: component.sort(), cycle: cycleThrough(graph, new Set(component)) })).sort((a, b) => (a.files[0]! < b.files[0]! ? -1 : 1));
}

/** One cycle visiting files of `component` in import order, from its first file (sorted) back to it. */
function cycleThrough(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0]!;
  // Breadth-first within the component: the shortest way back to start.
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(from.get(path[0]!)!);
        return [...path, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Cycles there today, allowed until the work that removes them lands; each entry lists the
 * files of one cycle. A cycle is allowed if all its files are in one entry; an entry no cycle
 * touches any more fails the test too (delete it then).
 */
const KNOWN_CYCLES: ReadonlyArray<readonly string[]> = [];

/**
 * Imports that point the wrong way today, allowed until the work that removes them lands
 * ("importer -> imported"); one no longer there fails the test (delete it then).
 */
const KNOWN_WRONG_WAY: readonly string[] = [];

/**
 * The app contract (the callbacks an app registers, the server API they see) is the package's
 * public face, not a worker's insides: the master registers the same app file's master-side hooks
 * with it and the CLI loads apps by it.
 */
const APP_CONTRACT = 'src/worker/app-contract.ts';

/** Node's I/O modules and those that bring processes, timers, logs or Redis: none in the protocol core. */
const IO_MODULES = /^(node:)?(net|http|https|http2|cluster|child_process|dgram|dns|tls|fs|fs\/promises|zlib|timers|timers\/promises|worker_threads|perf_hooks|readline|stream|os)$|^ioredis$|^pino/;

/**
 * What the CLI may load of each role: the role's entry point (main.ts, worker-main.ts), the
 * master's pid-file helpers (stop/status find the master through them), the default app and the
 * app's types. The CLI parses settings and starts a role; the role's insides are the role's.
 */
const CLI_MAY_LOAD = new Set(['src/master/main.ts', 'src/master/control-server.ts', 'src/worker/worker-main.ts', 'src/worker/default-app.ts', APP_CONTRACT]);

/**
 * What the emitter (src/emitter.ts, src/emitter/: `switchyard/emitter`, run in processes that
 * are no Switchyard worker) may load of the worker: the wire forms of the cluster operations
 * (pure encoding: the op table gives the op ids, so the table itself) and the request map; the
 * app contract for its public types. No Server, no sockets, no master.
 */
const EMITTER_MAY_LOAD = new Set(['src/worker/cluster/cluster-ops.ts', 'src/worker/cluster/op-kit.ts', 'src/worker/cluster/payload.ts', 'src/worker/cluster/router.ts', APP_CONTRACT]);
const isEmitter = (path: string): boolean => path === 'src/emitter.ts' || path.startsWith('src/emitter/');

/** The src/ files `file` loads at run time (type-only imports left out: erased by the compiler). */
function runtimeImportsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.filter((spec) => spec.startsWith('.')).map((spec) => rel(resolve(dirname(file), spec)));
}

/** Every src/ file loaded at run time by `entry`, itself included. */
function runtimeClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path) || !existsSync(join(root, path))) return;
    seen.add(path);
    for (const next of runtimeImportsOf(join(root, path))) visit(next);
  };
  visit(entry);
  return seen;
}

/** Every import of src/ that breaks a direction rule, as "importer -> imported". */
function wrongWayImports(): string[] {
  const out: string[] = [];
  for (const file of filesUnder(SRC)) {
    const from = rel(file);
    const local = localImportsOf(file);
    const role = (path: string) => /^src\/(master|worker|shared|cli)\//.exec(path)?.[1] ?? (path === 'src/cli.ts' ? 'cli' : isEmitter(path) ? 'emitter' : 'root');
    for (const to of local) {
      const [a, b] = [role(from), role(to)];
      if (b === 'emitter' && a !== 'emitter') out.push(`${from} -> ${to}`); // nothing depends on the emitter
      if (a === 'emitter' && (b === 'master' || b === 'cli' || (b === 'worker' && !EMITTER_MAY_LOAD.has(to)))) out.push(`${from} -> ${to}`);
      if ((a === 'master' && b === 'worker' && to !== APP_CONTRACT) || (a === 'worker' && b === 'master') || (a === 'shared' && (b === 'master' || b === 'worker'))) out.push(`${from} -> ${to}`);
      else if (a === 'cli' && (b === 'master' || b === 'worker') && !CLI_MAY_LOAD.has(to)) out.push(`${from} -> ${to}`);
    }
    if (from.startsWith('src/shared/protocol/')) {
      for (const spec of importsOf(file)) if (IO_MODULES.test(spec)) out.push(`${from} -> ${spec}`);
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/\b(setTimeout|setInterval|setImmediate|process\.\w+)\b/g)) out.push(`${from} -> ${name}`);
    }
  }
  return out.sort();
}

describe('imports point inward (STYLE.md principle 4)', () => {
  it('the protocol core does no I/O: no sockets, processes, zlib streams, Redis or logging', () => {
    // zlib: the permessage-deflate codec (streams, the job limiter) is I/O-side, src/worker/connection/deflate-codec.ts.
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

  it('no import points the wrong way: master and worker apart, shared below both, protocol without I/O or timers, the CLI through entry points', () => {
    const found = wrongWayImports();
    expect(found.filter((edge) => !KNOWN_WRONG_WAY.includes(edge)), 'imports pointing the wrong way').toEqual([]);
    expect(KNOWN_WRONG_WAY.filter((edge) => !found.includes(edge)), 'KNOWN_WRONG_WAY entries no longer there: delete them').toEqual([]);
  });
});

describe('the emitter (switchyard/emitter) is no worker', () => {
  const closure = [...runtimeClosure('src/emitter.ts')].sort();

  it('loads at run time no master or worker code but the op wire forms and the request map', () => {
    expect(closure).toContain('src/worker/cluster/cluster-ops.ts'); // the closure is really walked
    const offenders = closure.filter((f) => f.startsWith('src/master/') || f.startsWith('src/cli') || (f.startsWith('src/worker/') && !EMITTER_MAY_LOAD.has(f)));
    expect(offenders).toEqual([]);
  });

  it('opens no socket, server or process of its own: no net, http, cluster or child_process anywhere it loads', () => {
    const banned = /^(node:)?(net|http|https|http2|cluster|child_process|dgram|worker_threads)$/;
    const offenders = closure.flatMap((f) => importsOf(join(root, f)).filter((spec) => banned.test(spec)).map((spec) => `${f} imports ${spec}`));
    expect(offenders).toEqual([]);
  });
});

describe('no import cycles under src/', () => {
  it('finds none beyond the known ones (each reported as one cycle in import order, and all its files)', () => {
    const tangles = importTangles(importGraph(filesUnder(SRC)));
    const allowed = (t: Tangle) => KNOWN_CYCLES.some((known) => t.files.every((f) => known.includes(f)));
    expect(tangles.filter((t) => !allowed(t)).map((t) => `${t.cycle.join(' -> ')} (in a tangle of ${t.files.length}: ${t.files.join(', ')})`), 'import cycles').toEqual([]);
    const stale = KNOWN_CYCLES.filter((known) => !tangles.some((t) => t.files.some((f) => known.includes(f))));
    expect(stale, 'KNOWN_CYCLES entries no cycle touches any more: delete them').toEqual([]);
  });

  it('the cycle finder reports a cycle in import order, and nothing for a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(importTangles(graph)).toEqual([
      { files: ['a', 'b', 'c'], cycle: ['a', 'b', 'c', 'a'] },
      { files: ['e'], cycle: ['e', 'e'] },
    ]);
    expect(importTangles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });
});
