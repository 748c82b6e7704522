/** Checks shared by the smoke tests of the load and benchmark scripts (test/scripts). */
import { expect } from 'vitest';
import { isPositiveNumber, type RunResult } from './process.ts';

export function expectPositive(value: unknown, what: string): void {
  expect(isPositiveNumber(value), `${what} = ${String(value)}`).toBe(true);
}

/** A run that exited 0: its last stdout line, parsed; failure messages carry the run's output. */
export function summaryOf(r: Pick<RunResult, 'code' | 'stdout' | 'stderr'>): Record<string, any> {
  const context = `exit ${r.code}\nstdout:\n${r.stdout.slice(-3000)}\nstderr:\n${r.stderr.slice(-3000)}`;
  expect(r.code, context).toBe(0);
  const last = r.stdout.trimEnd().split('\n').pop() ?? '';
  let summary: unknown;
  expect(() => (summary = JSON.parse(last)), context).not.toThrow();
  expect(summary !== null && typeof summary === 'object' && !Array.isArray(summary), context).toBe(true);
  return summary as Record<string, any>;
}
