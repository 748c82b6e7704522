import type { Socket } from 'node:net';
import type { Logger } from '../shared/logger.ts';
import type { SessionOwner, SessionRecord, SessionTable } from '../shared/session-table/types.ts';
import { type CloseInfo, type Connection, type PushStatus } from './connection/connection.ts';
import type { HandshakeRequest } from './handshake/handshake-io.ts';
import type { ClientInfo, LocalStats } from './app-contract.ts';
import { WorkerMeters } from '../shared/metrics/worker-meters.ts';
import type { MovedBroadcast, MoveRelay } from './reload/moved-ops.ts';
/** What leaves with a connection when a reload moves it: what this registry knows of it. */
export interface Membership {
    uid: string | null;
    rooms: string[];
    /** The app's per-connection store (Server.connectionData). */
    data: Record<string, unknown> | null;
}
/** This process's counters (LocalStats without what is read off the live state). */
export type LocalCounters = Omit<LocalStats, 'workerId' | 'connections' | 'pendingHandshakes'>;
/** What the cluster knows of an fd, asked of its owner. */
export interface Described {
    exist: boolean;
    established: boolean;
    info: ClientInfo | null;
}
export interface LocalConnectionsInit {
    counters: LocalCounters;
    /** Metric counters (made here if absent). */
    meters?: WorkerMeters;
    log: Logger;
    /** Multi-node: the cluster's session table, kept in step with this worker's connections and uids. */
    sessions: SessionTable | null;
    /** This worker's address, registered with each session. */
    node: number;
    slot: number;
    /** A socket of this worker that has no WebSocket yet (handshake pending), by fd. */
    pendingSocket(fd: number): Socket | undefined;
    /** A message from another worker's sendMessage, for the app's pipeMessage. */
    pipe(src: number, data: unknown): void;
    /** fd (a connection of this worker) was just bound to uid: maxConnectionsPerUid's check. */
    bound?(fd: number, uid: string): void;
}
/**
 * The established connections of this worker and every operation on them: pushes, closes,
 * client info, rooms and uids: the local side of the cluster operations (cluster-ops.ts), for
 * calls made here and for those other workers make over the bus.
 */
export declare class LocalConnections implements SessionOwner {
    private readonly conns;
    private readonly rooms;
    private readonly uidOf;
    private readonly fdsOfUid;
    /** The app's per-connection stores (Server.connectionData), made on first use. */
    private readonly data;
    /** While a reload moves connections out of or into this worker (src/worker/reload/). */
    relay: MoveRelay | null;
    /** This process's counters (the cluster operations count remote pushes here too). */
    readonly counters: LocalCounters;
    readonly meters: WorkerMeters;
    private readonly log;
    private readonly sessions;
    private readonly init;
    constructor(init: LocalConnectionsInit);
    get node(): number;
    get slot(): number;
    get size(): number;
    /** A live connection's session record, as the session table holds it. */
    record(fd: number): SessionRecord | null;
    fds(): IterableIterator<number>;
    /** getClientList's share here: the fds (a room's members with `room`) above `after`, ascending, at most `limit`. */
    page(after: number, limit: number, room: string | undefined): number[];
    /** The handshake completed: the connection is ours until it closes. */
    add(conn: Connection, request: HandshakeRequest): void;
    /** The connection's app data store (created empty on first use); null when fd is not here. */
    connectionData(fd: number): Record<string, unknown> | null;
    /** The connections here, for a reload to move. */
    connections(): Connection[];
    /**
     * A reload takes the connection to another worker: it leaves this registry with its uid,
     * rooms and app data, but not the session table (same fd, same slot: still registered).
     */
    detach(fd: number): Membership | null;
    /** A connection a reload moved here: registered as it was (the session table already has it). */
    adopt(conn: Connection, m: Membership): void;
    /** The connection closed: it leaves its rooms, its uid and the session table. */
    remove(conn: Connection, info: CloseInfo): void;
    push(fd: number, payload: Buffer, op: number): PushStatus;
    disconnect(fd: number, code: number, reason: string): boolean;
    close(fd: number): boolean;
    private destroyPending;
    ping(fd: number, data?: string | Buffer): boolean;
    protect(fd: number, value: boolean): boolean;
    describe(fd: number): Described;
    clientInfo(fd: number): ClientInfo | null;
    /** How many connections a broadcast (or a push to `room`) reaches here. */
    fanOutSize(room: string | undefined): number;
    /** Every connection here (or the room's members here), the frame encoded once for all of them. */
    broadcast(op: number, payload: Buffer, except: readonly number[], room: string | undefined): number;
    /** One connection's share of a fan-out: a broadcast made while it was between two workers
     * (reload/adopt.ts), run once it is here, its rooms with it. */
    fanOutTo(fd: number, b: MovedBroadcast): boolean;
    join(fd: number, room: string): boolean;
    leave(fd: number, room: string): boolean;
    bind(fd: number, uid: string): boolean;
    private unbind;
    /** The fds bound to uid here. */
    fdsOf(uid: string): Iterable<number>;
    pushUid(uid: string, payload: Buffer, op: number): number;
    /** Closes the connections that sent nothing for idleMs (protected ones excepted) with 1001. */
    checkHeartbeat(idleMs: number): void;
    pingAll(): void;
    /** Shutdown: starts every closing handshake with 1001. */
    disconnectAll(): void;
    /** Shutdown, when the wait is over: closes what is left without a close frame. */
    closeAll(): void;
    /**
     * Bytes in and out of every connection, closed or open: running sums the connections add to
     * as they read and write (Connection's `traffic`), so no figure walks the connections.
     */
    traffic(): {
        bytesIn: number;
        bytesOut: number;
    };
    /** Another worker's sendMessage, for the app's pipeMessage callback. */
    pipe(src: number, data: unknown): void;
}
//# sourceMappingURL=local-connections.d.ts.map