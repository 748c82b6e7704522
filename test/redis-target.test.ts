import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/shared/config.ts';
import { ConfigError, ClusterError } from '../src/shared/errors.ts';
import { parseEndpoint, resolveRedisTarget, splitRedisUrls } from '../src/shared/redis-target.ts';
import { externalTool } from './helpers/process.ts';
import { REDIS_URL, redisProbe } from './helpers/redis.ts';

describe('--redis: one URL or a Redis Cluster\'s seeds', () => {
  it('splits a comma-separated list and reads each URL', () => {
    expect(splitRedisUrls('redis://a:7001, redis://b:7002,')).toEqual(['redis://a:7001', 'redis://b:7002']);
    expect(parseEndpoint('rediss://u:p%40ss@h:7000/2')).toEqual({ host: 'h', port: 7000, username: 'u', password: 'p@ss', db: 2, tls: true });
    expect(() => parseEndpoint('h:7000')).toThrow(ClusterError);
  });

  it('a config file may give the seeds as an array', () => {
    expect(resolveConfig({ redis: ['redis://a:7001', 'redis://b:7002'] }).redis).toBe('redis://a:7001,redis://b:7002');
    expect(() => resolveConfig({ redis: [] })).toThrow(ConfigError);
    expect(resolveConfig({ redisCluster: true }).redisCluster).toBe(true);
  });

  it('several seeds that do not answer still mean a cluster; --redis-cluster skips asking', async () => {
    expect((await resolveRedisTarget('redis://127.0.0.1:1,redis://127.0.0.1:2')).cluster).toBe(true);
    expect((await resolveRedisTarget('redis://127.0.0.1:1', true)).cluster).toBe(true);
    expect((await resolveRedisTarget('redis://127.0.0.1:1')).cluster).toBe(false);
  });

  const redis = externalTool('Redis', redisProbe, 'start redis-server on 127.0.0.1:6379 or set REDIS_URL');
  it.runIf(redis.run)('a standalone Redis is detected as one (INFO cluster)', async () => {
    const t = await resolveRedisTarget(REDIS_URL);
    expect(t.cluster).toBe(false);
    expect(t.urls).toEqual([REDIS_URL]);
  });
});
