import type { Logger } from '../shared/logger.ts';

/** The close code of a session closed because its uid has too many (maxConnectionsPerUid). */
export const UID_LIMIT_CLOSE_CODE = 4429;
export const UID_LIMIT_REASON = 'too many sessions for this uid';

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
export class UidLimit {
  private readonly limit: number;
  private readonly api: UidLimitApi;
  private readonly log: Logger;

  constructor(limit: number, api: UidLimitApi, log: Logger) {
    this.limit = limit;
    this.api = api;
    this.log = log;
  }

  /** fd was just bound to uid here. Resolves when the check is done (it never rejects). */
  bound(fd: number, uid: string): Promise<void> {
    return this.enforce(uid).catch((err: unknown) => this.log.warn({ fd, err: (err as Error).message }, 'maxConnectionsPerUid: could not count the sessions of a uid'));
  }

  private async enforce(uid: string): Promise<void> {
    const fds = await this.api.getFdsByUid(uid);
    if (fds.length <= this.limit) return;
    const aged = await Promise.all(fds.map(async (fd) => ({ fd, at: (await this.api.connectTime(fd)) ?? -Infinity })));
    aged.sort((a, b) => a.at - b.at || a.fd - b.fd);
    const excess = aged.slice(0, aged.length - this.limit);
    this.log.info({ event: 'uid-limit', sessions: fds.length, limit: this.limit, closing: excess.map((x) => x.fd) }, 'uid over maxConnectionsPerUid: oldest sessions closed');
    for (const { fd } of excess) this.api.disconnect(fd, UID_LIMIT_CLOSE_CODE, UID_LIMIT_REASON);
  }
}
