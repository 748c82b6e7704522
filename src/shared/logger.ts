import { pino, type Logger } from 'pino';

export type { Logger };

/** One pino root per process, tagged with its role (and slot, once there are workers). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings } });
}
