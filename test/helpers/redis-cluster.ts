import { redisServerProblem } from '../../scripts/lib/redis.ts';
import { PrivateRedisCluster } from '../../scripts/lib/redis-cluster.ts';
import { externalTool } from './process.ts';

/** A real 6-node Redis Cluster of our own (scripts/lib/redis-cluster.ts), shared by the cluster test files. */
export { PrivateRedisCluster };

/** Whether redis-server can be run here (under CI=true a missing one fails the tests instead). */
export const redisServer = externalTool('Redis Cluster', redisServerProblem, 'apt-get install redis-server (7.0 or later: sharded pub/sub)');
