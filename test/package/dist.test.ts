/**
 * dist/ is committed (a production install, `npm ci --omit=dev`, has no TypeScript to build it),
 * so it must be the build of the committed src/. test/global-setup.ts has just rebuilt it: any
 * difference from the commit means someone changed src/ without committing the rebuilt dist/.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';

function git(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { ok: r.status === 0, out: r.stdout ?? '' };
}

const inGit = git(['rev-parse', '--is-inside-work-tree']).ok;
// While src/ has uncommitted edits the rebuilt dist/ differs from the commit by design; CI
// (a clean clone) always checks.
const srcEdited = inGit && git(['status', '--porcelain', '--', 'src', 'tsconfig.json', 'tsconfig.build.json']).out.trim() !== '';
const check = inGit && (process.env.CI === 'true' || !srcEdited);

describe('the committed dist/', () => {
  it.skipIf(!check)('is the build of the committed src/ (else: npm run build, then commit dist/)', () => {
    expect(git(['status', '--porcelain', '--', 'dist']).out.trim()).toBe('');
  });
});
