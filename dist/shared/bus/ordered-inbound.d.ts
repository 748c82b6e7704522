/**
 * The embedded bus's receiving side of sender-order.ts: takes each decoded frame of an inbound
 * connection, runs the markers, delivers the rest now or holds them, and owns the one timer that
 * bounds a hold. The bus's shell (embedded-bus.ts) only reads sockets and calls in here.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../logger.ts';
import { type Envelope } from './codec.ts';
import { type Marker } from './sender-order.ts';
import type { WorkerAddress } from './types.ts';
/** A marker as a whole stream frame (length prefix included) from `from`. */
export declare function markerFrame(from: WorkerAddress, marker: Marker): Buffer;
export interface OrderedInboundOptions {
    /** Bound on what every held stream holds together (bytes). */
    maxHeldBytes: number;
    /** Bound on how long a stream's first held frame waits (ms). */
    holdMs: number;
    log: Logger;
    /** Runs one message (the bus's onMessage, guarded). */
    deliver: (envelope: Envelope) => void;
    /** False once the bus is closed: nothing is delivered any more. */
    live: () => boolean;
}
export declare class OrderedInbound {
    private readonly options;
    private readonly order;
    private timer;
    constructor(options: OrderedInboundOptions);
    get counts(): {
        held: number;
        takeovers: number;
    };
    /** One frame of `socket` (its envelope decoded): false for a marker (no message). */
    frame(socket: Socket, envelope: Envelope, frame: Buffer): boolean;
    /** `socket` closed (after its last byte was read): what it held and what it blocked go. */
    closed(socket: Socket): void;
    /**
     * `socket` leaves this process unread (a reload): what we knew of it and the frames we held,
     * as the frames its sender would have sent, to put in front of its remaining bytes.
     */
    detach(socket: Socket, node: number): Buffer[];
    stop(): void;
    private marker;
    /** Delivers what a hold let go, in order; a hold that ran out of time or room is a warn. */
    private release;
    /** One timer, for the earliest hold's deadline (none when nothing is held). */
    private arm;
}
//# sourceMappingURL=ordered-inbound.d.ts.map