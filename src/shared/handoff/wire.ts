import { crc32 } from 'node:zlib';
import { decodeFd } from '../session-id.ts';

/**
 * The master → worker hand-off record, sent with the socket's descriptor attached (one
 * sendmsg per connection, see handoff/sender.ts):
 *
 *    0       1       2               10      12      13            13+n          17+n
 *   +-------+-------+---------------+-------+-------+-------------+-------------+
 *   | magic | vers. | fd            | port  | n     | address     | check       |
 *   | 0xA5  | 1     | float64 LE    | u16LE | u8    | n latin1    | CRC-32 LE   |
 *   +-------+-------+---------------+-------+-------+-------------+-------------+
 *
 * fd is the connection's session id; port and address are what the master's getpeername()
 * gave for dispatch (the worker need not ask the kernel again; n = 0: unknown, it will). The
 * check covers bytes 0 .. 13+n.
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
const VERSION = 1;
/** magic, version, fd, port, n. */
const HEAD_BYTES = 13;
const CHECK_BYTES = 4;
/** The longest address getpeername() gives: 45 characters of IPv6 with an IPv4 tail, plus a `%zone` of up to 15. */
const MAX_ADDRESS = 64;
/** What getpeername() writes: IPv4, IPv6 (hex, colons, dots), optionally a `%` and a zone (interface name or index). */
const ADDRESS = /^(?:[0-9A-Fa-f:.]+(?:%[\w.-]+)?)?$/;

/** The environment variable naming the worker's inherited hand-off descriptor. */
export const ENV_HANDOFF_FD = 'SWITCHYARD_HANDOFF_FD';

export function encodeHandoff(fd: number, address: string, port: number): Buffer {
  // An address we could not carry exactly is left for the worker to ask the kernel for.
  const addr = address.length <= MAX_ADDRESS && ADDRESS.test(address) ? address : '';
  const end = HEAD_BYTES + addr.length;
  const record = Buffer.allocUnsafe(end + CHECK_BYTES);
  record[0] = MAGIC;
  record[1] = VERSION;
  record.writeDoubleLE(fd, 2);
  record.writeUInt16LE(port & 0xffff, 10);
  record[12] = addr.length;
  record.write(addr, HEAD_BYTES, 'latin1');
  record.writeUInt32LE(crc32(record.subarray(0, end)), end);
  return record;
}

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
  const end = at + HEAD_BYTES + n;
  if (end + CHECK_BYTES > chunk.length) return 'torn';
  if (crc32(chunk.subarray(at, end)) !== chunk.readUInt32LE(end)) return 'checksum';
  const fd = chunk.readDoubleLE(at + 2);
  const parts = decodeFd(fd);
  if (!parts || parts.slot !== self.slot || parts.node !== self.node) return 'fd';
  const address = chunk.toString('latin1', at + HEAD_BYTES, end);
  if (!ADDRESS.test(address)) return 'address';
  return { record: { fd, port: chunk.readUInt16LE(at + 10), address }, end: end + CHECK_BYTES };
}
