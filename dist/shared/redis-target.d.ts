import { Cluster, Redis, type RedisOptions } from 'ioredis';
/**
 * Where a cluster's Redis is: one standalone server, or a Redis Cluster reached through seeds.
 *
 * `--redis` takes one URL or a comma-separated list of seed URLs (a config file may give an
 * array); every seed shares the first one's credentials and TLS unless it gives its own. A
 * Redis Cluster is detected (`INFO cluster` answers `cluster_enabled:1` on the first seed that
 * answers) or forced with `--redis-cluster`. What runs on it then: the command clients are
 * ioredis `Cluster`s (they follow MOVED/ASK and refresh the slot map every
 * SLOTS_REFRESH_MS); the bus does not use ioredis's cluster pub/sub at all (see
 * bus/redis-cluster-bus.ts for why).
 */
/** One Redis endpoint, from a URL. */
export interface RedisEndpoint {
    host: string;
    port: number;
    username?: string;
    password?: string;
    db?: number;
    tls: boolean;
}
export interface RedisTarget {
    /** The URLs as given (the first one is the standalone server's). */
    urls: string[];
    seeds: RedisEndpoint[];
    cluster: boolean;
}
/**
 * The slot map is refreshed on every MOVED anyway; a periodic refresh also catches a failover
 * whose node has no client yet. ioredis documents 5000 ms as the default but has shipped it off
 * since 2022.
 */
export declare const SLOTS_REFRESH_MS = 2000;
/** The list `--redis` names: one or more URLs, comma-separated (spaces around commas allowed). */
export declare function splitRedisUrls(value: string): string[];
/** An endpoint from `redis://[user:pass@]host:port[/db]` (rediss:// for TLS). Throws ClusterError on anything else. */
export declare function parseEndpoint(url: string): RedisEndpoint;
/** The connection options of an endpoint (credentials and TLS), for ioredis. */
export declare function endpointOptions(e: RedisEndpoint): RedisOptions;
/**
 * Resolves what `--redis` names: `forceCluster` (--redis-cluster) skips the question; otherwise
 * the seeds are asked `INFO cluster` in turn until one answers. None answering is no error here
 * for a single URL (a standalone Redis down at start: the clients reconnect by themselves); with
 * several seeds it is (a list only makes sense for a cluster, and its topology must be read).
 */
export declare function resolveRedisTarget(value: string, forceCluster?: boolean): Promise<RedisTarget>;
/** The command side of either kind of Redis: what the session table, registry and stats use. */
export type RedisCommands = Redis | Cluster;
/**
 * A command client: a `Redis` on the one URL, or a `Cluster` on the seeds. `options` are
 * per-connection options (a Cluster passes them to every node's connection).
 */
export declare function commandClient(target: RedisTarget, options?: RedisOptions): RedisCommands;
/** Whether a client (either kind) can take commands now. */
export declare function isReady(client: RedisCommands): boolean;
//# sourceMappingURL=redis-target.d.ts.map