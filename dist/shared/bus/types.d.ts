/**
 * The bus: how a message from one worker reaches another, on this node (embedded bus) or on
 * another node (Redis bus). A bus moves opaque BusMessages between worker addresses; what they
 * mean (push, broadcast, rooms, replies) is the router's business (src/worker/router.ts).
 */
/** A worker of the cluster: node id (0 on a single host) and worker slot. */
export interface WorkerAddress {
    node: number;
    slot: number;
}
/**
 * Messages between workers. Encoded with msgpackr on the wire: Buffers stay Buffers, strings
 * stay strings. `rid` asks for a `reply` to the sender (request/response over a one-way bus).
 */
export type BusMessage = {
    t: 'push';
    fd: number;
    op: number;
    data: Buffer | string;
    rid?: number;
} | {
    t: 'disconnect';
    fd: number;
    code: number;
    reason: string;
    rid?: number;
} | {
    t: 'close';
    fd: number;
    rid?: number;
} | {
    t: 'info';
    fd: number;
    rid: number;
} | {
    t: 'broadcast';
    op: number;
    data: Buffer | string;
    except?: number[];
    room?: string;
} | {
    t: 'join';
    fd: number;
    room: string;
    rid?: number;
} | {
    t: 'leave';
    fd: number;
    room: string;
    rid?: number;
} | {
    t: 'pipe';
    src: number;
    data: unknown;
} | {
    t: 'reply';
    rid: number;
    value: unknown;
} | {
    t: 'call';
    method: string;
    args: unknown[];
    rid: number;
};
export type MessageHandler = (msg: BusMessage, from: WorkerAddress) => void;
/**
 * What a send or broadcast did, as a return value (uWebSockets' SendStatus: backpressure is an
 * answer, not an exception):
 * - 'ok': handed to the transport;
 * - 'congested': the transport holds its byte budget for that peer (embedded) or for this worker
 *   (Redis) already; nothing was queued. Retry later: it clears as the peer or Redis catches up;
 * - 'down': there is no transport to it now (peer unknown or not connected, Redis down, bus
 *   closed, or a message no frame of this bus can carry).
 * A broadcast that some peers refused says why: 'down' if any was down, else 'congested'.
 */
export type SendResult = 'ok' | 'congested' | 'down';
/**
 * One worker's end of a bus. Implementations: EmbeddedBus (Unix-socket mesh between the
 * workers of one node), RedisBus (pub/sub between nodes) and MemoryBus (tests). All pass one
 * contract suite (test/bus/contract.ts).
 *
 * Guarantees: messages from one sender to one receiver arrive in the order sent; a message is
 * delivered at most once; send/broadcast never block and never queue without bound: every
 * message queued is counted at what it really costs this process (bytes plus the per-message
 * bookkeeping of the transport), and past the bus's budget, or when the message cannot go out
 * now, they return 'congested' or 'down' at once.
 */
export interface Bus {
    readonly self: WorkerAddress;
    /** Sends to one worker. */
    send(to: WorkerAddress, msg: BusMessage): SendResult;
    /** Sends to every other worker the bus reaches (never to self). */
    broadcast(msg: BusMessage): SendResult;
    /** Hands what is queued to the transport now rather than at the end of the turn (optional:
     * a bus that writes at once has nothing to do). Order is kept. */
    flush?(): void;
    /** The handler for incoming messages (one per bus; set before start()). */
    onMessage: MessageHandler | null;
    /** Connects (listens, subscribes); resolves when the bus can carry messages. */
    start(): Promise<void>;
    /** Disconnects and frees everything; later sends return 'down'. */
    close(): Promise<void>;
}
/** The worse of two outcomes (a fan-out over several transports or peers reports one). */
export declare function worse(a: SendResult, b: SendResult): SendResult;
//# sourceMappingURL=types.d.ts.map