/**
 * The master → worker hand-off record, sent with the socket's descriptor attached:
 *   fd       float64 LE  the connection's session id (an integer below 2^53)
 *   port     uint16 LE   the client's port          } what the master's getpeername() gave for
 *   length   uint8       then `length` bytes of the  } dispatch: the worker need not ask the
 *   address  latin1      client's address            } kernel again
 * The kernel never merges a read across messages that carry descriptors, so a worker's read
 * normally holds exactly one record and its handle; the decoder still accepts any number of
 * records and a record split across reads.
 */
/** A connection handed to a worker. */
export interface Handoff {
    fd: number;
    address: string;
    port: number;
}
/** The environment variable naming the worker's inherited hand-off descriptor. */
export declare const ENV_HANDOFF_FD = "SWITCHYARD_HANDOFF_FD";
export declare function encodeHandoff(fd: number, address: string, port: number): Buffer;
/**
 * The records in a chunk, in order. An incomplete record at the end is returned as `rest`
 * (to be prefixed to the next chunk); a descriptor always comes with the read that ends its
 * record, so the caller gives the chunk's handle to the last record.
 */
export declare function decodeHandoffs(chunk: Buffer): {
    records: Handoff[];
    rest: Buffer | null;
};
//# sourceMappingURL=handoff-wire.d.ts.map