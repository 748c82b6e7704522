/**
 * `npm start` as a container or process manager runs it: SIGTERM goes to npm's process, not to
 * ours. npm passes it to the script's shell; the shell must be Node itself (`exec`), or the
 * shell dies and the master, orphaned, keeps serving.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { JsonLog } from '../../scripts/lib/json-log.ts';
import { ROOT, isAlive } from '../helpers/process.ts';
import { until } from '../helpers/server.ts';

const started: number[] = [];
afterAll(() => {
  // Whatever a failed run left behind (an orphaned master takes its workers with it).
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
});

describe('npm start', () => {
  it('SIGTERM to npm shuts the cluster down gracefully: clients get 1001, every process exits', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_') && !k.startsWith('npm_') && k !== 'REDIS_URL'));
    const npm = spawn('npm', ['start', '--silent', '--', '--port', '0', '--workers', '2', '--max-wait-time', '2'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    const log = new JsonLog(npm.stdout!);
    const pids = () => new Set(log.entries.flatMap(({ e }) => (typeof e.pid === 'number' ? [e.pid] : [])));
    const listening = await log.waitFor((e) => e.event === 'listening', npm, 30_000, 'the listening line');
    const [port, master] = [listening.port as number, listening.pid as number];
    started.push(master);
    await until(() => pids().size >= 3, 10_000, 'the workers');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/echo`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const closed = new Promise<number>((r) => ws.once('close', (code: number) => r(code)));

    npm.kill('SIGTERM');
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
    await until(() => [...pids()].every((pid) => !isAlive(pid)), 5000, 'the master and its workers to exit');
  });
});
