import { type Logger } from 'pino';
export type { Logger };
/** One pino root per process, tagged with its role (and slot, once there are workers). */
export declare function createLogger(level: string, bindings?: Record<string, unknown>): Logger;
/**
 * The same logger, writing `info` lines whatever its level: for the few lines a supervisor
 * needs at every level (the listening line carries the port picked for --port 0).
 */
export declare function alwaysInfo(log: Logger): Logger;
//# sourceMappingURL=logger.d.ts.map