/**
 * Every operation one worker can run on behalf of another, defined once: who runs it, its
 * local implementation, its wire form and its typed reply. ClusterCalls runs any entry here or
 * forwards it (one place decides, by the fd alone); the bus only carries the bytes.
 *
 * Adding a remote operation is one entry (test/server/cluster-ops.test.ts adds `echo` so):
 *
 *   kick: op({
 *     target: 'fd',                                   // runs where the fd lives
 *     args: packed(isInt, isStr),                     // wire form: msgpack [fd, reason], checked on arrival
 *     local: (w, fd: number, reason: string) => w.disconnect(fd, 4000, reason),
 *     forwarded: sentOk,                              // fire-and-forget: true when a bus took it
 *   }),
 *
 * then `calls.fire(OPS.kick, fd, 'bye', undefined)` from a Server method. An op that answers
 * gives `reply` (its wire form) and `failed` (what a caller gets when the owner could not be
 * asked or did not answer) and is called with `calls.ask(...)`.
 */
import { REMOTE_OUTCOME } from '../../shared/cluster-messages.ts';
import type { SendResult } from '../../shared/bus/types.ts';
import { checkCloseArguments } from '../../shared/protocol/frame-encoder.ts';
import { Opcode } from '../../shared/protocol/constants.ts';
import type { PushStatus } from '../connection/connection.ts';
import type { Described } from '../local-connections.ts';
import { defineOps, isAny, isBool, isInt, isIntList, isStr, MALFORMED, oneOf, op, optional, packed, packedReply, type ArgsWire, type Malformed } from './op-kit.ts';
import { toBuffer } from './payload.ts';
import type { Data, RemotePushStatus } from '../app-contract.ts';

/** Which connections a fan-out reaches: a room's members (or everyone), minus some fds. */
export interface FanOutScope {
  except: readonly number[];
  room: string | undefined;
}

/** From this many local recipients on, a fan-out writes its bus message before its own share
 * (writing 256 sockets takes a few milliseconds the other workers would otherwise wait). */
export const EARLY_BUS_FLUSH = 256;

const PUSH_STATUSES: readonly PushStatus[] = ['written', 'queued', 'dropped', 'closed', 'unknown'];
/** A remote push's outcome by what the bus did, and the sender's counter for it. */
const REMOTE_PUSH = { ok: 'forwarded', congested: 'congested', down: 'unreachable' } as const satisfies Record<SendResult, RemotePushStatus>;
const REMOTE_PUSH_COUNTER = { forwarded: 'pushesForwarded', congested: 'pushesCongested', unreachable: 'pushesUnreachable' } as const;
/** What the cluster knows of an fd nobody holds (or whose owner did not answer). */
const NOT_FOUND: Described = Object.freeze({ exist: false, established: false, info: null });

/** A page of getClientList as each worker is asked for it (room null: every connection). */
export interface PageQuery {
  after: number;
  limit: number;
  room: string | null;
}

const sentOk = (sent: SendResult): boolean => sent === 'ok';
const isPageQuery = (v: unknown): v is PageQuery => {
  const q = v as PageQuery;
  return typeof v === 'object' && v !== null && isInt(q.after) && isInt(q.limit) && q.limit > 0 && (q.room === null || isStr(q.room));
};
const isPushOpcode = (op: number): boolean => op === Opcode.Text || op === Opcode.Binary || op === Opcode.Ping || op === Opcode.Pong;
const isCloseArgs = (_fd: number, code: number, reason: string): boolean => {
  try {
    checkCloseArguments(code, reason);
    return true;
  } catch {
    return false;
  }
};
const isPingData = (v: unknown): v is Buffer => Buffer.isBuffer(v) && v.length <= 125;
const isDescribed = (v: unknown): v is Described => {
  const d = v as Described;
  return typeof v === 'object' && v !== null && isBool(d.exist) && isBool(d.established) && (d.info === null || (typeof d.info === 'object' && isInt(d.info.fd)));
};

