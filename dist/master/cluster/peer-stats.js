import { isNodeMetrics } from '../../shared/metrics/catalogue.js';
/** How long a node's published figures stay readable: a dead node's vanish with its lease. */
const STATS_TTL_MS = 10_000;
/** Nodes publish their figures under P:stats:${node} (redis-keys.ts); stats() reads the live ones. */
export class RedisPeerStats {
    redis;
    keys;
    registry;
    constructor(redis, keys, registry) {
        this.redis = redis;
        this.keys = keys;
        this.registry = registry;
    }
    async publish(stats) {
        await this.redis.set(this.keys.stats(this.registry.id), JSON.stringify(stats), 'PX', STATS_TTL_MS);
    }
    async read() {
        return this.readLive((node) => this.keys.stats(node));
    }
    /** Metrics travel beside the stats, under P:metrics:${node}, on the same beat and TTL. */
    async publishMetrics(metrics) {
        await this.redis.set(this.keys.metrics(this.registry.id), JSON.stringify(metrics), 'PX', STATS_TTL_MS);
    }
    /** Every live node's metrics; a value that is not what publishMetrics writes is left out. */
    async readMetrics() {
        return (await this.readLive((node) => this.keys.metrics(node))).filter(isNodeMetrics);
    }
    async readLive(key) {
        const live = await this.registry.liveNodes();
        if (live.length === 0)
            return [];
        // One GET each: on a Redis Cluster each node's keys are in its own slot (no cross-slot MGET).
        const values = await Promise.all(live.map((n) => this.redis.get(key(n.id))));
        return values.filter((v) => v !== null).map((v) => JSON.parse(v));
    }
}
//# sourceMappingURL=peer-stats.js.map