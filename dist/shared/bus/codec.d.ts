/**
 * Framing shared by the bus transports: an envelope per message and, for byte streams, a
 * length prefix per envelope. The envelope says who sent it and how it is to be answered; the
 * body is bytes the bus never reads (what they mean is src/worker/cluster/cluster-ops.ts's business).
 *
 *   stream:   +-------------------+------------------------------+-------------------+----
 *             | length: u32 BE    | envelope (`length` bytes)    | length: u32 BE    | ...
 *             +-------------------+------------------------------+-------------------+----
 *
 *   envelope:  0      1..2         3      [4..11]                        rest
 *              kind | node u16 BE | slot | rid f64 BE (request, reply) | body
 *              kind: 1 send (fire-and-forget), 2 request, 3 reply (| 0x80: signed, see mac.ts)
 *              node: 0..4095 a worker's node (session-id.ts), 4096..65535 an emitter (src/emitter/)
 *
 * One fixed layout and one allocation per message, the body written straight into it by its
 * owner (Outgoing.writeBody). Decoding is peer input: anything malformed gives null, never an
 * exception.
 */
import type { Incoming, MessageKind, Outgoing, WorkerAddress } from './types.ts';
import type { BusErrorCode } from '../errors.ts';
export interface Envelope {
    from: WorkerAddress;
    msg: Incoming;
}
/** The envelope of one message, with `tail` bytes left free after it (the authenticated bus's
 * trailer, mac.ts: signed in place, no copy). Throws only for what no peer could send: an
 * address or rid out of range (a bug). */
export declare function encodeEnvelope(from: WorkerAddress, msg: Outgoing, tail?: number): Buffer;
/** A whole stream frame (length prefix included) for one message, in one allocation. */
export declare function encodeStreamFrame(from: WorkerAddress, msg: Outgoing): Buffer;
/**
 * The sender and the message, or null for anything that is not a well-formed envelope (unknown
 * kind, truncated head, a rid that is not a positive safe integer). The body is a view of
 * `buf`: whoever keeps its bytes copies them.
 */
export declare function decodeEnvelope(buf: Buffer): Envelope | null;
/** An Outgoing whose body is a Buffer already (replies, tests). */
export declare class BytesMessage implements Outgoing {
    kind: MessageKind;
    rid: number;
    readonly body: Buffer;
    constructor(kind: MessageKind, rid: number, body: Buffer);
    get bodyBytes(): number;
    writeBody(into: Buffer, at: number): void;
}
export declare const FRAME_HEADER_BYTES = 4;
/** Default bound on one frame: far above a WebSocket message (packageMaxLength is 2 MiB), and
 * low enough that a corrupt length prefix cannot make a reader buffer gigabytes. */
export declare const DEFAULT_MAX_FRAME_BYTES: number;
/** The most a u32 length prefix can say. */
export declare const MAX_FRAME_BYTES_LIMIT = 4294967295;
/** The 4-byte length prefix of a payload; written before it with no copy of the payload. */
export declare function frameHeader(length: number): Buffer;
/** Prefix and payload in one buffer (a copy; for tests and one-off writes). */
export declare function encodeFrame(payload: Buffer): Buffer;
export interface FrameError {
    code: Extract<BusErrorCode, 'ERR_BUS_FRAME_TOO_BIG'>;
    message: string;
}
/**
 * Cuts a byte stream into the payloads of length-prefixed frames: chunks in, complete payloads
 * out, the same payloads whatever the chunking. A payload that lies within one chunk is a
 * slice of it (no copy); one spread over several chunks is copied once. A length above
 * `maxFrameBytes` sets `error` and the decoder stops: the stream cannot be resynchronised.
 */
export declare class FrameDecoder {
    readonly maxFrameBytes: number;
    /** Set once the stream broke the framing; later pushes return nothing. */
    error: FrameError | null;
    private chunks;
    private buffered;
    /** Payload length of the frame being read; -1 while reading its header. */
    private need;
    constructor(maxFrameBytes?: number);
    /** Bytes held for an incomplete frame. */
    get bufferedBytes(): number;
    /** The bytes not decoded yet as the stream had them (the header of a frame half read
     * included): a fresh decoder given them goes on exactly from here (a bus connection moving
     * to another process). */
    remainder(): Buffer;
    /** Takes the next chunk; returns every payload it completes, in order (frames completed
     * before a framing error are still returned). */
    push(chunk: Buffer): Buffer[];
    private readHeader;
    private readPayload;
    /** The next n bytes (n <= buffered): a slice when they lie in the first chunk. */
    private consume;
}
//# sourceMappingURL=codec.d.ts.map