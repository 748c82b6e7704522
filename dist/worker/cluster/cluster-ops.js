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
import { REMOTE_OUTCOME } from '../../shared/cluster-messages.js';
import { checkCloseArguments } from '../../shared/protocol/frame-encoder.js';
import { Opcode } from '../../shared/protocol/constants.js';
import { defineOps, isAny, isBool, isInt, isIntList, isStr, MALFORMED, oneOf, op, optional, packed, packedReply } from './op-kit.js';
import { toBuffer } from './payload.js';
/** From this many local recipients on, a fan-out writes its bus message before its own share
 * (writing 256 sockets takes a few milliseconds the other workers would otherwise wait). */
export const EARLY_BUS_FLUSH = 256;
const PUSH_STATUSES = ['written', 'queued', 'dropped', 'closed', 'unknown'];
/** A remote push's outcome by what the bus did, and the sender's counter for it. */
const REMOTE_PUSH = { ok: 'forwarded', congested: 'congested', down: 'unreachable' };
const REMOTE_PUSH_COUNTER = { forwarded: 'pushesForwarded', congested: 'pushesCongested', unreachable: 'pushesUnreachable' };
/** What the cluster knows of an fd nobody holds (or whose owner did not answer). */
const NOT_FOUND = Object.freeze({ exist: false, established: false, info: null });
const sentOk = (sent) => sent === 'ok';
const isPageQuery = (v) => {
    const q = v;
    return typeof v === 'object' && v !== null && isInt(q.after) && isInt(q.limit) && q.limit > 0 && (q.room === null || isStr(q.room));
};
const isPushOpcode = (op) => op === Opcode.Text || op === Opcode.Binary || op === Opcode.Ping || op === Opcode.Pong;
const isCloseArgs = (_fd, code, reason) => {
    try {
        checkCloseArguments(code, reason);
        return true;
    }
    catch {
        return false;
    }
};
const isPingData = (v) => Buffer.isBuffer(v) && v.length <= 125;
const isDescribed = (v) => {
    const d = v;
    return typeof v === 'object' && v !== null && isBool(d.exist) && isBool(d.established) && (d.info === null || (typeof d.info === 'object' && isInt(d.info.fd)));
};
export const OPS = defineOps({
    /** push / pushStatus (fire-and-forget) and pushAsync (waits for the owner's outcome). */
    push: op({
        target: 'fd',
        args: pushWire(),
        local(w, fd, data, opcode) {
            const status = w.push(fd, toBuffer(data), opcode);
            w.meters.localPushes[status]++;
            return status;
        },
        served(w, fd, data, opcode) {
            const status = w.push(fd, toBuffer(data), opcode);
            w.counters[REMOTE_OUTCOME[status]]++;
            return status;
        },
        forwarded(sent, w) {
            const status = REMOTE_PUSH[sent];
            w.counters[REMOTE_PUSH_COUNTER[status]]++;
            return status;
        },
        reply: oneOf(PUSH_STATUSES),
        failed: (why) => why,
        // An fd of a node that is not alive: nobody holds it (answered at once, not after busTimeoutMs).
        gone: () => 'unknown',
    }),
    disconnect: op({
        target: 'fd',
        // Checked again on arrival: the owner refuses what the caller's API would have refused.
        args: packed(isInt, isInt, isStr, isCloseArgs),
        local: (w, fd, code, reason) => w.disconnect(fd, code, reason),
        forwarded: sentOk,
    }),
    close: op({ target: 'fd', args: packed(isInt), local: (w, fd) => w.close(fd), forwarded: sentOk }),
    /** exist, isEstablished, getClientInfo. */
    describe: op({
        target: 'fd',
        args: packed(isInt),
        local: (w, fd) => w.describe(fd),
        reply: packedReply(isDescribed),
        failed: () => NOT_FOUND,
    }),
    join: op({ target: 'fd', args: packed(isInt, isStr), local: (w, fd, room) => w.join(fd, room), forwarded: sentOk }),
    leave: op({ target: 'fd', args: packed(isInt, isStr), local: (w, fd, room) => w.leave(fd, room), forwarded: sentOk }),
    bind: op({ target: 'fd', args: packed(isInt, isStr), local: (w, fd, uid) => w.bind(fd, uid), forwarded: sentOk }),
    ping: op({ target: 'fd', args: packed(isInt, optional(isPingData)), local: (w, fd, data) => w.ping(fd, data), forwarded: sentOk }),
    protect: op({ target: 'fd', args: packed(isInt, isBool), local: (w, fd, value) => w.protect(fd, value), forwarded: sentOk }),
    /** broadcast and room pushes: every worker pushes to its own share, the frame encoded once. */
    broadcast: op({
        target: 'all',
        args: fanOutWire(),
        local: (w, data, opcode, scope) => w.broadcast(opcode, toBuffer(data), scope.except, scope.room),
        flushFirst: (w, _data, _opcode, scope) => w.fanOutSize(scope.room) >= EARLY_BUS_FLUSH,
    }),
    pushToUid: op({
        target: 'all',
        args: uidPushWire(),
        local: (w, uid, data, opcode) => w.pushUid(uid, toBuffer(data), opcode),
    }),
    /** connections (for await): every worker's established fds. */
    fds: op({ target: 'each', args: packed(), local: (w) => [...w.fds()], reply: packedReply(isIntList), failed: () => [], sessions: (t) => t.all() }),
    fdsByUid: op({
        target: 'each',
        args: packed(isStr),
        local: (w, uid) => [...w.fdsOf(uid)],
        reply: packedReply(isIntList),
        failed: () => [],
        sessions: (t, uid) => t.fdsByUid(uid),
    }),
    /** getClientList: each worker's fds above a cursor (a room's members), ascending, at most `limit`. */
    page: op({
        target: 'each',
        args: packed(isPageQuery),
        local: (w, q) => w.page(q.after, q.limit, q.room ?? undefined),
        reply: packedReply(isIntList),
        failed: () => [],
    }),
    /** sendMessage, to another worker's pipeMessage callback. */
    pipe: op({ target: 'worker', args: packed(isInt, isAny), local: (w, src, data) => w.pipe(src, data), forwarded: sentOk }),
});
// ---- fixed layouts for the ops that carry a message (written in place, never packed first)
/**
 *   0        1..8        9..
 *   opcode | fd f64 BE | data (UTF-8 for a string)
 */
