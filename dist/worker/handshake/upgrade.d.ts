import type { Socket } from 'node:net';
import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';
import { type ValidUpgrade } from '../../shared/protocol/handshake.ts';
import { type DeflateSettings } from '../../shared/protocol/permessage-deflate.ts';
import { Connection, type ConnectionHost } from '../connection/connection.ts';
import { HandshakeRequest, type RequestSource } from './handshake-io.ts';
import type { ServerApi, ServerCallbacks } from '../app-contract.ts';
/** What the handshake flow needs from the server that owns it. */
export interface UpgradeHost extends ConnectionHost {
    readonly config: Config;
    readonly log: Logger;
    readonly server: ServerApi;
    handshakeHook(): ServerCallbacks['handshake'] | undefined;
    /** Why a new connection can't be established now (503), or null. */
    capacityRefusal(): string | null;
    /** The handshake completed (the socket arrived at `arrivedAt`, performance.now()): register the connection and fire `open`. */
    established(conn: Connection, request: HandshakeRequest, arrivedAt: number): void;
    /** A refusal with `status` is being written (counted by status). */
    refused(status: number): void;
    /** A connection ended before its handshake completed (`disconnect`), `aborted` if the client left. */
    unestablished(fd: number, aborted: boolean): void;
}
/**
 * The upgrade after RFC 6455 validation: the app's handshake hook decides (it may be async),
 * then the server itself writes the whole 101 — subprotocol only if offered, the negotiated
 * extension, the hook's extra headers — so no half-written handshake can exist.
 */
export declare class Upgrader {
    /** Upgrades waiting for the app's hook, by fd. */
    readonly pending: Map<number, Socket>;
    private readonly host;
    /** The compression settings every negotiation uses (a reload rebuilds moved connections with them). */
    readonly deflateSettings: DeflateSettings;
    /** Proxies whose forwarding headers are believed (config.trustProxy). */
    private readonly trustProxy;
    constructor(host: UpgradeHost);
    upgrade(fd: number, req: RequestSource, socket: Socket, head: Buffer, valid: ValidUpgrade, arrivedAt: number): void;
    /** A failure of our own after the hook: logged, and only this socket pays. */
    private failed;
    private hookFailed;
    /** An async hook: the socket waits in `pending`; a client that leaves meanwhile is only reported. */
    private awaitHook;
    private decide;
    private refuse;
    private establish;
}
//# sourceMappingURL=upgrade.d.ts.map