import type { AdminAnswer, AdminRequest } from '../../shared/admin/admin-api.ts';
import type { MasterToWorker } from '../../shared/cluster-messages.ts';
import type { Slot } from '../worker-pool.ts';
/**
 * Admin requests that act on sessions go to a live worker over the master's IPC channel
 * (round-robin over the slots that are up): the worker runs them through its Server, whose
 * cluster operations reach the owner anywhere in the cluster, and answers. Each waits at most
 * `timeoutMs` (a worker's own calls give up after busTimeoutMs: the margin is the IPC and a
 * busy loop); a worker that exits meanwhile fails its requests at once. Either is a 503.
 */
export declare class AdminForwarder {
    private readonly slots;
    private readonly send;
    private readonly timeoutMs;
    private readonly pending;
    private nextId;
    private turn;
    constructor(slots: () => readonly Slot[], send: (slot: Slot, msg: MasterToWorker) => boolean, timeoutMs: number);
    /** Requests sent to a worker and not answered yet. */
    get inflight(): number;
    forward(request: AdminRequest): Promise<AdminAnswer>;
    /** A worker's answer (from the slot the request went to: anything else is ignored). */
    answered(slot: number, id: number, answer: AdminAnswer): void;
    /** The worker in `slot` exited: its requests will never be answered. */
    workerGone(slot: number): void;
}
//# sourceMappingURL=forwarder.d.ts.map