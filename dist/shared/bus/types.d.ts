/**
 * The bus: how a message from one worker reaches another, on this node (embedded bus) or on
 * another node (Redis bus). A bus moves envelopes between worker addresses: who sent it, whether
 * it wants a reply, and a body of bytes it never reads. What bodies mean (push, broadcast, rooms)
 * is the cluster operations' business (src/worker/cluster/cluster-ops.ts), as socket.io's adapters
 * publish messages one class gives meaning to.
 */
/** A worker of the cluster: node id (0 on a single host) and worker slot. */
export interface WorkerAddress {
    node: number;
    slot: number;
}
/**
 * How a message is to be answered: 'send' is fire-and-forget; a 'request' wants a 'reply' to its
 * sender carrying the same `rid` (request/response over a one-way bus).
 */
export type MessageKind = 'send' | 'request' | 'reply';
/**
 * A message to send. The bus reads only `kind` and `rid`; the body is bytes it does not look
 * into, written by their owner straight into the bus's own buffer (`writeBody`), so a message
 * costs one allocation whatever the transport and its body is never copied twice.
 */
export interface Outgoing {
    kind: MessageKind;
    /** Pairs a request with its reply (a positive safe integer); 0 for 'send'. */
    rid: number;
    readonly bodyBytes: number;
    /** Writes exactly bodyBytes bytes at `into[at]`. */
    writeBody(into: Buffer, at: number): void;
}
/** A message received. `body` is a view of the transport's buffer, valid during the handler
 * call only: whoever keeps bytes of it copies them (a 64-byte push must not pin a 64 KiB read). */
export interface Incoming {
    kind: MessageKind;
    rid: number;
    body: Buffer;
}
/**
 * Which subscription brought a message: the one of messages sent to this worker ('direct') or
 * the broadcasts'. Only the Redis buses say it: on a Redis Cluster the two come in no order
 * against each other, and a reload's cut (src/worker/reload/bus-handover.ts) marks each apart.
 */
export type Via = 'direct' | 'broadcast';
export type MessageHandler = (msg: Incoming, from: WorkerAddress, via?: Via) => void;
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
    send(to: WorkerAddress, msg: Outgoing): SendResult;
    /** Sends to every other worker the bus reaches (never to self). */
    broadcast(msg: Outgoing): SendResult;
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