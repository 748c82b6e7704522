import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import type { ValidUpgrade } from '../shared/protocol/handshake.ts';
import type { AppCallbacks } from './app-callbacks.ts';
import type { CloseInfo, Connection } from './connection/connection.ts';
import type { HandshakeRequest, RequestSource } from './handshake/handshake-io.ts';
import type { HttpRequest } from './handshake/client-address.ts';
import type { UpgradeHandler } from './handshake/http-entry.ts';
import type { LocalConnections, LocalCounters } from './local-connections.ts';
import type { ServerApi } from './app-contract.ts';
import { Upgrader, type UpgradeHost } from './handshake/upgrade.ts';
import type { Traffic } from './connection/write-batcher.ts';
/** Whether this worker takes one more connection now. */
export interface CapacityCheck {
    /** Why a new connection can't be established now (503), or null. */
    capacityRefusal(): string | null;
}
export interface WorkerEventsInit {
    config: Config;
    log: Logger;
    server: ServerApi;
    callbacks: AppCallbacks;
    local: LocalConnections;
    counters: LocalCounters;
    capacity: CapacityCheck;
}
/**
 * Where what happens to this worker's sockets and connections goes, in the order a connection
 * lives it: the HTTP entry hands over an upgrade (UpgradeHandler), the upgrade establishes a
 * connection or not (UpgradeHost), the connection reports messages, control frames,
 * backpressure and its close (ConnectionHost) — each to the connection registry
 * (LocalConnections), the counters and the app's callbacks. One per worker, built by
 * WorkerLifecycle; every connection points at it (no closures per connection).
 */
export declare class WorkerEvents implements UpgradeHost, UpgradeHandler {
    readonly config: Config;
    readonly log: Logger;
    readonly server: ServerApi;
    readonly upgrader: Upgrader;
    /** The worker's byte totals (the stats counters), for every connection. */
    readonly traffic: Traffic;
    private readonly meters;
    private readonly callbacks;
    private readonly local;
    private readonly counters;
    private readonly capacity;
    constructor(init: WorkerEventsInit);
    upgrade(fd: number, req: RequestSource, socket: Socket, head: Buffer, valid: ValidUpgrade, arrivedAt: number): void;
    /** The server answered a socket that is not a WebSocket with `status` (the HTTP entry or the upgrade). */
    refused(status: number): void;
    request(req: HttpRequest, res: ServerResponse): void;
    socketClosed(fd: number): void;
    refuseReason(): string | null;
    awaitingHook(): number;
    handshakeHook(): AppCallbacks['handshake'];
    capacityRefusal(): string | null;
    established(conn: Connection, request: HandshakeRequest, arrivedAt: number): void;
    unestablished(fd: number, aborted: boolean): void;
    deliverMessage(conn: Connection, data: Buffer, binary: boolean): void;
    deliverControl(conn: Connection, opcode: number, payload: Buffer, code?: number, reason?: string): void;
    connectionClosed(conn: Connection, info: CloseInfo): void;
    bufferFull(conn: Connection): void;
    bufferEmpty(conn: Connection): void;
}
//# sourceMappingURL=worker-events.d.ts.map