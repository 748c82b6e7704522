/** Waiting for conditions, for the tests and the load scripts alike. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once `ready()` holds, polling every 5 ms; rejects after `ms`, or as soon as
 * `cancelled()` holds (a script that is aborting).
 */
export async function until(ready: () => boolean, ms = 5000, what = 'condition', cancelled: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (cancelled()) throw new Error('aborting');
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}
