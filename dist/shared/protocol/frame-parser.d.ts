import { ProtocolError } from '../errors.ts';
import type { Inflater } from './extension.ts';
import { unmask } from './mask.ts';
export interface ParserOptions {
    /** packageMaxLength: limit for a reassembled message, and for its inflated size (RFC 7692), -> close 1009 */
    maxMessageSize: number;
    /** Present when permessage-deflate was negotiated: RSV1 is then allowed on the first frame of a data message. */
    inflater?: Inflater | null;
    /** The first budget (see refill()): frames, and payload bytes, before the parser yields. Unlimited by default. */
    budgetFrames?: number;
    budgetBytes?: number;
}
/** Payloads are views of the pushed chunks where possible: the sink may keep them, the parser never writes to them again. */
export interface ParserSink {
    onMessage(data: Buffer, binary: boolean): void;
    onPing(payload: Buffer): void;
    onPong(payload: Buffer): void;
    onClose(code: number, reason: string): void;
    onError(error: ProtocolError): void;
    /** The parser went on by itself (an inflate finished) and stopped again: `backlog` and `yielded` may have changed. */
    onSettled?(): void;
}
/**
 * The parser's state as plain data (see snapshotRefusal()): where it is in the current frame
 * (header, payload), the bytes not parsed yet, and the data message being assembled (its
 * fragments so far, the UTF-8 validator's carry) — anywhere but during an inflate.
 */
