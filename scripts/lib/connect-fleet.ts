/**
 * The generators of `load:connect` as seen from its coordinator: one inside the coordinator
 * itself (a parent measuring the script's CPU then sees all of it), or
 * several processes (connect-generator-process.ts, over IPC) when one process cannot hold
 * every socket. Each is driven the same way: run(plan), counts(), close().
 */
import type { ChildProcess } from 'node:child_process';
import { ConnectGenerator, type CloseResult, type FromGenerator, type GeneratorCounts, type GeneratorPlan, type GeneratorResult, type ToGenerator } from './connect-generator.ts';
import { launch } from './processes.ts';

export interface GeneratorHandle {
  pid: number;
  /** Latest counts (from a process: at most 250 ms old). */
  counts(): GeneratorCounts;
  run(plan: GeneratorPlan): Promise<GeneratorResult>;
  close(): Promise<CloseResult>;
}

const ZERO: GeneratorCounts = { opened: 0, failed: 0, inflight: 0, held: 0, dropped: 0 };

export function localGenerator(): GeneratorHandle {
  let g: ConnectGenerator | null = null;
  return {
    pid: process.pid,
    counts: () => g?.counts() ?? ZERO,
    run: (plan) => (g = new ConnectGenerator(plan)).run(),
    close: () => g?.close() ?? Promise.resolve({ clean: 0, forced: 0 }),
  };
}

/** A generator process; resolves once it is ready for its plan. */
async function spawnGenerator(): Promise<GeneratorHandle> {
  const child: ChildProcess = launch(process.execPath, ['--import', 'tsx', 'scripts/lib/connect-generator-process.ts'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let counts = ZERO;
  const waiting = new Map<FromGenerator['t'], (m: FromGenerator) => void>();
  let gone: Error | null = null;
  const fail = new Set<(err: Error) => void>();
  child.on('message', (m: FromGenerator) => {
    if (m.t === 'counts') counts = m.counts;
    if (m.t === 'opened') counts = m.result;
    waiting.get(m.t)?.(m);
  });
  // 'close', not 'exit': 'exit' can come before the last IPC messages (its 'closed' result)
  // are emitted, which failed a 100k run that had just closed every connection cleanly.
  child.once('close', (code, signal) => {
    gone = new Error(`generator process ${child.pid} exited (code ${code}, signal ${signal})`);
    for (const f of fail) f(gone);
  });
  child.once('error', (err) => {
    gone = new Error(`generator process: ${err.message}`);
    for (const f of fail) f(gone);
  });
  const next = <T extends FromGenerator['t']>(t: T): Promise<Extract<FromGenerator, { t: T }>> =>
    new Promise((resolve, reject) => {
      if (gone) return reject(gone);
      fail.add(reject);
      waiting.set(t, (m) => {
        waiting.delete(t);
        fail.delete(reject);
        resolve(m as Extract<FromGenerator, { t: T }>);
      });
    });
  const send = (m: ToGenerator) => child.send(m);
  await next('ready');
  return {
    pid: child.pid!,
    counts: () => counts,
    run: async (plan) => {
      const opened = next('opened');
      send({ t: 'run', plan });
      return (await opened).result;
    },
    close: async () => {
      const closed = next('closed');
      send({ t: 'close' });
      return (await closed).result;
    },
  };
}

/** `processes` generators: this process alone when 1, otherwise that many child processes. */
export function startGenerators(processes: number): Promise<GeneratorHandle[]> {
  if (processes === 1) return Promise.resolve([localGenerator()]);
  return Promise.all(Array.from({ length: processes }, spawnGenerator));
}
