// npm's `prepare` (run by `npm install`/`npm ci` in a clone, and by `npm pack`): builds dist/ from
// src/ with TypeScript. dist/ is also committed, so `npm ci --omit=dev` (no TypeScript) keeps the
// committed build and still leaves a runnable server; test/package/dist.test.ts keeps it current.
// Plain JavaScript: tsx and TypeScript are dev dependencies, absent in a production install.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('typescript/package.json');
} catch {
  if (existsSync(new URL('../dist/cli.js', import.meta.url))) {
    console.log('prepare: TypeScript is not installed (production install): using the committed dist/');
    process.exit(0);
  }
  console.error('prepare: dist/ is missing and TypeScript is not installed to build it: run npm ci with dev dependencies');
  process.exit(1);
}
const { build } = await import('./build.mjs');
process.exit(build('inherit').status);
