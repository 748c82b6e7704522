import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { PrivateRedis } from '../../scripts/lib/redis.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Probe for externalTool(): null when Redis answers PING at REDIS_URL, else what is wrong.
 * Synchronous (it runs while vitest collects tests), in a child process with a deadline.
 */
export function redisProbe(): string | null {
  const url = new URL(REDIS_URL);
  const script = `const s=require('net').connect(${Number(url.port || 6379)},${JSON.stringify(url.hostname)});
s.on('connect',()=>s.write('PING\\r\\n'));s.on('data',(d)=>process.exit(String(d).startsWith('+PONG')?0:1));
s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),2000);`;
  const r = spawnSync(process.execPath, ['-e', script], { timeout: 5000 });
  return r.status === 0 ? null : `no Redis answering PING at ${REDIS_URL}`;
}

/** A private redis-server on a free port, for outage tests (never the shared one): the client kit's. */
export { PrivateRedis };

/** Deletes every key under `prefix:` on the shared Redis (a test's random cluster name). */
export async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true });
  try {
    await client.connect();
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
  } finally {
    client.disconnect();
  }
}
