/**
 * Which worker gets a new connection (Swoole's dispatch_mode). Pure: the master feeds it a
 * view of its workers and gets a slot back; no sockets or processes here.
 */
import type { DispatchFunc, DispatchInfo, WorkerView } from '../shared/dispatch-types.ts';
export type { DispatchFunc, DispatchInfo, WorkerView };
/** Swoole's dispatch_mode numbers. 5-7 (uid, stream, ...) have no meaning here. */
export declare const DISPATCH_MODES: {
    readonly 1: 'round-robin';
    readonly 2: 'fd-mod';
    readonly 3: 'idle-worker';
    readonly 4: 'ip-hash';
    readonly 8: 'least-connections';
};
export type DispatchMode = keyof typeof DISPATCH_MODES;
export interface DispatchPolicy {
    readonly name: string;
    /**
     * Fd-mod needs fd % workers === slot: the allocator aligns fds to this modulus.
     * 1 for every other policy.
     */
    readonly fdModulus: number;
    /** A slot that is up, or -1 when no worker is up. */
    pick(info: DispatchInfo, workers: readonly WorkerView[]): number;
}
/** 32-bit FNV-1a: fast, and spreads similar addresses (127.0.0.2, .3, ...) well. */
export declare function fnv1a(s: string): number;
export declare function createDispatchPolicy(mode: DispatchMode, workers: number, fn?: DispatchFunc, onBadAnswer?: (why: string) => void): DispatchPolicy;
//# sourceMappingURL=dispatch.d.ts.map