export interface ParserSnapshot {
    state: number;
    fin: boolean;
    opcode: number;
    payloadLength: number;
    maskHi: number;
    maskLo: number;
    /** Received and not parsed yet (still masked; in CheckedPayload the first `checked` bytes are unmasked and checked), base64. */
    pending: string;
    /** CheckedPayload: bytes of the frame's payload already unmasked and UTF-8-checked (absent: 0). */
    checked?: number;
    /** The open data message (absent: none): its opcode, wire bytes so far, fragments (base64), UTF-8 carry. */
    message?: {
        opcode: number;
        rawLength: number;
        fragments: string;
        utf8: [number, number, number, boolean] | null;
    };
}
export declare class FrameParser {
    private state;
    private running;
    /** Received chunks; unread bytes start at buffers[head][offset]. */
    private buffers;
    private head;
    private offset;
    private queued;
    /** Compressed bytes handed to the inflate in flight (the inflater holds them). */
    private inflight;
    /** Work left before the parser yields (see refill()). */
    private framesLeft;
    private bytesLeft;
    private stoppedByBudget;
    /** A move is coming (holdAtBoundary): no new message is started, the bytes wait as they are. */
    private holding;
    private fin;
    private opcode;
    private payloadLength;
    /**
     * The masking key as two 16-bit halves (small integers, stored in the object: a
     * Uint8Array per connection would cost ~180 bytes of an idle connection's heap), rotated by
     * what `checked` unmasked: byte i of the key is for payload byte checked + i.
     */
    private maskHi;
    private maskLo;
    /** CheckedPayload: payload bytes already unmasked in place and UTF-8-checked. */
    private checked;
    /** CheckedPayload: index in `buffers` of the first chunk not yet checked, once checked > 0. */
    private checkedChunks;
    private messageOpcode;
    private compressed;
    /** Wire payload bytes of the message so far, bounded as soon as each header is read. */
    private rawLength;
    private fragments;
    private fragmentBytes;
    /** Made on the first text message: idle connections don't carry one. */
    private utf8;
    private readonly sink;
    private readonly maxMessageSize;
    private readonly inflater;
    constructor(sink: ParserSink, options: ParserOptions);
    get finished(): boolean;
    get bufferedBytes(): number;
    /**
     * Raw bytes held for the peer: received and not parsed yet, plus the compressed frame an
     * inflate is working on. It grows only while the parser waits on an inflate or has yielded;
     * the shell stops reading above its bound (flow-control.ts inboundBacklogLimit).
     */
    get backlog(): number;
    /** The budget is spent and bytes are waiting: nothing more is parsed until refill(). */
    get yielded(): boolean;
    /**
     * A new budget: `frames` frames and `bytes` payload bytes (checked at frame boundaries, so a
     * frame is never split; the last one may pass `bytes`). A parser that had yielded goes on at
     * once, delivering to the sink before this returns.
     */
    refill(frames: number, bytes: number): void;
    /** Feed bytes as read from the socket. Takes ownership of `chunk`: payloads are unmasked in place. */
    push(chunk: Buffer): void;
    /**
     * Why the state can't be captured as plain data now, or null. Inside a data message the
     * parser holds fragments, a UTF-8 decoder's carry, a partly unmasked payload or an inflate
     * in flight: a snapshot waits for the message boundary. Between messages (even mid-way
     * through a control frame's header or payload) all it holds is a few numbers and raw bytes.
     */
    snapshotRefusal(): string | null;
    /** The state as plain data; call only when snapshotRefusal() is null. */
    snapshot(): ParserSnapshot;
    /**
     * Takes over a snapshot (on a fresh parser). Pending bytes are not parsed here: the parser
     * reports `yielded`, and the next refill() (the shell's next turn) goes on from there.
     */
    restore(snap: ParserSnapshot): void;
    /**
     * Parse no further than the end of the message under way (none: stop now): what follows is
     * kept as raw bytes, for the snapshot. A connection about to move to another worker reaches
     * a point where it can be captured this way in bounded time, however busy its peer is.
     */
    holdAtBoundary(): void;
    /** The move is off (the connection closes here instead): parse on. */
    releaseHold(): void;
    /** Stop for good (the connection is closing): no further sink calls, not even from a pending inflate. */
    stop(): void;
    /** Parse until we need more bytes, wait on the inflater, or finish. Re-entrant calls (a sink that pushes) only queue. */
    private run;
    private step;
    private readInfo;
    private readLength16;
    private readLength64;
    private haveLength;
    private readMask;
    private readPayload;
    /** Uncompressed text (a compressed message is checked once inflated). */
    private checksAsItArrives;
    private startChecking;
    /**
     * A text frame that spans reads. Invalid UTF-8 fails with 1007 as soon as it arrives, not
     * when the frame is complete (§8.1; Autobahn 6.4.3, 6.4.4): each read's bytes of the payload
     * are unmasked where they lie, once, and fed to the incremental validator. A frame that
     * arrives whole never comes here.
     */
    private readCheckedPayload;
    /** Check the bytes that came since the last call; all queued bytes are this frame's payload. */
    private checkArrived;
    /** An uncompressed fragment: validate what can be validated now (unless `validated`), keep it until FIN. */
    private fragment;
    private inflate;
    private inflated;
    private controlFrame;
    /** §5.5.1: an optional 2-byte code, then an optional UTF-8 reason; §7.4: the code must be one allowed on the wire. */
    private closeFrame;
    private deliver;
    /** One concat per fragmented message; a lone non-empty fragment is passed through. */
    private assemble;
    private invalidUtf8;
    private fail;
    /** Final state: drop everything held so nothing more can be delivered. */
    private finish;
    /** The frame's key in the shared scratch array (parsers run one at a time, never re-entered here). */
    private loadMask;
    private validator;
    /** One header byte; the caller has checked `queued`. */
    private byte;
    private word;
    /** The next `n` bytes: a view of the chunk when they lie in one, else a copy. */
    private take;
    /**
     * Done with buffers[head]. An index rather than shift(): a frame that arrives in many
     * tiny chunks would otherwise cost O(chunks^2). The slot is cleared at once so the chunk
     * can be collected, and the array compacted once the dead half dominates.
     */
    private advance;
}
/** Re-exported: tests and benchmarks reach the unmasking through the parser's module. */
export { unmask };
//# sourceMappingURL=frame-parser.d.ts.map