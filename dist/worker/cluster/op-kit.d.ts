import type { MessageKind, Outgoing, SendResult } from '../../shared/bus/types.ts';
import type { SessionTable } from '../../shared/session-table/types.ts';
import type { LocalConnections } from '../local-connections.ts';
/** What a decoder answers for bytes that are not what the op sends (peer input: never thrown). */
export declare const MALFORMED: unique symbol;
export type Malformed = typeof MALFORMED;
/** Why a call got no answer: no transport to the owner, or the owner could not run it
 * ('unreachable'); the bus or this worker's calls awaiting answers over budget ('congested');
 * no answer within busTimeoutMs ('timeout'). */
export type CallFailure = 'unreachable' | 'congested' | 'timeout';
/** A check of one decoded argument or reply (peer input). */
export type Guard<T> = (v: unknown) => v is T;
export declare const isInt: (v: unknown) => v is number;
export declare const isStr: (v: unknown) => v is string;
export declare const isBool: (v: unknown) => v is boolean;
export declare const isNothing: (v: unknown) => v is undefined;
export declare const isAny: (v: unknown) => v is unknown;
export declare const isIntList: (v: unknown) => v is number[];
export declare const optional: <T>(guard: Guard<T>) => Guard<T | undefined>;
/**
 * How a call's arguments (up to three, passed positionally: a push to a local fd allocates
 * nothing for them) become bytes and back. Either packed (msgpack: the size is known once
 * packed) or a fixed layout written straight into the bus's buffer (the hot paths).
 */
export type ArgsWire<A, B, C> = ({
    pack(a: A, b: B, c: C): Buffer;
} | {
    size(a: A, b: B, c: C): number;
    write(into: Buffer, at: number, a: A, b: B, c: C): void;
}) & {
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
export declare function packed<A = undefined, B = undefined, C = undefined>(ga?: Guard<A>, gb?: Guard<B>, gc?: Guard<C>, check?: (a: A, b: B, c: C) => boolean): ArgsWire<A, B, C>;
/** A reply as msgpack, checked on arrival. */
export declare function packedReply<R>(guard: Guard<R>): ReplyWire<R>;
/** A reply that is one of a few values: one byte, its index. */
export declare function oneOf<R>(values: readonly R[]): ReplyWire<R>;
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
export type ClusterOp<A = any, B = any, C = any, R = any> = OpCore<A, B, C, R> & OpExtras<A, B, C, R> & {
    readonly name: string;
    readonly id: number;
};
/** One entry of the table, its types inferred and checked against each other (the argument
 * wire against `local`, the reply against its result). */
export declare function op<A, B, C, R, E extends OpExtras<A, B, C, R>>(spec: OpCore<A, B, C, R> & E): OpCore<A, B, C, R> & E & {
    readonly name: string;
    readonly id: number;
};
/** Names the entries of a table and numbers them in order (ids on the wire: every worker of a
 * cluster runs the same version, so the same table). */
export declare function defineOps<T extends Record<string, ClusterOp>>(table: T): T;
/** The operations of a table by id (index 0 unused). */
export declare function byId(table: Record<string, ClusterOp>): ReadonlyArray<ClusterOp | undefined>;
/** A call on the bus: the op's id, then its arguments, written into the bus's buffer. */
export declare class OpMessage<A, B, C> implements Outgoing {
    kind: MessageKind;
    rid: number;
    readonly bodyBytes: number;
    private readonly op;
    private readonly a;
    private readonly b;
    private readonly c;
    private readonly packed;
    constructor(op: ClusterOp<A, B, C>, a: A, b: B, c: C);
    writeBody(into: Buffer, at: number): void;
}
//# sourceMappingURL=op-kit.d.ts.map