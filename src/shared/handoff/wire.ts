import { crc32 } from 'node:zlib';
import { decodeFd } from '../session-id.ts';

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
  proxy?: { address: string; port: number };
  /** Bytes the master read after the PROXY header: the client's first bytes (absent: none). */
  prefix?: Buffer;
}

/** What travels with a connection besides its session id and address. */
export interface HandoffExtras {
  proxy?: { address: string; port: number } | undefined;
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

const carried = (address: string): string => (address.length <= MAX_ADDRESS && ADDRESS.test(address) ? address : '');

export function encodeHandoff(fd: number, address: string, port: number, extras: HandoffExtras = {}): Buffer {
  // An address we could not carry exactly is left for the worker to ask the kernel for.
  const addr = carried(address);
  const proxy = extras.proxy ? carried(extras.proxy.address) : '';
  const prefix = extras.prefix ?? EMPTY;
  if (prefix.length > MAX_PREFIX) throw new RangeError(`hand-off prefix of ${prefix.length} bytes (at most ${MAX_PREFIX})`);
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
export function decodeHandoffRead(chunk: Buffer, self: { slot: number; node: number }): HandoffRead {
  const records: Handoff[] = [];
  const rejected: Rejected[] = [];
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
    if (last && last.at + last.bytes === at) last.bytes += stop - at;
    else rejected.push({ at, bytes: stop - at, why: got });
    at = stop;
  }
  if (records.length === 1 && rejected.length === 0) return { handed: records[0]!, orphans: [], rejected };
  return { handed: null, orphans: records, rejected };
}

/** The record starting at `at`, or why there is none. */
function decodeRecord(chunk: Buffer, at: number, self: { slot: number; node: number }): { record: Handoff; end: number } | RejectReason {
  if (chunk[at] !== MAGIC) return 'magic';
  if (chunk.length - at < HEAD_BYTES + CHECK_BYTES) return 'torn';
  if (chunk[at + 1] !== VERSION) return 'version';
  const n = chunk[at + 12]!;
  if (n > MAX_ADDRESS) return 'length';
  const a = at + HEAD_BYTES + n;
  if (a + 3 > chunk.length) return 'torn';
  const p = chunk[a + 2]!;
  if (p > MAX_ADDRESS) return 'length';
  const b = a + 3 + p;
  if (b + 2 > chunk.length) return 'torn';
  const m = chunk.readUInt16LE(b);
  if (m > MAX_PREFIX) return 'length';
  const end = b + 2 + m;
  if (end + CHECK_BYTES > chunk.length) return 'torn';
  if (crc32(chunk.subarray(at, end)) !== chunk.readUInt32LE(end)) return 'checksum';
  const fd = chunk.readDoubleLE(at + 2);
  const parts = decodeFd(fd);
  if (!parts || parts.slot !== self.slot || parts.node !== self.node) return 'fd';
  const address = chunk.toString('latin1', at + HEAD_BYTES, a);
  const proxyAddress = chunk.toString('latin1', a + 3, b);
  if (!ADDRESS.test(address) || !ADDRESS.test(proxyAddress)) return 'address';
  const record: Handoff = { fd, port: chunk.readUInt16LE(at + 10), address };
  if (p > 0) record.proxy = { address: proxyAddress, port: chunk.readUInt16LE(a) };
  // A copy: the read's buffer is libuv's, reused.
  if (m > 0) record.prefix = Buffer.from(chunk.subarray(b + 2, end));
  return { record, end: end + CHECK_BYTES };
}
