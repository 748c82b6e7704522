import type { Config } from '../shared/config.ts';
/** SIGTERM to the master (graceful: close 1001 to every client), then waits until it has exited. */
export declare function stopCommand(config: Config): Promise<number>;
/** Asks the master's control socket for its figures and prints them as JSON. */
export declare function statusCommand(config: Config): Promise<number>;
/**
 * `switchyard reload`: asks the master's control socket to reload every worker and waits for
 * the report (printed as JSON). A reload that failed (the new code does not start) prints the
 * error and exits 1: the old workers keep serving.
 */
export declare function reloadCommand(config: Config): Promise<number>;
/** `switchyard drain`: readiness and new connections 503, established ones closed 1012 over drainSeconds; returns when done. */
export declare function drainCommand(config: Config): Promise<number>;
//# sourceMappingURL=control-client.d.ts.map