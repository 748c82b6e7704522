/**
 * What a connection may hold for a client, and when it stops reading from it: the decisions,
 * as pure functions of the figures, so that the connection shell only moves bytes and a
 * sans-I/O connection can take them over as they are. Every bound is a setting or derived
 * from one (see the README, "Limits and hostile input").
 */
/**
 * Why a connection's socket is not read; it is read again once no reason is left. A bit mask:
 * reasons come and go independently (a connection can be over its output cap while its async
 * callbacks are also behind).
 */
export declare const ReadPause: {
    /** More unsettled async app callbacks than maxPendingCallbacks. */
    readonly Callbacks: 1;
    /** The parser holds more than inboundBacklogLimit() bytes (an inflate is slower than the client). */
    readonly Backlog: 2;
    /** Output over bufferOutputSize with policy `drop`: a client that does not read does not get to write. */
    readonly Output: 4;
    /** This turn's read budget is spent: the parser goes on in the next turn, then reading resumes. */
    readonly Budget: 8;
};
/**
 * Raw bytes the parser may hold (read but not parsed, plus the compressed frame an inflate is
 * working on) before reading stops: packageMaxLength. A parser that is not waiting on an
 * inflate or its budget holds less than that (at most one frame short of its payload, which
 * is at most packageMaxLength), so this never stops a connection that only needs more bytes.
 */
export declare function inboundBacklogLimit(packageMaxLength: number): number;
/** Whether `bytes` more output would pass `cap` with `queued` already accepted (bufferOutputSize). */
export declare function overOutputCap(queued: number, bytes: number, cap: number): boolean;
/**
 * Whether a connection over its cap with policy `drop` stops being read: only when it is
 * really backed up (above the high watermark, so a write completion or 'drain' will come and
 * resume it). A single message larger than the cap into an empty buffer is just dropped.
 */
export declare function pausesForOutput(queued: number, highWatermark: number): boolean;
/** Reading resumes (policy `drop`) once the output is back at the high watermark. */
export declare function outputResumes(queued: number, highWatermark: number): boolean;
//# sourceMappingURL=flow-control.d.ts.map