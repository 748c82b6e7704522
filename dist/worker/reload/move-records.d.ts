import type { MovedConnection } from '../connection/connection.ts';
import type { Membership } from '../local-connections.ts';
import type { MovedBroadcast, MovedOp } from './moved-ops.ts';
/**
 * The records of the move link (shared/move/move-wire.ts frames them), in the order the old
 * worker sends them: a manifest of the fds about to move; per connection its descriptor
 * (`socket`), then its state (`state`, or `lost`); operations on connections already on their
 * way (`op`, `broadcast`), in order with the rest; the bus connections (`bus`); `end`.
 */
export type MoveRecord = {
    t: 'manifest';
    fds: number[];
} | {
    t: 'socket';
    fd: number;
} | {
    t: 'state';
    fd: number;
    conn: MovedConnection;
    m: Membership;
} | {
    t: 'lost';
    fd: number;
} | {
    t: 'op';
    fd: number;
    op: MovedOp;
} | {
    t: 'broadcast';
    b: MovedBroadcast;
} | {
    t: 'bus';
    remainder: Buffer;
} | {
    t: 'end';
    moved: number;
};
export type { SlotMoveReport } from '../../shared/cluster-messages.ts';
//# sourceMappingURL=move-records.d.ts.map