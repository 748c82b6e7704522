// `npm run build`, `prepare` and the test suite's global setup: dist/ from src/ with TypeScript,
// from an empty dist/ so that a source moved or deleted leaves no stale module behind (dist/ is
// committed and shipped: a stale file would be published). Plain JavaScript, like prepare.mjs.
// Exits with tsc's status; tsc still emits when it reports type errors.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Rebuilds dist/; returns tsc's status and output (`stdio: 'inherit'` prints it instead). */
export function build(stdio = 'pipe') {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio, encoding: 'utf8' });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(build('inherit').status);
