import type { Logger } from '../logger.ts';
import { type Bus, type MessageHandler, type Outgoing, type SendResult, type WorkerAddress } from './types.ts';
export interface MemoryNetworkOptions {
    /** Where handler errors go; without it they are rethrown on a later turn (the test fails). */
    log?: Logger;
    /** Budget of each receiver's inbox (bytes plus ENTRY_OVERHEAD_BYTES per message); a send that
     * would pass it is 'congested', as with the real transports. Default 8 MiB. */
    maxQueuedBytes?: number;
}
export interface MemoryNetwork {
    /** A new bus at `address`; once started it replaces any earlier bus at that address. */
    bus(address: WorkerAddress): MemoryBus;
    /** Makes `address` unreachable both ways (its sends and sends to it return 'down'). */
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
    private inboxBytes;
    private drainScheduled;
    constructor(network: MemoryNetwork, self: WorkerAddress);
    start(): Promise<void>;
    close(): Promise<void>;
    send(to: WorkerAddress, msg: Outgoing): SendResult;
    broadcast(msg: Outgoing): SendResult;
    private live;
    private enqueue;
    private drain;
    private deliver;
}
//# sourceMappingURL=memory-bus.d.ts.map