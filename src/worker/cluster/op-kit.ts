/**
 * What a cluster operation is made of (the operations themselves are cluster-ops.ts): where it
 * runs, how its arguments and its reply travel as bytes, and the message that carries a call.
 * The bus knows none of this: it carries an envelope and a body (src/shared/bus/codec.ts).
 *
 *   body of a call:   op id u8 | arguments (the op's ArgsWire)
 *   body of a reply:  the op's ReplyWire bytes; empty when the owner could not run the call
 */
import { Packr } from 'msgpackr/pack';
import type { MessageKind, Outgoing, SendResult } from '../../shared/bus/types.ts';
import type { SessionTable } from '../../shared/session-table/types.ts';
import type { LocalConnections } from '../local-connections.ts';

// Plain msgpack: no record extension, since the two ends share no structure definitions.
// copyBuffers: a decoded Buffer is its own allocation, not a view of the bus read it came in
// (a receiver that keeps it must not pin a 64 KiB chunk). msgpackr/pack, the pure-JavaScript
// codec, on purpose: its main entry loads a native string extractor that is no faster on
// messages this small (npm run bench:codec).
const packr = new Packr({ useRecords: false, copyBuffers: true });

/** What a decoder answers for bytes that are not what the op sends (peer input: never thrown). */
export const MALFORMED: unique symbol = Symbol('malformed');
export type Malformed = typeof MALFORMED;

/** Why a call got no answer: no transport to the owner, or the owner could not run it
 * ('unreachable'); the bus or this worker's calls awaiting answers over budget ('congested');
 * no answer within busTimeoutMs ('timeout'). */
export type CallFailure = 'unreachable' | 'congested' | 'timeout';

/** A check of one decoded argument or reply (peer input). */
export type Guard<T> = (v: unknown) => v is T;

export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
export const isNothing = (v: unknown): v is undefined => v === undefined;
export const isAny = (v: unknown): v is unknown => true;
export const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);
export const optional =
  <T>(guard: Guard<T>): Guard<T | undefined> =>
  (v): v is T | undefined =>
    v === undefined || guard(v);

/**
 * How a call's arguments (up to three, passed positionally: a push to a local fd allocates
 * nothing for them) become bytes and back. Either packed (msgpack: the size is known once
 * packed) or a fixed layout written straight into the bus's buffer (the hot paths).
 */
export type ArgsWire<A, B, C> = (
  | { pack(a: A, b: B, c: C): Buffer }
  | { size(a: A, b: B, c: C): number; write(into: Buffer, at: number, a: A, b: B, c: C): void }
) & {
  /** Decodes the arguments at body[at..] and calls fn(w, a, b, c) with them, or answers
   * MALFORMED (nothing runs). Whatever fn keeps is a copy, never a view of `body`. */
  read<W, R>(body: Buffer, at: number, fn: (w: W, a: A, b: B, c: C) => R, w: W): R | Malformed;
};

/** A reply's wire form. */
export interface ReplyWire<R> {
  pack(value: R): Buffer;
  read(body: Buffer): R | Malformed;
}

/** Arguments as a msgpack array, each checked on arrival (and together by `check`). */
export function packed<A = undefined, B = undefined, C = undefined>(ga?: Guard<A>, gb?: Guard<B>, gc?: Guard<C>, check?: (a: A, b: B, c: C) => boolean): ArgsWire<A, B, C> {
  const guards = [ga ?? isNothing, gb ?? isNothing, gc ?? isNothing] as Guard<unknown>[];
  return {
    pack: (a, b, c) => packr.pack(c !== undefined ? [a, b, c] : b !== undefined ? [a, b] : a !== undefined ? [a] : []),
    read(body, at, fn, w) {
      const v = unpack(body.subarray(at));
      if (!Array.isArray(v) || v.length > 3 || !guards.every((g, i) => g(v[i]))) return MALFORMED;
      const [a, b, c] = v as [A, B, C];
      if (check !== undefined && !check(a, b, c)) return MALFORMED;
      return fn(w, a, b, c);
    },
  };
}

/** A reply as msgpack, checked on arrival. */
export function packedReply<R>(guard: Guard<R>): ReplyWire<R> {
  return {
    pack: (value) => packr.pack(value),
    read(body) {
      const v = unpack(body);
      return guard(v) ? v : MALFORMED;
    },
  };
}

/** A reply that is one of a few values: one byte, its index. */
export function oneOf<R>(values: readonly R[]): ReplyWire<R> {
  const bytes = values.map((_, i) => Buffer.from([i]));
  return {
    pack: (value) => bytes[values.indexOf(value)] ?? Buffer.alloc(0),
    read: (body) => (body.length === 1 && body[0]! < values.length ? values[body[0]!]! : MALFORMED),
  };
}

