import { isUtf8 } from 'node:buffer';
import { ProtocolError } from '../errors.js';
import { CloseCode, Opcode, isWireCloseCode } from './constants.js';
import { Utf8Validator } from './utf8.js';
import { rotate, unmask } from './mask.js';
const State = { Info: 0, Length16: 1, Length64: 2, Mask: 3, Payload: 4, CheckedPayload: 5, Inflating: 6, Finished: 7 };
const EMPTY = Buffer.alloc(0);
/** Scratch for the current frame's masking key (see FrameParser.loadMask). */
const MASK = new Uint8Array(4);
/** 2^53 - 1 split at bit 32: a 64-bit length whose high word exceeds this is not a safe integer. */
const MAX_HIGH_WORD = 0x1fffff;
export class FrameParser {
    // Every field is plain data so that, at a message boundary, the state can be serialised.
    state = State.Info;
    running = false;
    /** Received chunks; unread bytes start at buffers[head][offset]. */
    buffers = [];
    head = 0;
    offset = 0;
    queued = 0;
    /** Compressed bytes handed to the inflate in flight (the inflater holds them). */
    inflight = 0;
    /** Work left before the parser yields (see refill()). */
    framesLeft;
    bytesLeft;
    stoppedByBudget = false;
    /** A move is coming (holdAtBoundary): no new message is started, the bytes wait as they are. */
    holding = false;
    // The frame being read.
    fin = false;
    opcode = 0;
    payloadLength = 0;
    /**
     * The masking key as two 16-bit halves (small integers, stored in the object: a
     * Uint8Array per connection would cost ~180 bytes of an idle connection's heap), rotated by
     * what `checked` unmasked: byte i of the key is for payload byte checked + i.
     */
    maskHi = 0;
    maskLo = 0;
    /** CheckedPayload: payload bytes already unmasked in place and UTF-8-checked. */
    checked = 0;
    /** CheckedPayload: index in `buffers` of the first chunk not yet checked, once checked > 0. */
    checkedChunks = 0;
    // The data message being assembled (messageOpcode 0: none open).
    messageOpcode = 0;
    compressed = false;
    /** Wire payload bytes of the message so far, bounded as soon as each header is read. */
    rawLength = 0;
    fragments = [];
    fragmentBytes = 0;
    /** Made on the first text message: idle connections don't carry one. */
    utf8 = null;
    sink;
    maxMessageSize;
    inflater;
    constructor(sink, options) {
        if (!(options.maxMessageSize >= 0)) {
            throw new RangeError(`maxMessageSize must be a non-negative number, got ${options.maxMessageSize}`);
        }
        this.sink = sink;
        this.maxMessageSize = options.maxMessageSize;
        this.inflater = options.inflater ?? null;
        // Without a budget, Infinity: never spent. (The server always passes integers, which V8
        // keeps unboxed in every parser's fields.)
        this.framesLeft = options.budgetFrames ?? Infinity;
        this.bytesLeft = options.budgetBytes ?? Infinity;
    }
    get finished() {
        return this.state === State.Finished;
    }
    get bufferedBytes() {
        return this.queued + this.fragmentBytes;
    }
    /**
     * Raw bytes held for the peer: received and not parsed yet, plus the compressed frame an
     * inflate is working on. It grows only while the parser waits on an inflate or has yielded;
     * the shell stops reading above its bound (flow-control.ts inboundBacklogLimit).
     */
    get backlog() {
        return this.queued + this.inflight;
    }
    /** The budget is spent and bytes are waiting: nothing more is parsed until refill(). */
    get yielded() {
        return this.stoppedByBudget;
    }
    /**
     * A new budget: `frames` frames and `bytes` payload bytes (checked at frame boundaries, so a
     * frame is never split; the last one may pass `bytes`). A parser that had yielded goes on at
     * once, delivering to the sink before this returns.
     */
    refill(frames, bytes) {
        this.framesLeft = frames;
        this.bytesLeft = bytes;
        if (!this.stoppedByBudget)
            return;
        this.stoppedByBudget = false;
        this.run();
    }
    /** Feed bytes as read from the socket. Takes ownership of `chunk`: payloads are unmasked in place. */
    push(chunk) {
        if (this.state === State.Finished || chunk.length === 0)
            return;
        this.buffers.push(chunk);
        this.queued += chunk.length;
        this.run();
    }
    /**
     * Why the state can't be captured as plain data now, or null. Inside a data message the
     * parser holds fragments, a UTF-8 decoder's carry, a partly unmasked payload or an inflate
     * in flight: a snapshot waits for the message boundary. Between messages (even mid-way
     * through a control frame's header or payload) all it holds is a few numbers and raw bytes.
     */
    snapshotRefusal() {
        if (this.state === State.Inflating)
            return 'an inflate is in flight';
        if (this.messageOpcode !== 0 && this.compressed)
            return 'inside a compressed message';
        return null;
    }
    /** The state as plain data; call only when snapshotRefusal() is null. */
    snapshot() {
        const pending = this.queued === 0 ? '' : Buffer.concat(this.buffers.slice(this.head), this.offset + this.queued).subarray(this.offset).toString('base64');
        const snap = { state: this.state, fin: this.fin, opcode: this.opcode, payloadLength: this.payloadLength, maskHi: this.maskHi, maskLo: this.maskLo, pending };
        if (this.state === State.CheckedPayload)
            snap.checked = this.checked;
        if (this.messageOpcode !== 0) {
            snap.message = {
                opcode: this.messageOpcode,
                rawLength: this.rawLength,
                fragments: this.fragmentBytes === 0 ? '' : Buffer.concat(this.fragments, this.fragmentBytes).toString('base64'),
                utf8: this.utf8 === null ? null : this.utf8.state(),
            };
        }
        return snap;
    }
    /**
     * Takes over a snapshot (on a fresh parser). Pending bytes are not parsed here: the parser
     * reports `yielded`, and the next refill() (the shell's next turn) goes on from there.
     */
    restore(snap) {
        if (snap.state > State.CheckedPayload && snap.state !== State.Finished)
            throw new RangeError(`parser state ${snap.state} cannot be restored`);
        this.state = snap.state;
        this.fin = snap.fin;
        this.opcode = snap.opcode;
        this.payloadLength = snap.payloadLength;
        this.maskHi = snap.maskHi;
        this.maskLo = snap.maskLo;
        if (snap.pending.length > 0 && this.state !== State.Finished) {
            const bytes = Buffer.from(snap.pending, 'base64');
            this.buffers = [bytes];
            this.queued = bytes.length;
            this.stoppedByBudget = true;
        }
        if (this.state === State.CheckedPayload) {
            // Every byte that had arrived was checked (checkArrived runs to the end of each read): the next chunk pushed is the first unchecked one.
            this.checked = snap.checked ?? 0;
            this.checkedChunks = this.buffers.length;
        }
        const m = snap.message;
        if (m !== undefined) {
            this.messageOpcode = m.opcode;
            this.compressed = false;
            this.rawLength = m.rawLength;
            const fragments = m.fragments === '' ? EMPTY : Buffer.from(m.fragments, 'base64');
            this.fragments = fragments.length === 0 ? [] : [fragments];
            this.fragmentBytes = fragments.length;
            if (m.utf8 !== null)
                this.validator().setState(m.utf8);
        }
    }
    /**
     * Parse no further than the end of the message under way (none: stop now): what follows is
     * kept as raw bytes, for the snapshot. A connection about to move to another worker reaches
     * a point where it can be captured this way in bounded time, however busy its peer is.
     */
    holdAtBoundary() {
        this.holding = true;
    }
    /** The move is off (the connection closes here instead): parse on. */
    releaseHold() {
        if (!this.holding)
            return;
        this.holding = false;
        if (this.state !== State.Inflating)
            this.run();
    }
    /** Stop for good (the connection is closing): no further sink calls, not even from a pending inflate. */
    stop() {
        this.finish();
    }
    /** Parse until we need more bytes, wait on the inflater, or finish. Re-entrant calls (a sink that pushes) only queue. */
    run() {
        if (this.running)
            return;
        this.running = true;
        try {
            while (this.step())
                ;
        }
        finally {
            this.running = false;
        }
    }
    step() {
        switch (this.state) {
            case State.Info:
                return this.readInfo();
            case State.Length16:
                return this.readLength16();
            case State.Length64:
                return this.readLength64();
            case State.Mask:
                return this.readMask();
            case State.Payload:
                return this.readPayload();
            case State.CheckedPayload:
                return this.readCheckedPayload();
            default:
                return false; // Inflating resumes from its callback; Finished never does.
        }
    }
    readInfo() {
        if (this.holding && this.messageOpcode === 0)
            return false;
        if (this.queued < 2)
            return false;
        if (this.framesLeft <= 0 || this.bytesLeft <= 0) {
            this.stoppedByBudget = true;
            return false;
        }
        this.framesLeft--;
        const b0 = this.byte();
        const b1 = this.byte();
        const rsv1 = (b0 & 0x40) !== 0;
        const length7 = b1 & 0x7f;
        this.fin = (b0 & 0x80) !== 0;
        this.opcode = b0 & 0x0f;
        // §5.2: RSV bits MUST be 0 unless an extension defines them; RFC 7692 §6 defines RSV1.
        if ((b0 & 0x30) !== 0)
            return this.fail('ERR_RESERVED_BITS', 'RSV2 and RSV3 must be clear');
        if (this.opcode === Opcode.Continuation) {
            if (this.messageOpcode === 0)
                return this.fail('ERR_UNEXPECTED_CONTINUATION', 'continuation frame with no message open');
            // RFC 7692 §6.1: RSV1 marks the first frame of a compressed message only.
            if (rsv1)
                return this.fail('ERR_UNEXPECTED_RSV1', 'RSV1 set on a continuation frame');
        }
        else if (this.opcode === Opcode.Text || this.opcode === Opcode.Binary) {
            // §5.4: fragments of one message are not interleaved with another message's.
            if (this.messageOpcode !== 0)
                return this.fail('ERR_EXPECTED_CONTINUATION', 'new data frame while a fragmented message is open');
            if (rsv1 && this.inflater === null)
                return this.fail('ERR_RESERVED_BITS', 'RSV1 set without a negotiated extension');
            this.messageOpcode = this.opcode;
            this.compressed = rsv1;
            this.rawLength = 0;
        }
        else if (this.opcode >= Opcode.Close && this.opcode <= Opcode.Pong) {
            // §5.5: control frames are not fragmented and carry at most 125 bytes; RFC 7692 §6.1: never compressed.
            if (!this.fin)
                return this.fail('ERR_FRAGMENTED_CONTROL', 'control frame with FIN clear');
            if (rsv1)
                return this.fail('ERR_UNEXPECTED_RSV1', 'RSV1 set on a control frame');
            if (length7 > 125)
                return this.fail('ERR_CONTROL_TOO_LONG', 'control frame payload over 125 bytes');
        }
        else {
            return this.fail('ERR_RESERVED_OPCODE', `reserved opcode 0x${this.opcode.toString(16)}`);
        }
        // §5.1: a server MUST close the connection on a frame that is not masked.
        if ((b1 & 0x80) === 0)
            return this.fail('ERR_UNMASKED_FRAME', 'client frame is not masked');
        if (length7 === 126)
            this.state = State.Length16;
        else if (length7 === 127)
            this.state = State.Length64;
        else
            return this.haveLength(length7);
        return true;
    }
    readLength16() {
        if (this.queued < 2)
            return false;
        // Non-minimal encodings (a short length in 16 or 64 bits) are accepted, as ws does.
        return this.haveLength((this.byte() << 8) | this.byte());
    }
    readLength64() {
        if (this.queued < 8)
            return false;
        const high = this.word();
        const low = this.word();
        // §5.2 requires the top bit clear; we can only count to 2^53 - 1 anyway.
        if (high > MAX_HIGH_WORD) {
            return this.fail('ERR_FRAME_TOO_BIG', 'frame payload length over 2^53 - 1');
        }
        return this.haveLength(high * 0x1_0000_0000 + low);
    }
    haveLength(length) {
        this.payloadLength = length;
        this.bytesLeft -= length;
        if (this.opcode < Opcode.Close) {
            // Refuse now rather than buffer up to the limit (§10.4). For a compressed message this
            // bounds the compressed bytes; the inflater bounds the inflated ones.
            this.rawLength += length;
            if (this.rawLength > this.maxMessageSize) {
                return this.fail('ERR_MESSAGE_TOO_BIG', `message over ${this.maxMessageSize} bytes`);
            }
        }
        this.state = State.Mask;
        return true;
    }
    readMask() {
        if (this.queued < 4)
            return false;
        this.maskHi = (this.byte() << 8) | this.byte();
        this.maskLo = (this.byte() << 8) | this.byte();
        this.state = State.Payload;
        return true;
    }
    readPayload() {
        const length = this.payloadLength;
        // Wait for the whole payload; but a text frame that spans reads is checked as it arrives.
        if (this.queued < length)
            return this.queued > 0 && this.checksAsItArrives() && this.startChecking();
        const data = length === 0 ? EMPTY : this.take(length);
        unmask(data, this.loadMask());
        if (this.opcode >= Opcode.Close)
            return this.controlFrame(data);
        if (this.compressed)
            return this.inflate(data);
        if (this.fin && this.fragments.length === 0) {
            // Hot path: a whole message in one frame, handed over as a view of the chunk (§8.1).
            const text = this.messageOpcode === Opcode.Text;
            if (text && !isUtf8(data))
                return this.invalidUtf8();
            return this.deliver(data, !text);
        }
        return this.fragment(data);
    }
    /** Uncompressed text (a compressed message is checked once inflated). */
    checksAsItArrives() {
        return this.messageOpcode === Opcode.Text && !this.compressed && this.opcode < Opcode.Close;
    }
    startChecking() {
        this.state = State.CheckedPayload;
        this.checked = 0;
        return this.readCheckedPayload();
    }
    /**
     * A text frame that spans reads. Invalid UTF-8 fails with 1007 as soon as it arrives, not
     * when the frame is complete (§8.1; Autobahn 6.4.3, 6.4.4): each read's bytes of the payload
     * are unmasked where they lie, once, and fed to the incremental validator. A frame that
     * arrives whole never comes here.
     */
    readCheckedPayload() {
        if (this.queued < this.payloadLength)
            return this.checkArrived();
        const data = this.take(this.payloadLength);
        const rest = data.subarray(this.checked);
        unmask(rest, this.loadMask());
        if (!this.validator().push(rest))
            return this.invalidUtf8();
        return this.fragment(data, true);
    }
    /** Check the bytes that came since the last call; all queued bytes are this frame's payload. */
    checkArrived() {
        if (this.queued === this.checked)
            return false;
        const buffers = this.buffers;
        const mask = this.loadMask();
        const utf8 = this.validator();
        let i = this.checked === 0 ? this.head : this.checkedChunks;
        let chunk = this.checked === 0 ? buffers[i].subarray(this.offset) : buffers[i];
        for (;;) {
            unmask(chunk, mask);
            rotate(mask, chunk.length);
            this.checked += chunk.length;
            if (!utf8.push(chunk))
                return this.invalidUtf8();
            if (++i === buffers.length)
                break;
            chunk = buffers[i];
        }
        this.maskHi = (mask[0] << 8) | mask[1];
        this.maskLo = (mask[2] << 8) | mask[3];
        this.checkedChunks = i;
        return false;
    }
    /** An uncompressed fragment: validate what can be validated now (unless `validated`), keep it until FIN. */
    fragment(data, validated = false) {
        if (this.messageOpcode === Opcode.Text && !validated && !this.validator().push(data))
            return this.invalidUtf8();
        if (data.length > 0) {
            this.fragments.push(data);
            this.fragmentBytes += data.length;
        }
        if (!this.fin) {
            this.state = State.Info;
            return true;
        }
        if (this.messageOpcode === Opcode.Text && !this.validator().end())
            return this.invalidUtf8();
        return this.deliver(this.assemble(), this.messageOpcode === Opcode.Binary);
    }
    inflate(data) {
        this.state = State.Inflating;
        this.inflight = data.length;
        let called = false;
        this.inflater.decompress(data, this.fin, this.maxMessageSize - this.fragmentBytes, (err, inflated) => {
            // stop() may have come first; a second call would be an inflater bug: ignore both.
            if (called || this.state !== State.Inflating)
                return;
            called = true;
            this.inflight = 0;
            // Called back synchronously: run()'s loop is still on the stack and carries on.
            if (this.running) {
                this.inflated(err, inflated ?? EMPTY);
                return;
            }
            this.running = true;
            try {
                if (this.inflated(err, inflated ?? EMPTY))
                    while (this.step())
                        ;
            }
            finally {
                this.running = false;
            }
            this.sink.onSettled?.();
        });
        // After a synchronous callback step() goes on from the new state; otherwise it sees Inflating and waits.
        return true;
    }
    inflated(err, data) {
        if (err !== null) {
            this.finish();
            this.sink.onError(err);
            return false;
        }
        if (this.fragmentBytes + data.length > this.maxMessageSize) {
            // The inflater should have stopped at the limit we gave it; enforce it regardless.
            return this.fail('ERR_MESSAGE_TOO_BIG', `inflated message over ${this.maxMessageSize} bytes`);
        }
        return this.fragment(data);
    }
    controlFrame(data) {
        if (this.opcode === Opcode.Close)
            return this.closeFrame(data);
        // Delivered at once, even between the fragments of a message (§5.4).
        this.state = State.Info;
        if (this.opcode === Opcode.Ping)
            this.sink.onPing(data);
        else
            this.sink.onPong(data);
        return true;
    }
    /** §5.5.1: an optional 2-byte code, then an optional UTF-8 reason; §7.4: the code must be one allowed on the wire. */
    closeFrame(data) {
        if (data.length === 1)
            return this.fail('ERR_INVALID_CLOSE_PAYLOAD', 'close frame payload of 1 byte');
        let code = CloseCode.NoStatus;
        let reason = '';
        if (data.length >= 2) {
            code = (data[0] << 8) | data[1];
            if (!isWireCloseCode(code))
                return this.fail('ERR_INVALID_CLOSE_CODE', `invalid close code ${code}`);
            const bytes = data.subarray(2);
            if (!isUtf8(bytes))
                return this.fail('ERR_INVALID_CLOSE_REASON', 'close reason is not valid UTF-8');
            reason = bytes.toString('utf8');
        }
        this.finish();
        this.sink.onClose(code, reason);
        return false;
    }
    deliver(data, binary) {
        this.messageOpcode = 0;
        this.compressed = false;
        this.rawLength = 0;
        this.state = State.Info;
        this.sink.onMessage(data, binary);
        return true;
    }
    /** One concat per fragmented message; a lone non-empty fragment is passed through. */
    assemble() {
        const fragments = this.fragments;
        const data = fragments.length === 1 ? fragments[0] : Buffer.concat(fragments, this.fragmentBytes);
        fragments.length = 0;
        this.fragmentBytes = 0;
        return data;
    }
    invalidUtf8() {
        return this.fail('ERR_INVALID_UTF8', 'text message is not valid UTF-8');
    }
    fail(code, message) {
        this.finish();
        this.sink.onError(new ProtocolError(code, message));
        return false;
    }
    /** Final state: drop everything held so nothing more can be delivered. */
    finish() {
        this.state = State.Finished;
        this.buffers = [];
        this.head = 0;
        this.offset = 0;
        this.queued = 0;
        this.inflight = 0;
        this.stoppedByBudget = false;
        this.fragments = [];
        this.fragmentBytes = 0;
        this.utf8?.reset();
    }
    /** The frame's key in the shared scratch array (parsers run one at a time, never re-entered here). */
    loadMask() {
        const m = MASK;
        m[0] = this.maskHi >>> 8;
        m[1] = this.maskHi & 0xff;
        m[2] = this.maskLo >>> 8;
        m[3] = this.maskLo & 0xff;
        return m;
    }
    validator() {
        return (this.utf8 ??= new Utf8Validator());
    }
    /** One header byte; the caller has checked `queued`. */
    byte() {
        const buf = this.buffers[this.head];
        const value = buf[this.offset++];
        if (this.offset === buf.length)
            this.advance();
        this.queued--;
        return value;
    }
    word() {
        return ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >>> 0;
    }
    /** The next `n` bytes: a view of the chunk when they lie in one, else a copy. */
    take(n) {
        this.queued -= n;
        const first = this.buffers[this.head];
        const end = this.offset + n;
        if (end <= first.length) {
            const view = first.subarray(this.offset, end);
            if (end === first.length)
                this.advance();
            else
                this.offset = end;
            return view;
        }
        const out = Buffer.allocUnsafe(n);
        let filled = 0;
        while (filled < n) {
            const buf = this.buffers[this.head];
            const count = Math.min(buf.length - this.offset, n - filled);
            buf.copy(out, filled, this.offset, this.offset + count);
            filled += count;
            this.offset += count;
            if (this.offset === buf.length)
                this.advance();
        }
        return out;
    }
    /**
     * Done with buffers[head]. An index rather than shift(): a frame that arrives in many
     * tiny chunks would otherwise cost O(chunks^2). The slot is cleared at once so the chunk
     * can be collected, and the array compacted once the dead half dominates.
     */
    advance() {
        this.buffers[this.head++] = EMPTY;
        this.offset = 0;
        if (this.head === this.buffers.length) {
            this.buffers.length = 0;
            this.head = 0;
        }
        else if (this.head >= 64 && this.head * 2 >= this.buffers.length) {
            this.buffers.splice(0, this.head);
            this.head = 0;
        }
    }
}
/** Re-exported: tests and benchmarks reach the unmasking through the parser's module. */
export { unmask };
//# sourceMappingURL=frame-parser.js.map