import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ built from src/ first: CLI tests run the compiled code (see test/helpers/process.ts).
    globalSetup: ['./test/global-setup.ts'],
    // Generous: a cluster's start takes seconds when the 2 cores are shared with other suites.
    testTimeout: 40_000,
    hookTimeout: 40_000,
    // Integration tests spawn processes and bind ports: keep file parallelism modest on 2 cores.
    maxWorkers: 2,
    // vitest's summary, then the plain "N passed, N failed" line CI reads.
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