export const OPS = defineOps({
  /** push / pushStatus (fire-and-forget) and pushAsync (waits for the owner's outcome). */
  push: op({
    target: 'fd',
    args: pushWire(),
    local(w, fd: number, data: Data, opcode: number): PushStatus {
      const status = w.push(fd, toBuffer(data), opcode);
      w.meters.localPushes[status]++;
      return status;
    },
    served(w, fd, data, opcode) {
      const status = w.push(fd, toBuffer(data), opcode);
      w.counters[REMOTE_OUTCOME[status]]++;
      return status;
    },
    forwarded(sent, w): RemotePushStatus {
      const status = REMOTE_PUSH[sent];
      w.counters[REMOTE_PUSH_COUNTER[status]]++;
      return status;
    },
    reply: oneOf(PUSH_STATUSES),
    failed: (why) => why,
    // An fd of a node that is not alive: nobody holds it (answered at once, not after busTimeoutMs).
    gone: (): PushStatus => 'unknown',
  }),
  disconnect: op({
    target: 'fd',
    // Checked again on arrival: the owner refuses what the caller's API would have refused.
    args: packed(isInt, isInt, isStr, isCloseArgs),
    local: (w, fd: number, code: number, reason: string) => w.disconnect(fd, code, reason),
    forwarded: sentOk,
  }),
  close: op({ target: 'fd', args: packed(isInt), local: (w, fd: number) => w.close(fd), forwarded: sentOk }),
  /** exist, isEstablished, getClientInfo. */
  describe: op({
    target: 'fd',
    args: packed(isInt),
    local: (w, fd: number): Described => w.describe(fd),
    reply: packedReply(isDescribed),
    failed: () => NOT_FOUND,
  }),
  join: op({ target: 'fd', args: packed(isInt, isStr), local: (w, fd: number, room: string) => w.join(fd, room), forwarded: sentOk }),
  leave: op({ target: 'fd', args: packed(isInt, isStr), local: (w, fd: number, room: string) => w.leave(fd, room), forwarded: sentOk }),
  bind: op({ target: 'fd', args: packed(isInt, isStr), local: (w, fd: number, uid: string) => w.bind(fd, uid), forwarded: sentOk }),
  ping: op({ target: 'fd', args: packed(isInt, optional(isPingData)), local: (w, fd: number, data: Buffer | undefined) => w.ping(fd, data), forwarded: sentOk }),
  protect: op({ target: 'fd', args: packed(isInt, isBool), local: (w, fd: number, value: boolean) => w.protect(fd, value), forwarded: sentOk }),
  /** broadcast and room pushes: every worker pushes to its own share, the frame encoded once. */
  broadcast: op({
    target: 'all',
    args: fanOutWire(),
    local: (w, data: Data, opcode: number, scope: FanOutScope) => w.broadcast(opcode, toBuffer(data), scope.except, scope.room),
    flushFirst: (w, _data, _opcode, scope) => w.fanOutSize(scope.room) >= EARLY_BUS_FLUSH,
  }),
  pushToUid: op({
    target: 'all',
    args: uidPushWire(),
    local: (w, uid: string, data: Data, opcode: number) => w.pushUid(uid, toBuffer(data), opcode),
  }),
  /** connections (for await): every worker's established fds. */
  fds: op({ target: 'each', args: packed(), local: (w): number[] => [...w.fds()], reply: packedReply(isIntList), failed: (): number[] => [], sessions: (t) => t.all() }),
  fdsByUid: op({
    target: 'each',
    args: packed(isStr),
    local: (w, uid: string): number[] => [...w.fdsOf(uid)],
    reply: packedReply(isIntList),
    failed: (): number[] => [],
    sessions: (t, uid) => t.fdsByUid(uid),
  }),
  /** getClientList: each worker's fds above a cursor (a room's members), ascending, at most `limit`. */
  page: op({
    target: 'each',
    args: packed(isPageQuery),
    local: (w, q: PageQuery): number[] => w.page(q.after, q.limit, q.room ?? undefined),
    reply: packedReply(isIntList),
    failed: (): number[] => [],
  }),
  /** sendMessage, to another worker's pipeMessage callback. */
  pipe: op({ target: 'worker', args: packed(isInt, isAny), local: (w, src: number, data: unknown) => w.pipe(src, data), forwarded: sentOk }),
});

// ---- fixed layouts for the ops that carry a message (written in place, never packed first)

/**
 *   0        1..8        9..
 *   opcode | fd f64 BE | data (UTF-8 for a string)
 */
