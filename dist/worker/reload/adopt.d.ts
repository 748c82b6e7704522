import { Socket } from 'node:net';
import type { Logger } from '../../shared/logger.ts';
import type { EmbeddedBus } from '../../shared/bus/embedded-bus.ts';
import type { DeflateSettings } from '../../shared/protocol/permessage-deflate.ts';
import type { LocalConnections } from '../local-connections.ts';
import type { WorkerEvents } from '../worker-events.ts';
import type { AppCallbacks } from '../app-callbacks.ts';
export interface AdoptParts {
    local: LocalConnections;
    log: Logger;
    host: WorkerEvents;
    callbacks: AppCallbacks;
    embedded: EmbeddedBus | null;
    /** The worker's compression settings (level, memory, threshold), as the upgrade uses them. */
    deflateSettings: DeflateSettings;
    /** Reports an adopted socket's end to the master (its connection limits: release-batch.ts). */
    track?: (socket: Socket, fd: number) => void;
}
/**
 * The replacement's side of a reload (see move-out.ts): listens on the move link before the
 * worker says it is ready, then rebuilds each connection from its descriptor and state, runs
 * the operations that were held for it, tells the app (`adopt`) and reads on. Until the old
 * worker's `end`, operations on fds of the manifest that are not here yet are held (a push is
 * `queued`), and broadcasts made here wait so that they reach every connection once.
 */
export declare class Adoption {
    private readonly parts;
    private readonly expected;
    private readonly held;
    private readonly handles;
    private heldBroadcasts;
    private listener;
    private finished;
    private resolveDone;
    /** Resolves with the number of connections adopted once the old worker is done (or gone). */
    readonly done: Promise<number>;
    private adopted;
    /** From the first record to the end: wall time (ms) and this process's CPU time (µs), whatever
     * else it did meanwhile (new connections, traffic), as the old worker counts its side. */
    readonly cost: {
        ms: number;
        cpuUs: number;
    };
    private startedAt;
    private cpu0;
    constructor(parts: AdoptParts);
    listen(path: string): Promise<void>;
    private record;
    private adopt;
    /** An operation for fd, run once its connection is here. */
    private hold;
    private forget;
    private finish;
}
//# sourceMappingURL=adopt.d.ts.map