function pushWire() {
    return {
        size: (_fd, data) => 9 + byteLength(data),
        write(into, at, fd, data, opcode) {
            into[at] = opcode;
            into.writeDoubleBE(fd, at + 1);
            writeData(into, at + 9, data);
        },
        read(body, at, fn, w) {
            if (body.length < at + 9)
                return MALFORMED;
            const opcode = body[at];
            const fd = body.readDoubleBE(at + 1);
            if (!isInt(fd) || !isPushOpcode(opcode))
                return MALFORMED;
            return fn(w, fd, copyFrom(body, at + 9), opcode);
        },
    };
}
/**
 *   0        1..2           ..              4 bytes        8 bytes each      ..
 *   opcode | roomLen u16 | room (UTF-8) | exceptCount u32 | except f64 BE | data
 *   roomLen 0xFFFF: no room (everyone)
 */
function fanOutWire() {
    return {
        size: (data, _opcode, scope) => 1 + strBytes(scope.room) + 4 + 8 * scope.except.length + byteLength(data),
        write(into, at, data, opcode, scope) {
            into[at] = opcode;
            let o = writeStr(into, at + 1, scope.room);
            into.writeUInt32BE(scope.except.length, o);
            o += 4;
            for (const fd of scope.except)
                o = into.writeDoubleBE(fd, o);
            writeData(into, o, data);
        },
        read(body, at, fn, w) {
            const opcode = body[at];
            const room = readStr(body, at + 1);
            if (opcode === undefined || !isPushOpcode(opcode) || room === MALFORMED)
                return MALFORMED;
            let o = room.next;
            if (body.length < o + 4)
                return MALFORMED;
            const n = body.readUInt32BE(o);
            o += 4;
            if (body.length < o + 8 * n)
                return MALFORMED;
            const except = [];
            for (let i = 0; i < n; i++, o += 8)
                except.push(body.readDoubleBE(o));
            if (!except.every(isInt))
                return MALFORMED;
            return fn(w, copyFrom(body, o), opcode, { except, room: room.value });
        },
    };
}
/**
 *   0        1..2          ..             ..
 *   opcode | uidLen u16 | uid (UTF-8) | data
 */
function uidPushWire() {
    return {
        size: (uid, data) => 1 + strBytes(uid) + byteLength(data),
        write(into, at, uid, data, opcode) {
            into[at] = opcode;
            writeData(into, writeStr(into, at + 1, uid), data);
        },
        read(body, at, fn, w) {
            const opcode = body[at];
            const uid = readStr(body, at + 1);
            if (opcode === undefined || !isPushOpcode(opcode) || uid === MALFORMED || uid.value === undefined)
                return MALFORMED;
            return fn(w, uid.value, copyFrom(body, uid.next), opcode);
        },
    };
}
const NO_STRING = 0xffff;
function byteLength(data) {
    return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}
function writeData(into, at, data) {
    if (typeof data === 'string')
        into.write(data, at, 'utf8');
    else
        into.set(data, at);
}
/** The bytes from `at` on, copied: a queued message must not pin the bus read it came in. */
function copyFrom(body, at) {
    const out = Buffer.allocUnsafe(body.length - at);
    body.copy(out, 0, at);
    return out;
}
/** u16 length and UTF-8 bytes (length 0xFFFF: no string). Strings here are rooms and uids. */
function strBytes(s) {
    const n = s === undefined ? 0 : Buffer.byteLength(s);
    if (n >= NO_STRING)
        throw new RangeError(`a room or uid of ${n} bytes (at most ${NO_STRING - 1})`);
    return 2 + n;
}
function writeStr(into, at, s) {
    if (s === undefined)
        return into.writeUInt16BE(NO_STRING, at);
    const n = into.write(s, at + 2, 'utf8');
    into.writeUInt16BE(n, at);
    return at + 2 + n;
}
function readStr(body, at) {
    if (body.length < at + 2)
        return MALFORMED;
    const n = body.readUInt16BE(at);
    if (n === NO_STRING)
        return { value: undefined, next: at + 2 };
    if (body.length < at + 2 + n)
        return MALFORMED;
    return { value: body.toString('utf8', at + 2, at + 2 + n), next: at + 2 + n };
}
//# sourceMappingURL=cluster-ops.js.map