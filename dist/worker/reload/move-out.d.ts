import type { Logger } from '../../shared/logger.ts';
import type { EmbeddedBus } from '../../shared/bus/embedded-bus.ts';
import type { Connection } from '../connection/connection.ts';
import type { LocalConnections } from '../local-connections.ts';
import type { SlotMoveReport } from './move-records.ts';
export interface MoveOutParts {
    local: LocalConnections;
    log: Logger;
    embedded: EmbeddedBus | null;
    /** Handshakes not finished here: they become connections to move (or are refused). */
    pendingHandshakes: () => number;
    /** A socket that moved: its close here is no release for the master's connection limits (the replacement reports it). */
    untrack?: (socket: Connection['socket']) => void;
    /** Once every connection and the bus connections are on their way, before `end`: the Redis
     * bus's cut (bus-handover.ts), while what comes for moved fds is still forwarded. */
    beforeEnd?: () => Promise<void>;
    /** Resolves once what this worker published on the Redis bus so far has reached Redis: a
     * moved connection's input runs in the replacement only after that (see RedisBus.flushed). */
    busFlushed?: () => Promise<void>;
}
/**
 * The old worker's side of a reload: every connection goes to the replacement listening at
 * `path` — descriptor first (one sendmsg), then, once that write completed, its state captured
 * at that instant (ConnectionCore snapshot, unsent output, unread input, uid, rooms, app data).
 * Operations on a connection already on its way are forwarded behind it (MoveRelay); the bus
 * connections from the other workers go last, unread, so what they carry runs in the
 * replacement. A permessage-deflate connection with an inflate or a compression in flight is
 * held at the end of the message under way (ConnectionCore.prepareMove) and moves once they are
 * done. One that cannot move (TLS; an app store that is not serialisable; a compressed message
 * still under way at the deadline) is closed with 1012 (Service Restart).
 */
export declare function moveOut(parts: MoveOutParts, path: string, deadlineMs: number): Promise<SlotMoveReport>;
//# sourceMappingURL=move-out.d.ts.map