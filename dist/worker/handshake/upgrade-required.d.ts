import type { ServerResponse } from 'node:http';
/**
 * Answers a plain HTTP request made to a WebSocket endpoint: 426 Upgrade Required, naming the
 * protocol to switch to (RFC 9110 §15.5.22: "The server MUST send an Upgrade header field in a
 * 426 response"; §7.8: with the upgrade option in Connection). An app's `request` callback
 * calls it for its own WebSocket paths; without a `request` callback every plain request gets it.
 */
export declare function upgradeRequired(res: ServerResponse, body?: string): void;
//# sourceMappingURL=upgrade-required.d.ts.map