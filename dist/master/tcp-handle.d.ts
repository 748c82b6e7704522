/**
 * The part of libuv's TCP wrap the master uses: the raw handle it accepts (node:cluster's
 * round-robin relies on the same) and hands to a worker over the hand-off pipe.
 */
export interface TcpHandle {
    getpeername(out: {
        address?: string;
        port?: number;
    }): number;
    close(): void;
}
//# sourceMappingURL=tcp-handle.d.ts.map