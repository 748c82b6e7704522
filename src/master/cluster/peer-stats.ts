import type { RedisCommands } from '../../shared/redis-target.ts';
import type { NodeStats } from '../../shared/cluster-messages.ts';
import { isNodeMetrics, type NodeMetrics } from '../../shared/metrics/catalogue.ts';
import type { NodeRegistry } from './node-registry.ts';
import type { ClusterKeys } from '../../shared/redis-keys.ts';
import type { PeerStats } from '../master.ts';

/** How long a node's published figures stay readable: a dead node's vanish with its lease. */
const STATS_TTL_MS = 10_000;

/** Nodes publish their figures under P:stats:${node} (redis-keys.ts); stats() reads the live ones. */
export class RedisPeerStats implements PeerStats {
  constructor(
    private readonly redis: RedisCommands,
    private readonly keys: ClusterKeys,
    private readonly registry: NodeRegistry,
  ) {}

  async publish(stats: NodeStats): Promise<void> {
    await this.redis.set(this.keys.stats(this.registry.id), JSON.stringify(stats), 'PX', STATS_TTL_MS);
  }

  async read(): Promise<NodeStats[]> {
    return this.readLive<NodeStats>((node) => this.keys.stats(node));
  }

  /** Metrics travel beside the stats, under P:metrics:${node}, on the same beat and TTL. */
  async publishMetrics(metrics: NodeMetrics): Promise<void> {
    await this.redis.set(this.keys.metrics(this.registry.id), JSON.stringify(metrics), 'PX', STATS_TTL_MS);
  }

  /** Every live node's metrics; a value that is not what publishMetrics writes is left out. */
  async readMetrics(): Promise<NodeMetrics[]> {
    return (await this.readLive<unknown>((node) => this.keys.metrics(node))).filter(isNodeMetrics);
  }

  private async readLive<T>(key: (node: number) => string): Promise<T[]> {
    const live = await this.registry.liveNodes();
    if (live.length === 0) return [];
    // One GET each: on a Redis Cluster each node's keys are in its own slot (no cross-slot MGET).
    const values = await Promise.all(live.map((n) => this.redis.get(key(n.id))));
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as T);
  }
}
