import { type AdminAnswer, type AdminRequest } from '../shared/admin/admin-api.ts';
import type { ServerApi } from './app-contract.ts';
/**
 * Runs one admin API request through the server API, wherever its sessions live (the cluster
 * operations route each call to the owner), and answers its HTTP status and JSON body. The one
 * implementation behind the master's admin server (which forwards requests here over IPC) and
 * the default app's POST /push/:fd and POST /broadcast. Never throws: the session table not
 * answering is a 503, anything else a 500.
 */
export declare function runAdmin(srv: ServerApi, req: AdminRequest): Promise<AdminAnswer>;
//# sourceMappingURL=admin-ops.d.ts.map