import type { Logger } from '../shared/logger.ts';
/**
 * The master's pid file (Swoole's pid_file) and, beside it, a control socket (`<pid file>.sock`,
 * mode 0600: only the owner may ask) that answers `switchyard status` with the master's figures
 * (a `status` line: JSON), `metrics` with the Prometheus exposition (text; an error as JSON)
 * and `reload` with the reload's report once it is done (JSON: `reloaded`, or `error`).
 * `switchyard stop` needs only the pid: it sends SIGTERM, as `kill $(cat pid)` would.
 */
/** The control socket that goes with a pid file. */
export declare function controlSocketPath(pidFile: string): string;
/** The pid a pid file names, or null (no file, or not a pid). */
export declare function readPid(pidFile: string): number | null;
/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export declare function alive(pid: number): boolean;
/** Refuses to start over a live master's pid file (a stale one, from a master that was killed, is taken over). */
export declare function checkPidFile(pidFile: string): string | null;
export declare class ControlServer {
    private readonly server;
    private readonly pidFile;
    private constructor();
    /** Writes the pid file and opens the control socket; `status` and `metrics` answer the requests of those names. */
    static open(pidFile: string, log: Logger, status: () => Promise<unknown>, metrics?: () => Promise<string>, reload?: () => Promise<unknown>, drain?: (seconds: number) => Promise<unknown>): Promise<ControlServer>;
    /** Removes the socket and the pid file (only if it still names us). */
    close(): void;
}
//# sourceMappingURL=control-server.d.ts.map