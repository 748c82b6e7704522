import { type RedisEndpoint } from '../redis-target.ts';
/**
 * Which master serves which hash slot of a Redis Cluster, read by ourselves (CLUSTER SLOTS)
 * rather than from a client library's cache: the Redis Cluster bus decides where its own
 * connections go (bus/redis-cluster-bus.ts).
 */
export declare const SLOTS = 16384;
/** The hash slot of a key or shard channel: only its {tag} counts when it has a non-empty one. */
export declare function keySlot(key: string): number;
/** A master as `host:port`, and how to connect to it. */
export interface ShardMaster {
    id: string;
    endpoint: RedisEndpoint;
}
/** Slot -> master (undefined: no master serves it now). */
export declare class ShardMap {
    private readonly bySlot;
    constructor(bySlot: ReadonlyArray<ShardMaster | undefined>);
    static readonly EMPTY: ShardMap;
    masterOf(slot: number): ShardMaster | undefined;
    /** Every distinct master, by id. */
    masters(): Map<string, ShardMaster>;
    /** Every slot has a master. */
    get complete(): boolean;
}
/**
 * CLUSTER SLOTS from the first of `candidates` that answers (each tried with a fresh connection,
 * `timeoutMs` at most); credentials and TLS from `template`. Rejects when none answers.
 */
export declare function fetchShardMap(candidates: RedisEndpoint[], template: RedisEndpoint, timeoutMs?: number): Promise<ShardMap>;
/** CLUSTER SLOTS' answer as a ShardMap; `asked` is the node that answered (an empty host means it), with the credentials. */
export declare function parseSlots(reply: Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>, asked: RedisEndpoint): ShardMap;
//# sourceMappingURL=shard-map.d.ts.map