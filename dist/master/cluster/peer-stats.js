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
        const live = await this.registry.liveNodes();
        if (live.length === 0)
            return [];
        const values = await this.redis.mget(...live.map((n) => this.keys.stats(n.id)));
        return values.filter((v) => v !== null).map((v) => JSON.parse(v));
    }
}
//# sourceMappingURL=peer-stats.js.map