import type { BusMessage, WorkerAddress } from './types.ts';
export interface Envelope {
    from: WorkerAddress;
    msg: BusMessage;
}
/** The envelope of one message. Throws only for values msgpack cannot encode (a bug). */
export declare function encodeEnvelope(from: WorkerAddress, msg: BusMessage): Buffer;
/** A whole stream frame (length prefix included) for one message: pushes in one allocation. */
export declare function encodeStreamFrame(from: WorkerAddress, msg: BusMessage): Buffer;
/**
 * The sender and the message, or null for anything that is not exactly one well-formed
 * envelope (bad msgpack, trailing bytes, unknown message type, fields of the wrong type).
 * Buffers in the result are copies: `buf` may be reused or dropped afterwards.
 */
export declare function decodeEnvelope(buf: Buffer): Envelope | null;
/** Checks the shape of every message type (types.ts), so handlers get what the type promises. */
export declare function isBusMessage(v: unknown): v is BusMessage;
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
    code: 'ERR_BUS_FRAME_TOO_BIG';
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
    /** Takes the next chunk; returns every payload it completes, in order (frames completed
     * before a framing error are still returned). */
    push(chunk: Buffer): Buffer[];
    private readHeader;
    private readPayload;
    /** The next n bytes (n <= buffered): a slice when they lie in the first chunk. */
    private consume;
}
//# sourceMappingURL=codec.d.ts.map