/**
 * --worker-semi-space-mb reaches every worker's V8 (and a respawned one's): it is what keeps
 * idle memory per connection low, so losing it must fail a test, not only a benchmark.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, stats } from '../helpers/cluster.ts';
import { killAll } from '../helpers/process.ts';
import { sampleUntil } from '../helpers/server.ts';

afterEach(() => killAll());

const procfs = existsSync('/proc/self/cmdline');
const argvOf = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

describe.skipIf(!procfs)('worker V8 flags', () => {
  it('workers run with --max-semi-space-size from --worker-semi-space-mb, respawns too', async () => {
    const cli = await startCluster(['--workers', '2', '--worker-semi-space-mb', '3']);
    const before = await stats(cli.port);
    for (const w of before.workers) expect(argvOf(w.pid)).toContain('--max-semi-space-size=3');
    process.kill(before.workers[0]!.pid, 'SIGKILL');
    const respawned = await sampleUntil(
      async () => {
        const w = (await stats(cli.port)).workers[0]!;
        return w.up && w.pid !== before.workers[0]!.pid ? w.pid : 0;
      },
      (pid) => pid !== 0,
      15_000,
      100,
    );
    expect(respawned, 'slot 0 respawned').not.toBe(0);
    expect(argvOf(respawned)).toContain('--max-semi-space-size=3');
  });

  it('0 leaves V8 its default', async () => {
    const cli = await startCluster(['--workers', '1', '--worker-semi-space-mb', '0']);
    const { workers } = await stats(cli.port);
    expect(argvOf(workers[0]!.pid).some((a) => a.startsWith('--max-semi-space-size'))).toBe(false);
  });
});
