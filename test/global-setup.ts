import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../scripts/build.mjs';

/**
 * Builds dist/ from src/ before any test file runs: the tests that spawn the CLI run the
 * compiled JavaScript users run, and never a stale build of it.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const r = build();
  if (r.status === 0) return;
  // tsc emits despite type errors (npm test's own `tsc --noEmit` reports them): run the tests
  // on what it emitted, but say so. Anything worse (no output at all) stops here.
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error(`npm run build failed:\n${r.output}`);
  console.warn(`npm run build reported errors (the tests run on what it emitted):\n${r.output}`);
}
