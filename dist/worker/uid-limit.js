/** The close code of a session closed because its uid has too many (maxConnectionsPerUid). */
export const UID_LIMIT_CLOSE_CODE = 4429;
export const UID_LIMIT_REASON = 'too many sessions for this uid';
/**
 * maxConnectionsPerUid (Centrifugo's user_connection_limit), checked after each bind on the
 * worker that owns the fd: when the uid has more sessions than the limit in the cluster, its
 * oldest are closed with 4429 until it has the limit. "Oldest" is the earliest connected, ties
 * broken by fd: every worker that checks the same uid picks the same sessions, so two binds
 * racing on two nodes never close more than needed (the later read of the two sees both binds).
 */
export class UidLimit {
    limit;
    api;
    log;
    constructor(limit, api, log) {
        this.limit = limit;
        this.api = api;
        this.log = log;
    }
    /** fd was just bound to uid here. Resolves when the check is done (it never rejects). */
    bound(fd, uid) {
        return this.enforce(uid).catch((err) => this.log.warn({ fd, err: err.message }, 'maxConnectionsPerUid: could not count the sessions of a uid'));
    }
    async enforce(uid) {
        const fds = await this.api.getFdsByUid(uid);
        if (fds.length <= this.limit)
            return;
        const aged = await Promise.all(fds.map(async (fd) => ({ fd, at: (await this.api.connectTime(fd)) ?? -Infinity })));
        aged.sort((a, b) => a.at - b.at || a.fd - b.fd);
        const excess = aged.slice(0, aged.length - this.limit);
        this.log.info({ event: 'uid-limit', sessions: fds.length, limit: this.limit, closing: excess.map((x) => x.fd) }, 'uid over maxConnectionsPerUid: oldest sessions closed');
        for (const { fd } of excess)
            this.api.disconnect(fd, UID_LIMIT_CLOSE_CODE, UID_LIMIT_REASON);
    }
}
//# sourceMappingURL=uid-limit.js.map