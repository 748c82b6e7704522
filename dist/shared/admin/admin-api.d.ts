/** GET /connections: the page size without `limit`, and the largest accepted. */
export declare const DEFAULT_PAGE_LIMIT = 100;
export declare const MAX_PAGE_LIMIT = 1000;
/** What a worker runs for the admin API (the body is the HTTP body, bytes). */
export type AdminRequest = {
    op: 'push';
    fd: number;
    body: Uint8Array;
    binary: boolean;
} | {
    op: 'pushUid';
    uid: string;
    body: Uint8Array;
    binary: boolean;
} | {
    op: 'pushRoom';
    room: string;
    body: Uint8Array;
    binary: boolean;
} | {
    op: 'broadcast';
    body: Uint8Array;
    binary: boolean;
} | {
    op: 'disconnect';
    fd: number;
    code: number;
    reason: string;
} | {
    op: 'info';
    fd: number;
} | {
    op: 'list';
    room: string | undefined;
    uid: string | undefined;
    cursor: number;
    limit: number;
};
/** A worker's answer: the HTTP status and the JSON body (and Retry-After, when a retry may work). */
export interface AdminAnswer {
    status: number;
    body: unknown;
    retryAfter?: number;
}
/** A request refused before any worker sees it. */
export interface Refusal {
    kind: 'refused';
    status: number;
    error: string;
    /** 405: the methods the path takes. */
    allow?: string;
}
/** What the master answers itself: they read the master's own state. */
export type MasterRoute = 'healthz' | 'readyz' | 'metrics' | 'stats';
export type AdminRoute = {
    kind: 'master';
    name: MasterRoute;
}
/** A worker runs it; `body`: the HTTP body is read first (bounded) and given to `make`. */
 | {
    kind: 'worker';
    body: boolean;
    make(body: Buffer): AdminRequest | Refusal;
} | Refusal;
/**
 * Parses a request line's method and target. Unknown paths 404, a known path with another
 * method 405 (with Allow), malformed fds, codes, limits, cursors and names 400.
 */
export declare function parseAdminRoute(method: string, target: string): AdminRoute;
/**
 * A push outcome as an HTTP status: written/queued 200, unknown/closed 404 (nobody holds that
 * session), dropped 409 (its buffer is full), unreachable/timeout/congested 503 (congested with
 * Retry-After: the bus drains; the others may last).
 */
export declare function pushAnswer(status: string): {
    code: number;
    retryAfter?: number;
};
/** `Authorization: Bearer <token>` against the expected token, in constant time for tokens of the same length. */
export declare function bearerMatches(header: string | undefined, token: string): boolean;
/** Whether a listening address reaches only this machine (127.0.0.0/8, ::1, localhost). */
export declare function isLoopbackHost(host: string): boolean;
//# sourceMappingURL=admin-api.d.ts.map