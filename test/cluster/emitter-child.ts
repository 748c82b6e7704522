/** Drives test/fixtures/emitter-child.mjs (an Emitter in a process of its own) from a test. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from '../helpers/process.ts';

export interface EmitterChild {
  proc: ChildProcess;
  /** What the child said once its emitter was ready (or failed to be). */
  started: { ready: boolean; address?: { node: number; slot: number }; error?: string };
  call(call: string, ...args: unknown[]): Promise<any>;
  stop(): Promise<void>;
}

export async function startEmitter(options: Record<string, unknown>): Promise<EmitterChild> {
  const proc = spawn(process.execPath, ['test/fixtures/emitter-child.mjs'], {
    cwd: ROOT,
    env: { ...process.env, EMITTER_OPTIONS: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = new Map<number, (v: unknown) => void>();
  let onStart!: (v: EmitterChild['started']) => void;
  const started = new Promise<EmitterChild['started']>((resolve, reject) => {
    onStart = resolve;
    proc.once('exit', (code) => reject(new Error(`emitter child exited (${code}) before it was ready`)));
  });
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as { id?: number; value?: unknown; ready?: boolean };
    if (msg.id === undefined) return onStart(msg as EmitterChild['started']);
    waiting.get(msg.id)?.(msg.value);
    waiting.delete(msg.id);
  });
  let next = 0;
  const child: EmitterChild = {
    proc,
    started: await started,
    call(call, ...args) {
      const id = ++next;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        proc.stdin!.write(`${JSON.stringify({ id, call, args })}\n`);
      });
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      await Promise.race([child.call('close'), new Promise((r) => setTimeout(r, 3000))]);
      proc.stdin!.end();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  return child;
}
