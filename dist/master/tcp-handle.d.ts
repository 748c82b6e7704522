/**
 * The part of libuv's TCP wrap the master uses: the raw handle it accepts (node:cluster's
 * round-robin relies on the same) and hands to a worker over the hand-off pipe. Reading is
 * used only for a PROXY protocol header (proxy-header-reader.ts), stopped before the hand-off.
 */
export interface TcpHandle {
    getpeername(out: {
        address?: string;
        port?: number;
    }): number;
    close(): void;
    readStart(): number;
    readStop(): number;
    /** Called by libuv's stream code for each read (see native-pipe.ts readResult). */
    onread: ((buffer: ArrayBuffer | undefined) => void) | null;
}
//# sourceMappingURL=tcp-handle.d.ts.map