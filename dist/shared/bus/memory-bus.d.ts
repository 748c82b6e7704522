/**
 * An in-process bus for unit tests of the layers above (router, server API): no sockets, but
 * the same guarantees as the real transports (contract suite in test/bus/contract.ts).
 *
 * Messages go through the real codec, so a test fails here if a message would not survive
 * the wire (and receivers get their own copies, as across processes). Delivery is
 * asynchronous and ordered: each receiver has an inbox drained on a later macrotask
 * (setImmediate), many messages at a time, as a socket read delivers them.
 */
import type { Logger } from '../logger.ts';
import type { Bus, BusMessage, MessageHandler, WorkerAddress } from './types.ts';
export interface MemoryNetworkOptions {
    /** Where handler errors go; without it they are rethrown on a later turn (the test fails). */
    log?: Logger;
}
export interface MemoryNetwork {
    /** A new bus at `address`; once started it replaces any earlier bus at that address. */
    bus(address: WorkerAddress): MemoryBus;
    /** Makes `address` unreachable both ways (its sends and sends to it return false). */
    disconnect(address: WorkerAddress): void;
    /** Undoes disconnect. */
    reconnect(address: WorkerAddress): void;
}
export declare function createMemoryNetwork(options?: MemoryNetworkOptions): MemoryNetwork;
export declare class MemoryBus implements Bus {
    readonly self: WorkerAddress;
    onMessage: MessageHandler | null;
    private readonly network;
    private readonly id;
    private state;
    private inbox;
    private drainScheduled;
    constructor(network: MemoryNetwork, self: WorkerAddress);
    start(): Promise<void>;
    close(): Promise<void>;
    send(to: WorkerAddress, msg: BusMessage): boolean;
    broadcast(msg: BusMessage): boolean;
    private live;
    private enqueue;
    private drain;
    private deliver;
}
//# sourceMappingURL=memory-bus.d.ts.map