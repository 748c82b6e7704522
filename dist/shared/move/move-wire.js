import { deserialize, serialize } from 'node:v8';
import { ReloadError } from '../errors.js';
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
export const HAS_HANDLE = 1;
const HEAD = 5;
export function encodeMoveRecord(record, withHandle) {
    const body = serialize(record);
    const out = Buffer.allocUnsafe(HEAD + body.length);
    out.writeUInt32BE(body.length + 1, 0);
    out[4] = withHandle ? HAS_HANDLE : 0;
    body.copy(out, HEAD);
    return out;
}
/** Reassembles records from reads; descriptors that came with reads are matched in order. */
export class MoveRecordDecoder {
    chunks = [];
    buffered = 0;
    handles = [];
    /** One read (and the descriptor that came with it, if any): every record it completes. */
    push(chunk, handle) {
        if (handle !== undefined)
            this.handles.push(handle);
        if (chunk.length > 0) {
            this.chunks.push(chunk);
            this.buffered += chunk.length;
        }
        const out = [];
        for (;;) {
            if (this.buffered < HEAD)
                break;
            const head = this.peek(HEAD);
            const length = head.readUInt32BE(0);
            if (this.buffered < 4 + length)
                break;
            const bytes = this.take(4 + length);
            const withHandle = (bytes[4] & HAS_HANDLE) !== 0;
            let record;
            try {
                record = deserialize(bytes.subarray(HEAD));
            }
            catch (err) {
                throw new ReloadError('ERR_MOVE_RECORD', `move record of ${length} bytes does not decode: ${err.message}`);
            }
            out.push({ record, handle: withHandle ? this.handles.shift() : undefined });
        }
        return out;
    }
    /** Descriptors that arrived and no record took (the stream ended early): the caller closes them. */
    leftoverHandles() {
        return this.handles.splice(0);
    }
    peek(n) {
        if (this.chunks[0].length >= n)
            return this.chunks[0];
        this.chunks = [Buffer.concat(this.chunks, this.buffered)];
        return this.chunks[0];
    }
    take(n) {
        const first = this.peek(n);
        const bytes = first.subarray(0, n);
        if (first.length === n)
            this.chunks.shift();
        else
            this.chunks[0] = first.subarray(n);
        this.buffered -= n;
        return bytes;
    }
}
//# sourceMappingURL=move-wire.js.map