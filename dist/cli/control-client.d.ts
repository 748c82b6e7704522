import type { Config } from '../shared/config.ts';
/** SIGTERM to the master (graceful: close 1001 to every client), then waits until it has exited. */
export declare function stopCommand(config: Config): Promise<number>;
/** Asks the master's control socket for its figures and prints them as JSON. */
export declare function statusCommand(config: Config): Promise<number>;
//# sourceMappingURL=control-client.d.ts.map