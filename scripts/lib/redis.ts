/**
 * The shared Redis as the load scripts use it: a probe that answers a client or null, and a
 * run's keys deleted afterwards.
 */
import { Redis } from 'ioredis';

/** A client of the shared Redis, or null when it does not answer PING within 1.5 s. */
export async function redisClient(url: string): Promise<Redis | null> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') throw new Error('no PONG');
    return client;
  } catch {
    client.disconnect();
    return null;
  }
}

/** Deletes `prefix:*` (a cluster's keys); returns how many. */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  for (let i = 0; i < 10_000; i++) {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await client.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
}
