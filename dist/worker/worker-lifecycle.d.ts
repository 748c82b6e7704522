import { type AddressInfo, type Socket } from 'node:net';
import { WorkerEvents, type CapacityCheck, type WorkerEventsInit } from './worker-events.ts';
/** What the lifecycle is built with: what its WorkerEvents needs (it is the capacity check itself), and more. */
export interface WorkerLifecycleInit extends Omit<WorkerEventsInit, 'capacity'> {
    workerId: number;
    /** Session ids for sockets of our own listener. */
    allocateFd: () => number;
}
/**
 * This worker from start to stop. Sockets enter (the master's hand-off or our own listener),
 * go through the HTTP entry and the upgrade, refused (503) at capacity or while shutting
 * down; what a connection reports from then on goes to the connection registry and the app's
 * callbacks. Timers close idle connections and ping; stop() closes everything with 1001.
 */
export declare class WorkerLifecycle implements CapacityCheck {
    private readonly config;
    private readonly log;
    private readonly callbacks;
    private readonly local;
    private readonly counters;
    private readonly allocateFd;
    private readonly entry;
    private readonly upgrader;
    private readonly events;
    private listener;
    /** With sslCertFile and sslKeyFile: TLS ends here, on every accepted socket. */
    private readonly tls;
    private stopping;
    private draining;
    private readonly timers;
    private readonly workerId;
    constructor(init: WorkerLifecycleInit);
    /** Reads the TLS files again (SIGHUP to the master): false when TLS is off or a file failed (the old certificate stays). */
    reloadTls(): boolean;
    /** Where connections report (a connection a reload moves here is built with it). */
    get connectionHost(): WorkerEvents;
    /** Whether stop() has begun: no new connections. */
    get shuttingDown(): boolean;
    /** Connections that are not WebSockets (yet), as maxPendingHandshakes counts them. */
    get pendingHandshakes(): number;
    /** A socket with no WebSocket yet: waiting for the app's handshake hook or still in HTTP. */
    pendingSocket(fd: number): Socket | undefined;
    /**
     * A socket handed over by the master. It may arrive without its handle when the client
     * closed while it travelled: counted and logged, never a crash.
     */
    receive(socket: Socket | undefined, fd: number): void;
    /** Takes an accepted socket (from our own listener or the master's hand-off). */
    attach(socket: Socket, fd?: number): void;
    /** Single-process mode: listen ourselves, as the master will (paused sockets, nothing read). */
    listen(port: number, host: string): Promise<AddressInfo>;
    /** Arms the heartbeat and ping timers and runs workerStart (`strict`: its failure is thrown). */
    start(strict?: boolean): Promise<void>;
    /** Closes every connection here with 1001 and waits for the closing handshakes, up to `maxWaitMs`. */
    stop(maxWaitMs: number): Promise<void>;
    /**
     * A drain: no new connections (503), and every established one closed with 1012 (Service
     * Restart), one after the other at even intervals over `ms`: clients reconnect elsewhere
     * without a storm.
     */
    drain(ms: number): void;
    capacityRefusal(): string | null;
}
//# sourceMappingURL=worker-lifecycle.d.ts.map