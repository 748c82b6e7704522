import { type Worker } from 'node:cluster';
import type { TcpHandle } from './tcp-handle.ts';
import { HandoffLink } from '../shared/handoff/sender.ts';
import { type HandoffExtras } from '../shared/handoff/wire.ts';
import { type MasterToWorker, type SlotMoveReport, type WorkerCounters, type WorkerToMaster } from '../shared/cluster-messages.ts';
import type { WorkerView } from '../shared/dispatch-types.ts';
import type { Logger } from '../shared/logger.ts';
/** One worker slot (Swoole's worker_id): stable across respawns. */
export declare class Slot implements WorkerView {
    readonly slot: number;
    worker: Worker | null;
    /** The current incarnation's hand-off pipe. */
    link: HandoffLink | null;
    pid: number;
    up: boolean;
    /** Hand-offs sent to the current incarnation. */
    sent: number;
    /** The worker's last report. */
    counters: WorkerCounters;
    /** Totals of earlier incarnations, so cluster figures survive restarts. */
    retired: WorkerCounters;
    restarts: number;
    /** Multi-node: whether the worker's last report said its Redis bus and session table are connected. */
    redisUp: boolean | undefined;
    quickCrashes: number;
    /** When the current incarnation became ready (0: not yet). */
    startedAt: number;
    respawnTimer: NodeJS.Timeout | null;
    /** While a reload replaces this slot's worker: messages and the exit of the other process. */
    other: ((worker: Worker, msg: WorkerToMaster | null, exit?: {
        code: number | null;
        signal: string | null;
    }) => void) | null;
    constructor(slot: number);
    /** Connections held, counting hand-offs the worker has not reported yet. */
    get connections(): number;
    /** Hand-offs written to the worker's pipe (or queued for it) and not completed. */
    get inflight(): number;
    get lagMs(): number;
}
export interface PoolEvents {
    message(slot: Slot, msg: WorkerToMaster): void;
    exit(slot: Slot, pid: number, code: number | null, signal: string | null): void;
}
/**
 * Forks and supervises N workers in stable slots. A worker that dies is respawned in its slot
 * at once (with back-off when it keeps dying young); connections on the others are untouched.
 */
export declare class WorkerPool {
    readonly slots: Slot[];
    private readonly log;
    private readonly events;
    private readonly nodeId;
    private stopping;
    /** Forks so far: each gets a hand-off socket path of its own (a reload runs two per slot at once). */
    private spawned;
    /** The last generation given to a fork (nextGeneration). */
    private generation;
    private readonly busDir;
    /** Secrets for each worker's environment (workerSecretEnv): never on its command line. */
    private readonly secretEnv;
    constructor(workers: number, nodeId: number, busDir: string, log: Logger, events: PoolEvents, semiSpaceMb?: number, secretEnv?: Record<string, string | undefined>);
    /**
     * Forks every slot; resolves once each is up or has already died trying (a crash-looping
     * app must not keep the master from listening and answering 503), or after `timeoutMs`.
     * A crashing app is seen at its first death (see onExit), so the deadline only bounds slow
     * starts, which on a loaded host can take many seconds: clients should find workers ready.
     */
    start(timeoutMs?: number): Promise<void>;
    private fork;
    /** Larger at every fork, and across masters on one host as the clock goes (ms). */
    private nextGeneration;
    /** Forks a worker for slot `s` with its own hand-off pipe; null when the pipe cannot be made (or we are stopping). */
    private spawn;
    /** Makes `worker` the slot's current one. */
    private install;
    /**
     * A reload of one slot: a new worker (the app loaded afresh) listening at `movePath` for its
     * predecessor's connections; once it is ready, new connections go to it; the old worker is
     * told to hand everything over (`move-out`) after its last hand-off, then exits. Rejects
     * (ERR_RELOAD_START_FAILED, with the new worker's error) when the new worker does not get
     * ready: the old one keeps serving, untouched.
     */
    replace(s: Slot, movePath: string, startTimeoutMs: number, moveTimeoutMs: number): Promise<{
        oldPid: number;
        newPid: number;
        report: SlotMoveReport;
    }>;
    private onExit;
    private backoff;
    /**
     * Hands an accepted TCP handle (not yet reading) to a worker over its hand-off pipe: one
     * write, no acknowledgement, any number in flight. `inflight` is what the pipe has not
     * written yet: the dispatcher sees a backed-up worker and sends new connections elsewhere.
     */
    handoff(s: Slot, handle: TcpHandle, fd: number, peer: {
        address: string;
        port: number;
    }, onFailed: (err: Error) => void, extras?: HandoffExtras): void;
    send(s: Slot, msg: MasterToWorker): boolean;
    /** Stops respawning and asks every worker to stop; resolves when all have exited (or are killed at the deadline). */
    stop(deadlineMs: number): Promise<void>;
}
//# sourceMappingURL=worker-pool.d.ts.map