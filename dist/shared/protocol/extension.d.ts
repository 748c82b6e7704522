import type { ProtocolError } from '../errors.ts';
import type { DeflateAgreement } from './permessage-deflate.ts';
/**
 * What a compressing connection carries when it moves to another process (a reload): the
 * negotiated parameters and the inflater's window — the last bytes it produced, up to
 * 2^windowBits, which the client's later messages may refer back to (null: none to keep,
 * client_no_context_takeover or nothing inflated yet). The deflater is not carried: a fresh
 * one starts a new stream the client's inflater reads fine (it simply never refers back).
 */
export interface CodecMoveState {
    agreement: DeflateAgreement;
    window: Buffer | null;
}
/**
 * The parser's view of a negotiated permessage-deflate (RFC 7692): it only needs to
 * decompress. Kept as an interface so the parser stays free of zlib and can be tested
 * with any implementation.
 */
export interface Inflater {
    /**
     * Decompress one frame's payload of a compressed message. `fin` marks the message's last
     * frame (the implementation appends 0x00 0x00 0xff 0xff, RFC 7692 §7.2.2, and resets its
     * context when client_no_context_takeover was negotiated). `limit` is how many inflated
     * bytes this call may still produce: past it the callback gets a ProtocolError 1009.
     * Corrupt data gets a ProtocolError 1007. The callback may run synchronously or later,
     * exactly once.
     */
    decompress(data: Buffer, fin: boolean, limit: number, callback: (err: ProtocolError | null, inflated?: Buffer) => void): void;
}
/** The sending half: one message's payload compressed (RFC 7692 §7.2.1, trailer removed). */
export interface Deflater {
    /** Jobs complete in the order given; the callback may run synchronously or later, exactly once. */
    compress(data: Buffer, callback: (err: Error | null, compressed?: Buffer) => void): void;
}
/**
 * Both directions of a negotiated permessage-deflate, as the connection core uses them. The
 * zlib implementation is I/O-side (src/worker/connection/deflate-codec.ts): streams and a process-wide
 * job limiter do not belong in the sans-I/O core.
 */
export interface MessageCodec extends Inflater, Deflater {
    /** The connection is gone: drop queued jobs and free the contexts. Later calls do nothing. */
    dispose(): void;
    /** The state to carry to another process, or null while a job is queued or in flight (absent: cannot move). */
    moveState?(): CodecMoveState | null;
}
//# sourceMappingURL=extension.d.ts.map