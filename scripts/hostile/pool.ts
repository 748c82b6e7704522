/**
 * The client processes of `npm run hostile`, as seen from the coordinator: a pool of
 * scripts/generators/hostile-client.ts processes running jobs (roles) for the attacks, so
 * attack clients never run in a server's processes or in this one. Processes are started
 * ahead of the attacks (`warm`) and reused: one costs ~0.5 s of CPU to start, which must not
 * happen in the middle of a flood (nor be paid per job by the smoke run). A job goes to the
 * process with the fewest jobs; a new process is started only while every process is busy and
 * the pool is below its size. Measured runs size the pool so that each concurrent job of an
 * attack has a process of its own.
 */
import type { ChildProcess } from 'node:child_process';
import { launch } from '../lib/processes.ts';
import type { FromClient, RoleName, ToClient } from './protocol.ts';

const ENTRY = 'scripts/generators/hostile-client.ts';
/** A stopped job must report within this, or its process is killed. */
const STOP_GRACE_MS = 30_000;

interface Handlers {
  onTick(d: unknown): void;
  onEnd(err: Error | null, r: unknown): void;
}

interface Member {
  child: ChildProcess;
  ready: Promise<void>;
  gone: Error | null;
  jobs: Map<number, Handlers>;
}

export interface Job<R> {
  pid: number;
  /** The latest tick (null before the first). */
  tick(): unknown;
  /** Resolves with the result when the role ends by itself or after stop(). */
  result: Promise<R>;
  /** Asks the role to end, then waits for its result (kills the process past the grace). */
  stop(): Promise<R>;
  /** Waits until a tick satisfies `ok`; resolves null if the job ends first. */
  until(ok: (tick: unknown) => boolean, ms: number, what: string): Promise<unknown>;
}

let nextId = 1;

export class ClientPool {
  private readonly members: Member[] = [];

  constructor(private readonly size: number) {}

  /** Starts processes up to the pool's size (in parallel), and waits until they are ready. */
  async warm(): Promise<void> {
    while (this.live().length < this.size) this.spawn();
    await Promise.all(this.live().map((m) => m.ready));
  }

  start<R>(role: RoleName, params: unknown): Promise<Job<R>> {
    const live = this.live();
    const least = live.sort((a, b) => a.jobs.size - b.jobs.size)[0];
    const member = least !== undefined && (least.jobs.size === 0 || live.length >= this.size) ? least : this.spawn();
    const id = nextId++;
    const job = this.job<R>(member, id);
    return member.ready.then(() => {
      member.child.send({ t: 'job', id, role, params } satisfies ToClient);
      return job;
    });
  }

  /** Kills every process (their jobs fail). */
  close(): void {
    for (const m of this.live()) m.child.kill('SIGKILL');
  }

  private live(): Member[] {
    return this.members.filter((m) => m.gone === null);
  }

  private spawn(): Member {
    const child = launch(process.execPath, ['--import', 'tsx', ENTRY], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let readyResolve = (): void => {};
    let readyReject = (_: Error): void => {};
    const m: Member = { child, gone: null, jobs: new Map(), ready: new Promise<void>((res, rej) => ((readyResolve = res), (readyReject = rej))) };
    m.ready.catch(() => {});
    child.on('message', (msg: FromClient) => {
      if (msg.t === 'ready') return readyResolve();
      const job = m.jobs.get(msg.id);
      if (job === undefined) return;
      if (msg.t === 'tick') job.onTick(msg.data);
      else if (msg.t === 'result') job.onEnd(null, msg.result);
      else if (msg.t === 'error') job.onEnd(new Error(`client ${child.pid}: ${msg.message}`), null);
    });
    // 'close', not 'exit': the last IPC messages (a result) can come after 'exit'.
    child.once('close', (code, signal) => {
      m.gone = new Error(`client process ${child.pid} exited (code ${code}, signal ${signal})`);
      readyReject(m.gone);
      for (const job of [...m.jobs.values()]) job.onEnd(m.gone, null);
    });
    this.members.push(m);
    return m;
  }

  private job<R>(m: Member, id: number): Job<R> {
    let last: unknown = null;
    let ended = false;
    const waiters = new Set<() => void>();
    let settle = (_err: Error | null, _r: unknown): void => {};
    const result = new Promise<R>((resolve, reject) => {
      settle = (err, r) => {
        if (ended) return;
        ended = true;
        m.jobs.delete(id);
        for (const w of [...waiters]) w();
        if (err) reject(err);
        else resolve(r as R);
      };
    });
    result.catch(() => {});
    m.jobs.set(id, {
      onTick: (d) => {
        last = d;
        for (const w of [...waiters]) w();
      },
      onEnd: (err, r) => settle(err, r),
    });
    return {
      pid: m.child.pid!,
      tick: () => last,
      result,
      stop: () => {
        if (!ended && m.gone === null) m.child.send({ t: 'stop', id } satisfies ToClient);
        const timer = setTimeout(() => m.child.kill('SIGKILL'), STOP_GRACE_MS);
        return result.finally(() => clearTimeout(timer));
      },
      until: (ok, ms, what) =>
        new Promise((resolve, reject) => {
          const done = (f: () => void): void => {
            clearTimeout(timer);
            waiters.delete(check);
            f();
          };
          const check = (): void => {
            if (last !== null && ok(last)) done(() => resolve(last));
            else if (ended) done(() => resolve(null));
          };
          const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`))), ms);
          waiters.add(check);
          check();
        }),
    };
  }
}
