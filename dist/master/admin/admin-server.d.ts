import type { AddressInfo } from 'node:net';
import { type AdminAnswer, type AdminRequest } from '../../shared/admin/admin-api.ts';
import type { ClusterStats } from '../../shared/cluster-messages.ts';
import type { Config } from '../../shared/config.ts';
import { type Logger } from '../../shared/logger.ts';
/**
 * Admin requests forwarded to workers at once (body reading included); one more gets 429 with
 * Retry-After. Each holds at most a body of packageMaxLength: 64 x 2 MiB by default.
 */
export declare const ADMIN_MAX_INFLIGHT = 64;
/** Sockets the admin server keeps open at once (a scraper, probes, a few tools); beyond it new ones are refused. */
export declare const ADMIN_MAX_CONNECTIONS = 256;
/** How much longer than busTimeoutMs a forwarded request may take (IPC, a busy worker loop) before it is a 503. */
export declare const ADMIN_TIMEOUT_MARGIN_MS = 2000;
/** The master's state as /readyz reports it. */
export interface Readiness {
    ready: boolean;
    /** Why not, when not. */
    reason: string | null;
    [detail: string]: unknown;
}
export interface AdminServerDeps {
    config: Config;
    log: Logger;
    /** Runs a request on a live worker (AdminForwarder). */
    forward(request: AdminRequest): Promise<AdminAnswer>;
    readiness(): Readiness;
    stats(): Promise<ClusterStats>;
    /** The Prometheus text exposition: every node's series ('cluster'), or this node's ('node'). */
    metrics(scope: 'cluster' | 'node'): Promise<string>;
}
/**
 * The master's admin server (README "Admin server"): health, readiness, stats and metrics
 * answered from the master's own state, everything that acts on sessions forwarded to a
 * worker. It is the master's because /healthz means "the master is alive", /readyz reads what
 * only the master knows (listening, every worker slot, shutting down), and the admin port must
 * outlive any worker's crash. Node's HTTP server parses (llhttp); every phase is bounded.
 */
export declare class AdminServer {
    private readonly deps;
    private readonly http;
    private inflight;
    constructor(deps: AdminServerDeps);
    start(): Promise<AddressInfo>;
    close(): void;
    private handle;
    private master;
    private failed;
}
//# sourceMappingURL=admin-server.d.ts.map