function pushWire(): ArgsWire<number, Data, number> {
  return {
    size: (_fd, data) => 9 + byteLength(data),
    write(into, at, fd, data, opcode) {
      into[at] = opcode;
      into.writeDoubleBE(fd, at + 1);
      writeData(into, at + 9, data);
    },
    read(body, at, fn, w) {
      if (body.length < at + 9) return MALFORMED;
      const opcode = body[at]!;
      const fd = body.readDoubleBE(at + 1);
      if (!isInt(fd) || !isPushOpcode(opcode)) return MALFORMED;
      return fn(w, fd, copyFrom(body, at + 9), opcode);
    },
  };
}

/**
 *   0        1..2           ..              4 bytes        8 bytes each      ..
 *   opcode | roomLen u16 | room (UTF-8) | exceptCount u32 | except f64 BE | data
 *   roomLen 0xFFFF: no room (everyone)
 */
function fanOutWire(): ArgsWire<Data, number, FanOutScope> {
  return {
    size: (data, _opcode, scope) => 1 + strBytes(scope.room) + 4 + 8 * scope.except.length + byteLength(data),
    write(into, at, data, opcode, scope) {
      into[at] = opcode;
      let o = writeStr(into, at + 1, scope.room);
      into.writeUInt32BE(scope.except.length, o);
      o += 4;
      for (const fd of scope.except) o = into.writeDoubleBE(fd, o);
      writeData(into, o, data);
    },
    read(body, at, fn, w) {
      const opcode = body[at];
      const room = readStr(body, at + 1);
      if (opcode === undefined || !isPushOpcode(opcode) || room === MALFORMED) return MALFORMED;
      let o = room.next;
      if (body.length < o + 4) return MALFORMED;
      const n = body.readUInt32BE(o);
      o += 4;
      if (body.length < o + 8 * n) return MALFORMED;
      const except: number[] = [];
      for (let i = 0; i < n; i++, o += 8) except.push(body.readDoubleBE(o));
      if (!except.every(isInt)) return MALFORMED;
      return fn(w, copyFrom(body, o), opcode, { except, room: room.value });
    },
  };
}

/**
 *   0        1..2          ..             ..
 *   opcode | uidLen u16 | uid (UTF-8) | data
 */
function uidPushWire(): ArgsWire<string, Data, number> {
  return {
    size: (uid, data) => 1 + strBytes(uid) + byteLength(data),
    write(into, at, uid, data, opcode) {
      into[at] = opcode;
      writeData(into, writeStr(into, at + 1, uid), data);
    },
    read(body, at, fn, w) {
      const opcode = body[at];
      const uid = readStr(body, at + 1);
      if (opcode === undefined || !isPushOpcode(opcode) || uid === MALFORMED || uid.value === undefined) return MALFORMED;
      return fn(w, uid.value, copyFrom(body, uid.next), opcode);
    },
  };
}

const NO_STRING = 0xffff;

function byteLength(data: Data): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}

function writeData(into: Buffer, at: number, data: Data): void {
  if (typeof data === 'string') into.write(data, at, 'utf8');
  else into.set(data, at);
}

/** The bytes from `at` on, copied: a queued message must not pin the bus read it came in. */
function copyFrom(body: Buffer, at: number): Buffer {
  const out = Buffer.allocUnsafe(body.length - at);
  body.copy(out, 0, at);
  return out;
}

/** u16 length and UTF-8 bytes (length 0xFFFF: no string). Strings here are rooms and uids. */
function strBytes(s: string | undefined): number {
  const n = s === undefined ? 0 : Buffer.byteLength(s);
  if (n >= NO_STRING) throw new RangeError(`a room or uid of ${n} bytes (at most ${NO_STRING - 1})`);
  return 2 + n;
}

function writeStr(into: Buffer, at: number, s: string | undefined): number {
  if (s === undefined) return into.writeUInt16BE(NO_STRING, at);
  const n = into.write(s, at + 2, 'utf8');
  into.writeUInt16BE(n, at);
  return at + 2 + n;
}

function readStr(body: Buffer, at: number): { value: string | undefined; next: number } | Malformed {
  if (body.length < at + 2) return MALFORMED;
  const n = body.readUInt16BE(at);
  if (n === NO_STRING) return { value: undefined, next: at + 2 };
  if (body.length < at + 2 + n) return MALFORMED;
  return { value: body.toString('utf8', at + 2, at + 2 + n), next: at + 2 + n };
}
