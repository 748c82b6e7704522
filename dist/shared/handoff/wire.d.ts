/**
 * The master → worker hand-off record, sent with the socket's descriptor attached (one
 * sendmsg per connection, see handoff/sender.ts):
 *
 *    0       1       2               10      12      13            13+n
 *   +-------+-------+---------------+-------+-------+-------------+
 *   | magic | vers. | fd            | port  | n     | address     |
 *   | 0xA5  | 2     | float64 LE    | u16LE | u8    | n latin1    |
 *   +-------+-------+---------------+-------+-------+-------------+
 *
 *    a = 13+n        a+2     a+3           b = a+3+p b+2         b+2+m
 *   +---------------+-------+-------------+---------+-----------+-------------+
 *   | proxy port    | p     | proxy addr. | m       | prefix    | check       |
 *   | u16LE         | u8    | p latin1    | u16LE   | m bytes   | CRC-32 LE   |
 *   +---------------+-------+-------------+---------+-----------+-------------+
 *
 * fd is the connection's session id; port and address are the client's as the master
 * dispatched on it: what getpeername() gave (the worker need not ask the kernel again; n = 0:
 * unknown, it will), or the source a PROXY protocol header declared. Then the proxy's address
 * when a PROXY header was believed (p = 0: none), and the bytes the master read past that
 * header (the start of the HTTP request, often in the same segment): the worker reads them
 * before anything from the socket. m is at most MAX_PREFIX, so a record stays one small write
 * (one kernel buffer, one read on the other side). The check covers everything before it.
 *
 * The stream checks itself: a hand-off that does not decode exactly is rejected, never
 * guessed at. Its descriptor cannot be matched to a session id with certainty, so the worker
 * closes it (the client sees a closed connection, not a hang).
 *
 * Reads are decoded one at a time, nothing is carried from one to the next: the kernel ends a
 * read of a Unix stream socket after a message that carries descriptors, and each record is a
 * single small sendmsg with one, so a read holds exactly one record and its descriptor. A bad
 * read is therefore dropped whole and cannot shift the records after it (the old decoder kept
 * an "incomplete" tail across reads: one garbage length byte misaligned every later record).
 * Within a read, bytes that are not a valid record are skipped up to the next magic byte.
 */
/** A connection handed to a worker. */
export interface Handoff {
    fd: number;
    address: string;
    port: number;
    /** The proxy whose PROXY protocol header gave `address` (absent: the peer is the client). */
    proxy?: {
        address: string;
        port: number;
    };
    /** Bytes the master read after the PROXY header: the client's first bytes (absent: none). */
    prefix?: Buffer;
}
/** What travels with a connection besides its session id and address. */
export interface HandoffExtras {
    proxy?: {
        address: string;
        port: number;
    } | undefined;
    prefix?: Buffer | undefined;
}
/** Why bytes of a read were rejected. */
export type RejectReason = 'magic' | 'version' | 'length' | 'torn' | 'checksum' | 'fd' | 'address';
/** A span of a read that held no valid record. */
export interface Rejected {
    at: number;
    bytes: number;
    /** Why its first record failed (later false starts inside the span are not reported). */
    why: RejectReason;
}
/** What one read of the hand-off pipe held, and whom its descriptor belongs to. */
export interface HandoffRead {
    /** The record the read's descriptor came with: set only when the read was exactly one valid record. */
    handed: Handoff | null;
    /** Valid records whose descriptor cannot be told apart (the read also held garbage, or several records). */
    orphans: Handoff[];
    rejected: Rejected[];
}
/**
 * Client bytes a record carries at most. A Unix stream socket keeps a write of up to about
 * 36 KiB in one buffer (so the descriptor and the whole record arrive in one read); the master
 * closes a connection that sent more than this before its request was answered.
 */
export declare const MAX_PREFIX: number;
/** The environment variable naming the worker's inherited hand-off descriptor. */
export declare const ENV_HANDOFF_FD = "SWITCHYARD_HANDOFF_FD";
export declare function encodeHandoff(fd: number, address: string, port: number, extras?: HandoffExtras): Buffer;
/**
 * Decodes one read of a worker's hand-off pipe. `self` is the worker the pipe leads to: a
 * record naming another worker's or node's session id is rejected like garbage.
 */
export declare function decodeHandoffRead(chunk: Buffer, self: {
    slot: number;
    node: number;
}): HandoffRead;
//# sourceMappingURL=wire.d.ts.map