/**
 * The IPC contract between `npm run hostile` (the coordinator) and its client processes
 * (scripts/generators/hostile-client.ts). A client process runs one job at a time: a named
 * role with its parameters; it reports ticks while it runs and one result when it ends
 * (by itself, or once told to stop). Jobs carry ids so a late message is never misread.
 */

export type RoleName = 'flood' | 'probe' | 'connector' | 'slow-http' | 'requests' | 'receiver' | 'echo-load' | 'storm';

export type ToClient = { t: 'job'; id: number; role: RoleName; params: unknown } | { t: 'stop'; id: number };

export type FromClient =
  | { t: 'ready' }
  | { t: 'tick'; id: number; data: unknown }
  | { t: 'result'; id: number; result: unknown }
  | { t: 'error'; id: number; message: string };

/** What a role gets besides its parameters. */
export interface RoleContext {
  /** Progress for the coordinator (at most a few per second). */
  tick(data: unknown): void;
  /** Resolves when the coordinator says stop. */
  stopped: Promise<void>;
  isStopped(): boolean;
}

export type RoleFn = (params: never, ctx: RoleContext) => Promise<unknown>;
