import { pino, type Logger } from 'pino';

export type { Logger };

/** One pino root per process, tagged with its role (and slot, once there are workers). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings } });
}

/**
 * The same logger, writing `info` lines whatever its level: for the few lines a supervisor
 * needs at every level (the listening line carries the port picked for --port 0).
 */
export function alwaysInfo(log: Logger): Logger {
  return log.isLevelEnabled('info') ? log : log.child({}, { level: 'info' });
}
