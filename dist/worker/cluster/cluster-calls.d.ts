import type { SendResult, WorkerAddress } from '../../shared/bus/types.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SessionTable } from '../../shared/session-table/types.ts';
import type { RoomTarget } from '../app-contract.ts';
import type { LocalConnections } from '../local-connections.ts';
import { type CallFailure, type ClusterOp, type ReplyWire } from './op-kit.ts';
import type { LocalHandler, Router } from './router.ts';
import type { NodeLiveness } from './node-liveness.ts';
/** What the ways of calling need of an op besides its core (typed: `ask` takes only ops that answer). */
type Fires<F> = {
    forwarded(sent: SendResult, w: LocalConnections): F;
};
type Answers<R, X> = {
    reply: ReplyWire<R>;
    failed(why: CallFailure): X;
};
export interface ClusterCallsInit {
    /** Null without a bus: this worker alone answers everything. */
    router: Router | null;
    /** Worker slots on this node. */
    workerCount: number;
    /** Multi-node: sessions and uids in Redis; otherwise each worker answers for its own. */
    sessions: SessionTable | null;
    local: LocalConnections;
    log: Logger;
    /** The operations other workers may call here (default: OPS; a test adds its own). */
    ops?: Record<string, ClusterOp>;
    /** Multi-node: whether another node is alive (calls to a dead node's fds answer at once). */
    liveness?: NodeLiveness | null;
}
/**
 * Runs the cluster operations (cluster-ops.ts) wherever they belong. The one place that decides
 * local or remote: by the fd alone (it names its owner's node and slot), with no lookup. Remote
 * calls go over the router: fire-and-forget (the op says what the bus's answer means), requests
 * whose failures become the op's answers ('unreachable', 'congested', 'timeout', null...) and
 * never exceptions, fan-outs (one bus message per worker, then this worker's share) and
 * questions to every worker of this node. Calls from other workers arrive here too (serve).
 */
export declare class ClusterCalls implements LocalHandler {
    private readonly router;
    private readonly workerCount;
    private readonly sessions;
    private readonly local;
    private readonly log;
    private readonly ops;
    private readonly liveness;
    constructor(init: ClusterCallsInit);
    /** The worker holding fd when it is another one; null when this worker answers (no bus, our
     * own fd, or no cluster fd at all: only this worker can say 'unknown'). */
    private ownerOf;
    isLocal(fd: number): boolean;
    /** Several nodes: a session table lists the cluster's sessions and uids. */
    get hasSessionTable(): boolean;
    /** An op on fd, fire-and-forget when another worker holds it: the local result, or what the
     * op makes of the bus's answer. Synchronous, no promise. */
    fire<B, C, R, F>(op: ClusterOp<number, B, C, R> & Fires<F>, fd: number, b: B, c: C): R | F;
    /** An op on fd that waits for the owner's answer; the op's failure answer when there is none. */
    ask<B, C, R, X>(op: ClusterOp<number, B, C, R> & Answers<R, X>, fd: number, b: B, c: C): Promise<R | X>;
    /** An op every worker runs, this one included: one bus message per worker. False when a bus could not carry it. */
    all<A, B, C>(op: ClusterOp<A, B, C>, a: A, b: B, c: C): boolean;
    /** An op every worker of the cluster answers with a list: the lists together (the session
     * table answers instead when there is one). Workers that do not answer add nothing. */
    each<A, R extends unknown[]>(op: ClusterOp<A, undefined, undefined, R> & Answers<R, R>, a: A): Promise<R[number][]>;
    /**
     * An 'each' op asked of every worker of the cluster, whatever the session table holds: this
     * node's slots and, with several nodes, every other worker that holds sessions (read from the
     * session table: one read of every session fd). Workers that do not answer add nothing.
     */
    gather<A, R extends unknown[]>(op: ClusterOp<A, undefined, undefined, R> & Answers<R, R>, a: A): Promise<R[number][]>;
    /**
     * An op for one worker: `workerId` is the slot on this node, or node * 256 + slot for a worker
     * of another node. False for this worker itself (as Swoole's sendMessage) or without a bus.
     */
    toWorker<B, C, F>(op: ClusterOp<number, B, C> & Fires<F>, workerId: number, a: number, b: B, c: C): F | false;
    /** `server.to(room)`. */
    room(room: string): RoomTarget;
    /** A call another worker made (the router's LocalHandler): decoded, checked, run here. */
    serve(body: Buffer, from: WorkerAddress, wantsReply: boolean): Buffer | undefined;
    /** A request to `to`: its reply, or the op's failure answer; TIMED_OUT instead of the failure
     * for a timeout when the caller asked to look at it first (`markTimeout`). */
    private request;
}
export {};
//# sourceMappingURL=cluster-calls.d.ts.map