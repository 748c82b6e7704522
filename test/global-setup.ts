import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds dist/ from src/ before any test file runs: the tests that spawn the CLI run the
 * compiled JavaScript users run, and never a stale build of it.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status === 0) return;
  // tsc emits despite type errors (npm test's own `tsc --noEmit` reports them): run the tests
  // on what it emitted, but say so. Anything worse (no output at all) stops here.
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  console.warn(`npm run build reported errors (the tests run on what it emitted):\n${r.stdout}${r.stderr}`);
}
