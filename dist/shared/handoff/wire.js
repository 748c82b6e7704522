import { crc32 } from 'node:zlib';
import { decodeFd } from '../session-id.js';
const MAGIC = 0xa5;
const VERSION = 2;
/** magic, version, fd, port, n. */
const HEAD_BYTES = 13;
const CHECK_BYTES = 4;
/** The longest address getpeername() gives: 45 characters of IPv6 with an IPv4 tail, plus a `%zone` of up to 15. */
const MAX_ADDRESS = 64;
/** What getpeername() writes: IPv4, IPv6 (hex, colons, dots), optionally a `%` and a zone (interface name or index). */
const ADDRESS = /^(?:[0-9A-Fa-f:.]+(?:%[\w.-]+)?)?$/;
/**
 * Client bytes a record carries at most. A Unix stream socket keeps a write of up to about
 * 36 KiB in one buffer (so the descriptor and the whole record arrive in one read); the master
 * closes a connection that sent more than this before its request was answered.
 */
export const MAX_PREFIX = 32 * 1024;
/** The environment variable naming the worker's inherited hand-off descriptor. */
export const ENV_HANDOFF_FD = 'SWITCHYARD_HANDOFF_FD';
const carried = (address) => (address.length <= MAX_ADDRESS && ADDRESS.test(address) ? address : '');
export function encodeHandoff(fd, address, port, extras = {}) {
    // An address we could not carry exactly is left for the worker to ask the kernel for.
    const addr = carried(address);
    const proxy = extras.proxy ? carried(extras.proxy.address) : '';
    const prefix = extras.prefix ?? EMPTY;
    if (prefix.length > MAX_PREFIX)
        throw new RangeError(`hand-off prefix of ${prefix.length} bytes (at most ${MAX_PREFIX})`);
    const a = HEAD_BYTES + addr.length;
    const b = a + 3 + proxy.length;
    const end = b + 2 + prefix.length;
    const record = Buffer.allocUnsafe(end + CHECK_BYTES);
    record[0] = MAGIC;
    record[1] = VERSION;
    record.writeDoubleLE(fd, 2);
    record.writeUInt16LE(port & 0xffff, 10);
    record[12] = addr.length;
    record.write(addr, HEAD_BYTES, 'latin1');
    record.writeUInt16LE((extras.proxy?.port ?? 0) & 0xffff, a);
    record[a + 2] = proxy.length;
    record.write(proxy, a + 3, 'latin1');
    record.writeUInt16LE(prefix.length, b);
    prefix.copy(record, b + 2);
    record.writeUInt32LE(crc32(record.subarray(0, end)), end);
    return record;
}
const EMPTY = Buffer.alloc(0);
/**
 * Decodes one read of a worker's hand-off pipe. `self` is the worker the pipe leads to: a
 * record naming another worker's or node's session id is rejected like garbage.
 */
export function decodeHandoffRead(chunk, self) {
    const records = [];
    const rejected = [];
    let at = 0;
    while (at < chunk.length) {
        const got = decodeRecord(chunk, at, self);
        if (typeof got !== 'string') {
            records.push(got.record);
            at = got.end;
            continue;
        }
        // Resynchronise: the next record can only start at a magic byte.
        const next = chunk.indexOf(MAGIC, at + 1);
        const stop = next === -1 ? chunk.length : next;
        const last = rejected[rejected.length - 1];
        if (last && last.at + last.bytes === at)
            last.bytes += stop - at;
        else
            rejected.push({ at, bytes: stop - at, why: got });
        at = stop;
    }
    if (records.length === 1 && rejected.length === 0)
        return { handed: records[0], orphans: [], rejected };
    return { handed: null, orphans: records, rejected };
}
/** The record starting at `at`, or why there is none. */
function decodeRecord(chunk, at, self) {
    if (chunk[at] !== MAGIC)
        return 'magic';
    if (chunk.length - at < HEAD_BYTES + CHECK_BYTES)
        return 'torn';
    if (chunk[at + 1] !== VERSION)
        return 'version';
    const n = chunk[at + 12];
    if (n > MAX_ADDRESS)
        return 'length';
    const a = at + HEAD_BYTES + n;
    if (a + 3 > chunk.length)
        return 'torn';
    const p = chunk[a + 2];
    if (p > MAX_ADDRESS)
        return 'length';
    const b = a + 3 + p;
    if (b + 2 > chunk.length)
        return 'torn';
    const m = chunk.readUInt16LE(b);
    if (m > MAX_PREFIX)
        return 'length';
    const end = b + 2 + m;
    if (end + CHECK_BYTES > chunk.length)
        return 'torn';
    if (crc32(chunk.subarray(at, end)) !== chunk.readUInt32LE(end))
        return 'checksum';
    const fd = chunk.readDoubleLE(at + 2);
    const parts = decodeFd(fd);
    if (!parts || parts.slot !== self.slot || parts.node !== self.node)
        return 'fd';
    const address = chunk.toString('latin1', at + HEAD_BYTES, a);
    const proxyAddress = chunk.toString('latin1', a + 3, b);
    if (!ADDRESS.test(address) || !ADDRESS.test(proxyAddress))
        return 'address';
    const record = { fd, port: chunk.readUInt16LE(at + 10), address };
    if (p > 0)
        record.proxy = { address: proxyAddress, port: chunk.readUInt16LE(a) };
    // A copy: the read's buffer is libuv's, reused.
    if (m > 0)
        record.prefix = Buffer.from(chunk.subarray(b + 2, end));
    return { record, end: end + CHECK_BYTES };
}
//# sourceMappingURL=wire.js.map