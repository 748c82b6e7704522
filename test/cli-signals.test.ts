/**
 * A stop signal that reaches the master while its start is still under way (the app's async
 * 'start' callback runs after the listening line) stops it gracefully once started: exit code
 * 0 and the 'stopped' line, not the default action of SIGTERM (killed, workers orphaned).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, startCli } from './helpers/process.ts';
import { until } from './helpers/server.ts';

afterAll(() => killAll());

describe('stop signals during the start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s while the start callback runs: a graceful stop, exit code 0', async (signal) => {
    const cli = await startCli(['--port', '0', '--app', 'test/fixtures/slow-start-app.ts', '--workers', '1', '--max-wait-time', '1'], 45_000);
    await until(() => cli.logs().some((e) => e.event === 'slow-start-begun'), 10_000, 'the start callback running');
    expect(cli.logs().some((e) => e.event === 'slow-start-done')).toBe(false);
    expect(await cli.stop(signal)).toBe(0);
    expect(cli.logs().some((e) => e.event === 'stopped')).toBe(true);
  }, 60_000);
});
