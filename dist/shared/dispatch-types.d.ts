/** Types shared by the master's dispatcher and the app API (dispatch hook). */
/** What the master knows of each worker slot when it dispatches. */
export interface WorkerView {
    readonly slot: number;
    /** Running and accepting connections (not starting, restarting or stopping). */
    readonly up: boolean;
    readonly pid: number;
    /** Established plus pending connections the worker holds, as last counted. */
    readonly connections: number;
    /** Hand-offs sent and not yet acknowledged by the worker. */
    readonly inflight: number;
    /** Event-loop delay the worker last reported (ms, p50 over its last window). */
    readonly lagMs: number;
}
export interface DispatchInfo {
    remoteAddress: string;
    remotePort: number;
    /**
     * The connection's session id without its slot bits: the fd it gets is `fd + slot`.
     * (The slot is part of the fd, so the final fd depends on the choice being made.)
     */
    fd: number;
}
/** A user dispatch function: returns a worker slot (0..workers.length-1). */
export type DispatchFunc = (info: DispatchInfo, workers: readonly WorkerView[]) => number;
/** Master-only hooks, as the master calls them (the app's facade binds its `server`). */
export interface MasterHooks {
    start?: (info: {
        host: string;
        port: number;
        workers: number;
    }) => unknown;
    shutdown?: () => unknown;
    workerError?: (workerId: number, pid: number, exitCode: number | null, signal: string | null) => void;
    workerExit?: (workerId: number, pid: number, exitCode: number | null, signal: string | null) => void;
    dispatch?: DispatchFunc;
}
//# sourceMappingURL=dispatch-types.d.ts.map