function unpack(bytes: Buffer): unknown {
  try {
    return packr.unpack(bytes);
  } catch {
    return MALFORMED;
  }
}

/** Who runs an operation:
 * - 'fd': the worker holding the fd, the first argument (Swoole's forward_message);
 * - 'all': every worker, this one included: one bus message per worker, no answer;
 * - 'each': every worker of this node answers a list, which the caller gathers;
 * - 'worker': one worker, named by the caller, never this one. */
export type Target = 'fd' | 'all' | 'each' | 'worker';

/** What every operation defines. */
export interface OpCore<A, B, C, R> {
  target: Target;
  args: ArgsWire<A, B, C>;
  /** Runs on the worker it concerns: for a call made here, and for one that came over the bus. */
  local(w: LocalConnections, a: A, b: B, c: C): R;
}

/** What an operation defines besides, as the ways it is called need. */
export interface OpExtras<A, B, C, R> {
  /** A call that came over the bus, when it differs from `local` (counted apart). */
  served?(w: LocalConnections, a: A, b: B, c: C): R;
  /** Fire-and-forget to another worker: what the caller answers from what the bus did. */
  forwarded?(sent: SendResult, w: LocalConnections): unknown;
  /** A call that waits for the owner's answer: the answer's wire form... */
  reply?: ReplyWire<R>;
  /** ...and what the caller answers when the owner could not be asked or did not answer. */
  failed?(why: CallFailure): unknown;
  /** What a call on an fd answers, without asking, when the fd's node is not alive (its lease
   * is gone from Redis: see node-liveness.ts). Fire-and-forget ops without it go out as usual;
   * a call that waits answers `failed('unreachable')` instead. */
  gone?(): R;
  /** 'each': the cluster's session table answers instead, when there is one (multi-node). */
  sessions?(table: SessionTable, a: A): Promise<R>;
  /** 'all': whether the bus message goes out before this worker runs its share (a large one). */
  flushFirst?(w: LocalConnections, a: A, b: B, c: C): boolean;
}

/** An operation of the table: its spec, its name and the id its calls carry. */
export type ClusterOp<A = any, B = any, C = any, R = any> = OpCore<A, B, C, R> & OpExtras<A, B, C, R> & { readonly name: string; readonly id: number };

/** One entry of the table, its types inferred and checked against each other (the argument
 * wire against `local`, the reply against its result). */
export function op<A, B, C, R, E extends OpExtras<A, B, C, R>>(spec: OpCore<A, B, C, R> & E): OpCore<A, B, C, R> & E & { readonly name: string; readonly id: number } {
  return spec as OpCore<A, B, C, R> & E & { name: string; id: number };
}

/** Names the entries of a table and numbers them in order (ids on the wire: every worker of a
 * cluster runs the same version, so the same table). */
export function defineOps<T extends Record<string, ClusterOp>>(table: T): T {
  const entries = Object.entries(table);
  if (entries.length > 255) throw new RangeError('at most 255 cluster operations');
  // New objects: an entry shared with another table (a test's extension) keeps its own id there.
  return Object.fromEntries(entries.map(([name, entry], i) => [name, { ...entry, name, id: i + 1 }])) as T;
}

/** The operations of a table by id (index 0 unused). */
export function byId(table: Record<string, ClusterOp>): ReadonlyArray<ClusterOp | undefined> {
  const out: Array<ClusterOp | undefined> = [undefined];
  for (const entry of Object.values(table)) out[entry.id] = entry;
  return out;
}

/** A call on the bus: the op's id, then its arguments, written into the bus's buffer. */
export class OpMessage<A, B, C> implements Outgoing {
  kind: MessageKind = 'send';
  rid = 0;
  readonly bodyBytes: number;
  private readonly op: ClusterOp<A, B, C>;
  private readonly a: A;
  private readonly b: B;
  private readonly c: C;
  private readonly packed: Buffer | null;

  constructor(op: ClusterOp<A, B, C>, a: A, b: B, c: C) {
    this.op = op;
    this.a = a;
    this.b = b;
    this.c = c;
    const wire = op.args;
    this.packed = 'pack' in wire ? wire.pack(a, b, c) : null;
    this.bodyBytes = 1 + (this.packed !== null ? this.packed.length : (wire as { size(a: A, b: B, c: C): number }).size(a, b, c));
  }

  writeBody(into: Buffer, at: number): void {
    into[at] = this.op.id;
    if (this.packed !== null) this.packed.copy(into, at + 1);
    else (this.op.args as { write(into: Buffer, at: number, a: A, b: B, c: C): void }).write(into, at + 1, this.a, this.b, this.c);
  }
}
