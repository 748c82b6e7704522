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
const HEADER_BYTES = 11;
/** The longest textual IPv6 address (with an IPv4 tail) is 45 characters. */
const MAX_ADDRESS = 64;
/** The environment variable naming the worker's inherited hand-off descriptor. */
export const ENV_HANDOFF_FD = 'SWITCHYARD_HANDOFF_FD';
export function encodeHandoff(fd, address, port) {
    const length = Math.min(address.length, MAX_ADDRESS);
    const record = Buffer.allocUnsafe(HEADER_BYTES + length);
    record.writeDoubleLE(fd, 0);
    record.writeUInt16LE(port & 0xffff, 8);
    record[10] = length;
    record.write(address, HEADER_BYTES, length, 'latin1');
    return record;
}
/**
 * The records in a chunk, in order. An incomplete record at the end is returned as `rest`
 * (to be prefixed to the next chunk); a descriptor always comes with the read that ends its
 * record, so the caller gives the chunk's handle to the last record.
 */
export function decodeHandoffs(chunk) {
    const records = [];
    let at = 0;
    while (chunk.length - at >= HEADER_BYTES) {
        const end = at + HEADER_BYTES + chunk[at + 10];
        if (end > chunk.length)
            break;
        records.push({ fd: chunk.readDoubleLE(at), port: chunk.readUInt16LE(at + 8), address: chunk.toString('latin1', at + HEADER_BYTES, end) });
        at = end;
    }
    return { records, rest: at === chunk.length ? null : Buffer.from(chunk.subarray(at)) };
}
//# sourceMappingURL=handoff-wire.js.map