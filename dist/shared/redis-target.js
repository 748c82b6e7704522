import { Cluster, Redis } from 'ioredis';
import { ClusterError } from './errors.js';
import { SETTLE_ON_CLOSE } from './redis-health.js';
/**
 * The slot map is refreshed on every MOVED anyway; a periodic refresh also catches a failover
 * whose node has no client yet. ioredis documents 5000 ms as the default but has shipped it off
 * since 2022.
 */
export const SLOTS_REFRESH_MS = 2000;
/** The list `--redis` names: one or more URLs, comma-separated (spaces around commas allowed). */
export function splitRedisUrls(value) {
    return value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
/** An endpoint from `redis://[user:pass@]host:port[/db]` (rediss:// for TLS). Throws ClusterError on anything else. */
export function parseEndpoint(url) {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        throw new ClusterError('ERR_REDIS_URL', `not a Redis URL: ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))}`);
    }
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
        throw new ClusterError('ERR_REDIS_URL', `a Redis URL starts with redis:// or rediss://: ${u.protocol}`);
    const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
    return {
        host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
        port: u.port === '' ? 6379 : Number(u.port),
        ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
        ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
        ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
        tls: u.protocol === 'rediss:',
    };
}
/** The connection options of an endpoint (credentials and TLS), for ioredis. */
export function endpointOptions(e) {
    return {
        host: e.host,
        port: e.port,
        ...(e.username !== undefined ? { username: e.username } : {}),
        ...(e.password !== undefined ? { password: e.password } : {}),
        ...(e.db !== undefined ? { db: e.db } : {}),
        ...(e.tls ? { tls: {} } : {}),
    };
}
/** The seeds with the first seed's credentials and TLS for those that give none. */
function seedsOf(urls) {
    const seeds = urls.map(parseEndpoint);
    const first = seeds[0];
    if (!first)
        throw new ClusterError('ERR_REDIS_URL', 'no Redis URL given');
    return seeds.map((s) => ({ ...s, username: s.username ?? first.username, password: s.password ?? first.password, tls: s.tls || first.tls }));
}
/**
 * Resolves what `--redis` names: `forceCluster` (--redis-cluster) skips the question; otherwise
 * the seeds are asked `INFO cluster` in turn until one answers. None answering is no error here
 * for a single URL (a standalone Redis down at start: the clients reconnect by themselves); with
 * several seeds it is (a list only makes sense for a cluster, and its topology must be read).
 */
export async function resolveRedisTarget(value, forceCluster = false) {
    const urls = splitRedisUrls(value);
    const seeds = seedsOf(urls);
    if (forceCluster)
        return { urls, seeds, cluster: true };
    for (const seed of seeds) {
        const enabled = await clusterEnabled(seed).catch(() => null);
        if (enabled !== null)
            return { urls, seeds, cluster: enabled };
    }
    if (seeds.length > 1)
        return { urls, seeds, cluster: true };
    return { urls, seeds, cluster: false };
}
/** `cluster_enabled` of one server's INFO, or a rejection if it does not answer within 2 s. */
async function clusterEnabled(seed) {
    const client = new Redis({ ...endpointOptions(seed), lazyConnect: true, retryStrategy: () => null, connectTimeout: 2000, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    client.on('error', () => { });
    try {
        await client.connect();
        const info = await client.info('cluster');
        return /^cluster_enabled:1\s*$/m.test(info);
    }
    finally {
        client.disconnect();
    }
}
/**
 * A command client: a `Redis` on the one URL, or a `Cluster` on the seeds. `options` are
 * per-connection options (a Cluster passes them to every node's connection).
 */
export function commandClient(target, options = {}) {
    const opts = { ...SETTLE_ON_CLOSE, ...options };
    if (!target.cluster)
        return new Redis(target.urls[0], opts);
    const first = target.seeds[0];
    const { lazyConnect, enableOfflineQueue, retryStrategy: _ignored, ...perNode } = opts;
    const clusterOptions = {
        lazyConnect: lazyConnect ?? false,
        enableOfflineQueue: enableOfflineQueue ?? true,
        slotsRefreshInterval: SLOTS_REFRESH_MS,
        // A command that met a failover waits this long before it is tried again (once the map is fresh).
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        redisOptions: { ...perNode, ...credentials(first) },
        ...(first.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    };
    return new Cluster(target.seeds.map((s) => ({ host: s.host, port: s.port })), clusterOptions);
}
function credentials(e) {
    return {
        ...(e.username !== undefined ? { username: e.username } : {}),
        ...(e.password !== undefined ? { password: e.password } : {}),
        ...(e.tls ? { tls: {} } : {}),
    };
}
/** Whether a client (either kind) can take commands now. */
export function isReady(client) {
    return client.status === 'ready';
}
//# sourceMappingURL=redis-target.js.map