/**
 * What a cluster operation is made of (the operations themselves are cluster-ops.ts): where it
 * runs, how its arguments and its reply travel as bytes, and the message that carries a call.
 * The bus knows none of this: it carries an envelope and a body (src/shared/bus/codec.ts).
 *
 *   body of a call:   op id u8 | arguments (the op's ArgsWire)
 *   body of a reply:  the op's ReplyWire bytes; empty when the owner could not run the call
 */
import { Packr } from 'msgpackr/pack';
// Plain msgpack: no record extension, since the two ends share no structure definitions.
// copyBuffers: a decoded Buffer is its own allocation, not a view of the bus read it came in
// (a receiver that keeps it must not pin a 64 KiB chunk). msgpackr/pack, the pure-JavaScript
// codec, on purpose: its main entry loads a native string extractor that is no faster on
// messages this small (npm run bench:codec).
const packr = new Packr({ useRecords: false, copyBuffers: true });
/** What a decoder answers for bytes that are not what the op sends (peer input: never thrown). */
export const MALFORMED = Symbol('malformed');
export const isInt = (v) => typeof v === 'number' && Number.isSafeInteger(v);
export const isStr = (v) => typeof v === 'string';
export const isBool = (v) => typeof v === 'boolean';
export const isNothing = (v) => v === undefined;
export const isAny = (v) => true;
export const isIntList = (v) => Array.isArray(v) && v.every(isInt);
export const optional = (guard) => (v) => v === undefined || guard(v);
/** Arguments as a msgpack array, each checked on arrival (and together by `check`). */
export function packed(ga, gb, gc, check) {
    const guards = [ga ?? isNothing, gb ?? isNothing, gc ?? isNothing];
    return {
        pack: (a, b, c) => packr.pack(c !== undefined ? [a, b, c] : b !== undefined ? [a, b] : a !== undefined ? [a] : []),
        read(body, at, fn, w) {
            const v = unpack(body.subarray(at));
            if (!Array.isArray(v) || v.length > 3 || !guards.every((g, i) => g(v[i])))
                return MALFORMED;
            const [a, b, c] = v;
            if (check !== undefined && !check(a, b, c))
                return MALFORMED;
            return fn(w, a, b, c);
        },
    };
}
/** A reply as msgpack, checked on arrival. */
export function packedReply(guard) {
    return {
        pack: (value) => packr.pack(value),
        read(body) {
            const v = unpack(body);
            return guard(v) ? v : MALFORMED;
        },
    };
}
/** A reply that is one of a few values: one byte, its index. */
export function oneOf(values) {
    const bytes = values.map((_, i) => Buffer.from([i]));
    return {
        pack: (value) => bytes[values.indexOf(value)] ?? Buffer.alloc(0),
        read: (body) => (body.length === 1 && body[0] < values.length ? values[body[0]] : MALFORMED),
    };
}
function unpack(bytes) {
    try {
        return packr.unpack(bytes);
    }
    catch {
        return MALFORMED;
    }
}
/** One entry of the table, its types inferred and checked against each other (the argument
 * wire against `local`, the reply against its result). */
export function op(spec) {
    return spec;
}
/** Names the entries of a table and numbers them in order (ids on the wire: every worker of a
 * cluster runs the same version, so the same table). */
export function defineOps(table) {
    const entries = Object.entries(table);
    if (entries.length > 255)
        throw new RangeError('at most 255 cluster operations');
    // New objects: an entry shared with another table (a test's extension) keeps its own id there.
    return Object.fromEntries(entries.map(([name, entry], i) => [name, { ...entry, name, id: i + 1 }]));
}
/** The operations of a table by id (index 0 unused). */
export function byId(table) {
    const out = [undefined];
    for (const entry of Object.values(table))
        out[entry.id] = entry;
    return out;
}
/** A call on the bus: the op's id, then its arguments, written into the bus's buffer. */
export class OpMessage {
    kind = 'send';
    rid = 0;
    bodyBytes;
    op;
    a;
    b;
    c;
    packed;
    constructor(op, a, b, c) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.c = c;
        const wire = op.args;
        this.packed = 'pack' in wire ? wire.pack(a, b, c) : null;
        this.bodyBytes = 1 + (this.packed !== null ? this.packed.length : wire.size(a, b, c));
    }
    writeBody(into, at) {
        into[at] = this.op.id;
        if (this.packed !== null)
            this.packed.copy(into, at + 1);
        else
            this.op.args.write(into, at + 1, this.a, this.b, this.c);
    }
}
//# sourceMappingURL=op-kit.js.map