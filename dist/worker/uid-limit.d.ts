import type { Logger } from '../shared/logger.ts';
/** The close code of a session closed because its uid has too many (maxConnectionsPerUid). */
export declare const UID_LIMIT_CLOSE_CODE = 4429;
export declare const UID_LIMIT_REASON = "too many sessions for this uid";
/** What the check needs of the server: cluster-wide reads and a close that finds any fd. */
export interface UidLimitApi {
    getFdsByUid(uid: string): Promise<number[]>;
    /** When fd connected (ms since the epoch), null if it is gone. */
    connectTime(fd: number): Promise<number | null>;
    disconnect(fd: number, code: number, reason: string): boolean;
}
/**
 * maxConnectionsPerUid (Centrifugo's user_connection_limit), checked after each bind on the
 * worker that owns the fd: when the uid has more sessions than the limit in the cluster, its
 * oldest are closed with 4429 until it has the limit. "Oldest" is the earliest connected, ties
 * broken by fd: every worker that checks the same uid picks the same sessions, so two binds
 * racing on two nodes never close more than needed (the later read of the two sees both binds).
 */
export declare class UidLimit {
    private readonly limit;
    private readonly api;
    private readonly log;
    constructor(limit: number, api: UidLimitApi, log: Logger);
    /** fd was just bound to uid here. Resolves when the check is done (it never rejects). */
    bound(fd: number, uid: string): Promise<void>;
    private enforce;
}
//# sourceMappingURL=uid-limit.d.ts.map