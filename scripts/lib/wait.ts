/** Waiting for conditions, for the tests and the load scripts alike. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves with the ms it took once `ready()` holds (it may be async: a query of Redis or of
 * /stats), polling every 5 ms; rejects after `ms`, or as soon as `cancelled()` holds (a script
 * that is aborting).
 */
export async function until(ready: () => boolean | Promise<boolean>, ms = 5000, what = 'condition', cancelled: () => boolean = () => false): Promise<number> {
  const start = Date.now();
  while (!(await ready())) {
    if (cancelled()) throw new Error('aborting');
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
  return Date.now() - start;
}

/**
 * Takes `sample()` every `everyMs` until `done(sample)` holds or `ms` have passed, and returns
 * the last sample: the caller asserts on it, so a failure shows the value, not a timeout.
 */
export async function sampleUntil<T>(sample: () => T | Promise<T>, done: (value: T) => boolean, ms = 5000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await sample();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(everyMs);
  }
}
