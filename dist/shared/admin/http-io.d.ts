import type { IncomingMessage, ServerResponse } from 'node:http';
/**
 * The request body, or null once it passes `limit` bytes: answered at once (the caller writes
 * its 413 while the rest is still arriving), the rest read and discarded so that answer can be
 * written. Shared by the master's admin server and the default app's push API.
 */
export declare function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null>;
export declare function json(res: ServerResponse, status: number, value: unknown): void;
//# sourceMappingURL=http-io.d.ts.map