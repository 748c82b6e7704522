/**
 * The records an old worker sends its replacement when a reload moves its connections
 * (src/worker/reload/): a stream of
 *
 *    +-----------------+-------+------------------------------+
 *    | length u32 BE   | flags | body: v8.serialize(record)   |
 *    | (flags + body)  | u8    | (structured clone: Buffers)  |
 *    +-----------------+-------+------------------------------+
 *
 * flags bit 0: a descriptor was sent with this record (one sendmsg each, see move-link.ts).
 * The kernel delivers a descriptor with the read that holds the first bytes of its message,
 * never later than the record is complete: the decoder queues descriptors as they come and
 * gives each to the next record flagged for one. Both ends run the same code (the old worker
 * and its replacement, of one master): the stream is trusted, a record that does not decode is
 * a bug (ERR_MOVE_RECORD), not an attack.
 */
export declare const HAS_HANDLE = 1;
export declare function encodeMoveRecord(record: unknown, withHandle: boolean): Buffer;
/** Reassembles records from reads; descriptors that came with reads are matched in order. */
export declare class MoveRecordDecoder {
    private chunks;
    private buffered;
    private readonly handles;
    /** One read (and the descriptor that came with it, if any): every record it completes. */
    push(chunk: Buffer, handle: object | undefined): Array<{
        record: unknown;
        handle: object | undefined;
    }>;
    /** Descriptors that arrived and no record took (the stream ended early): the caller closes them. */
    leftoverHandles(): object[];
    private peek;
    private take;
}
//# sourceMappingURL=move-wire.d.ts.map