import { type Logger } from '../logger.ts';
import { type LinkCounters, type RetryOptions } from './peer-link.ts';
import { type Bus, type MessageHandler, type Outgoing, type SendResult, type WorkerAddress } from './types.ts';
/** A peer that has not taken this (8 MiB) yet is not keeping up: sends to it are 'congested'
 * rather than pile up (about 250k small pushes, a few hundred ms of a slow worker's backlog).
 * Counted at what the queue really holds (PeerLink.queuedBytes), so it also bounds this
 * process's memory. The setting's default (config-table.ts), also when no config is given. */
export declare const DEFAULT_MAX_QUEUED_BYTES: number;
/** How long frames of a reload's new worker may wait behind its predecessor's connection (see
 * sender-order.ts) when none is given: the master's move timeout with the default settings
 * (maxWaitTime 3 s + closeTimeoutMs 5 s + 15 s): by then the old worker is done or killed. */
export declare const DEFAULT_ORDER_HOLD_MS = 23000;
export interface EmbeddedBusOptions {
    self: WorkerAddress;
    /** Worker slots of this node (0..slots-1); the bus connects to every one but its own. */
    slots: number;
    /** Directory of the socket files, shared by the workers of the node. */
    dir: string;
    log?: Logger;
    /** Per-peer bound on what accepted and unwritten frames cost (PeerLink.queuedBytes); a send
     * that would pass it is 'congested' (one always fits in an empty queue). */
    maxQueuedBytes?: number;
    /** Largest frame accepted from a peer (and sent to one). */
    maxFrameBytes?: number;
    /** Reconnect back-off (default 25 ms doubling to 1 s, peer-link.ts says why). */
    retry?: RetryOptions;
    /** This process's generation of its slot: a reload's replacement has a higher one than the
     * worker it replaces (the master numbers its forks). Default: the time this bus was made (ms). */
    generation?: number;
    /** How long a newer generation's frames may be held behind an older one's connection (ms).
     * What is held also counts against maxQueuedBytes (all peers together). */
    orderHoldMs?: number;
}
export interface EmbeddedBusStats extends LinkCounters {
    framesIn: number;
    /** Sends refused (peer down or unknown, queue full, frame too big, bus closed), peers of a
     * broadcast counted one by one. */
    refused: number;
    /** The part of `refused` that was 'congested' (the peer's queue full). */
    congested: number;
    /** Inbound connections closed for breaking the framing or sending a malformed envelope. */
    malformed: number;
    /** Frames held behind an older generation of their sender's slot (sender-order.ts). */
    held: number;
    /** Times such a hold ended by its bound (time or bytes) rather than the older one's end. */
    holdsExpired: number;
}
/** The socket file of one slot. */
export declare function socketPath(dir: string, slot: number): string;
export declare class EmbeddedBus implements Bus {
    readonly self: WorkerAddress;
    onMessage: MessageHandler | null;
    readonly path: string;
    private readonly dir;
    private readonly log;
    private readonly maxQueuedBytes;
    private readonly maxFrameBytes;
    /** Outbound links by slot; undefined for our own slot. */
    private readonly links;
    private readonly inbound;
    private server;
    private state;
    private readonly counts;
    readonly generation: number;
    /** A reload's replacement since the move began (sends `follow`), and the old worker once it is over (`done`). */
    private following;
    private handedOver;
    private readonly ordered;
    constructor(options: EmbeddedBusOptions);
    /**
     * Listens on our socket file (replacing a stale one), then starts connecting to every peer.
     * Resolves once listening and once the first connect to each peer has succeeded or failed:
     * peers already listening are connected, the others are retried in the background.
     * Rejects with ERR_BUS_SLOT_IN_USE if a live process already listens on our path.
     */
    start(options?: {
        listen?: boolean;
    }): Promise<void>;
    send(to: WorkerAddress, msg: Outgoing): SendResult;
    broadcast(msg: Outgoing): SendResult;
    /** Listens now (after start({ listen: false }), once the predecessor has stopped listening). */
    listenLater(): Promise<void>;
    /**
     * A reload: stops listening (the socket file goes; the replacement listens next) and takes
     * every inbound connection out of this process unread: its descriptor and the bytes read but
     * not decoded (FrameDecoder.remainder). The caller sends each handle to the replacement and
     * then calls `release`, which closes our copy without touching the connection.
     */
    detachInbound(): {
        connections: Array<{
            handle: object;
            remainder: Buffer;
            release: () => void;
        }>;
        closed: Promise<void>;
    };
    /** The replacement's side of detachInbound(): a peer's connection, read on from `remainder`. */
    adoptInbound(handle: object, remainder: Buffer): void;
    /**
     * A reload's replacement, at the move's first record: what this worker sends from now on may
     * come from moved connections, so every peer delivers it behind what the old worker sent
     * (until the old one's `done` or the end of its connection; sender-order.ts).
     */
    followPredecessor(): void;
    /** The old worker, once every connection has moved: what it sends from now on is about no
     * moved connection; its successor's frames that peers hold go now. */
    predecessorDone(): void;
    /** Writes what is queued for every peer now instead of at the end of the turn. */
    flush(): void;
    /** True when the outbound link to `to` is up (a send would be handed to the socket). */
    isConnected(to: WorkerAddress): boolean;
    /** Waits until every peer is connected; false if `timeoutMs` passes first (they keep retrying). */
    waitForPeers(timeoutMs: number): Promise<boolean>;
    stats(): EmbeddedBusStats;
    /**
     * Stops listening (Node removes the socket file), flushes and ends outbound links, drops
     * inbound connections. Later sends return 'down'. Idempotent.
     */
    close(): Promise<void>;
    private listen;
    private peerLinks;
    /** Whether a frame of `bytes` may join the peer's queue: within the budget, or the queue is
     * empty (a message larger than the budget alone still goes, one at a time). */
    private fits;
    private refuse;
    /** No frame of this bus can carry it, now or later: no transport for it ('down'). */
    private tooBig;
    private accept;
    private receive;
    /** What opens each of our outbound connections: who we are, and where this process is in a reload. */
    private greeting;
    /** A marker to every connected peer, in order with the frames already queued for it. */
    private mark;
    private deliver;
    private reject;
}
//# sourceMappingURL=embedded-bus.d.ts.map