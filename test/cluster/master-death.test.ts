/**
 * The master dies abruptly (kill -9, or a crash): nobody is left to hand sockets over or to stop
 * the workers. Every worker must close its clients with 1001 and exit within maxWaitTime, not
 * drop them (1006) nor live on as orphans.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeAll, hello, startCluster } from '../helpers/cluster.ts';
import { killAll, isAlive } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';

afterAll(() => killAll());

describe('the master dies', () => {
  it.for([
    { how: 'kill -9', env: {} },
    { how: 'an uncaught exception', env: { FIXTURE_MASTER_CRASH_ON_SIGUSR2: '1' } },
  ])('$how: every client gets close 1001 and every worker exits within maxWaitTime', async ({ how, env }) => {
    const maxWaitTime = 2;
    const cli = await startCluster(['--workers', '2', '--max-wait-time', String(maxWaitTime)], env);
    const clients = await Promise.all(Array.from({ length: 6 }, () => hello(cli.port)));
    const workers = [...new Set(clients.map((c) => c.pid))];
    expect(workers).toHaveLength(2);
    if (how === 'kill -9') cli.proc.kill('SIGKILL');
    else cli.proc.kill('SIGUSR2');
    await cli.exited;
    const closes = await Promise.all(clients.map((c) => c.closed));
    expect(closes.map((c) => c.code)).toEqual(Array(6).fill(1001));
    // Closing handshakes get maxWaitTime; a worker that outlives it (+2 s for a loaded machine) is an orphan.
    await until(() => workers.every((pid) => !isAlive(pid)), (maxWaitTime + 2) * 1000, 'every worker to exit');
    await closeAll(clients);
  });
});
