import cluster from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { NodeRegistry } from './shared/bus/node-registry.ts';
import { RedisSessionTable } from './shared/session-table/redis-session-table.ts';
import { blockEndingAt, MAX_SLOTS, SEQ_BLOCK, type SeqBlock } from './shared/session-id.ts';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Master } from './master/master.ts';
import { RedisPeerStats } from './master/peer-stats.ts';
import { ENV_BUS_DIR, ENV_NODE, ENV_SLOT } from './shared/cluster-messages.ts';
import { loadConfig, type Config } from './shared/config.ts';
import type { MasterHooks } from './shared/dispatch-types.ts';
import { ConfigError } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';
import defaultApp from './worker/default-app.ts';
import type { AllCallbacks, AppHost, AppSetup } from './worker/server.ts';
import { runWorker } from './worker/worker-main.ts';

async function loadApp(config: Config): Promise<AppSetup> {
  if (!config.app) return defaultApp;
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(config.app)).href)) as { default?: unknown };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError([`--app ${config.app}: cannot load the module (${e.code ?? e.name}: ${e.message.split('\n')[0]})`]);
  }
  if (typeof mod.default !== 'function') {
    throw new ConfigError([`--app ${config.app}: the module must export a default function (server) => void`]);
  }
  return mod.default as AppSetup;
}

/** The app's `server` in the master: keeps the master-only hooks, ignores worker callbacks. */
function masterFacade(config: Config): { host: AppHost; hooks: MasterHooks } {
  const hooks: MasterHooks = {};
  const host: AppHost = {
    isMaster: true,
    config,
    on<E extends keyof AllCallbacks>(event: E, callback: AllCallbacks[E]) {
      const cb = callback as (...args: unknown[]) => unknown;
      switch (event) {
        case 'start':
          hooks.start = (info) => cb(host, info);
          break;
        case 'shutdown':
          hooks.shutdown = () => cb(host);
          break;
        case 'workerError':
          hooks.workerError = (...args) => void cb(host, ...args);
          break;
        case 'workerExit':
          hooks.workerExit = (...args) => void cb(host, ...args);
          break;
        case 'dispatch':
          hooks.dispatch = callback as MasterHooks['dispatch'];
          break;
      }
      return host;
    },
  };
  return { host, hooks };
}

async function main(): Promise<void> {
  let config: Config;
  let setup: AppSetup;
  try {
    config = loadConfig(process.argv.slice(2));
    setup = await loadApp(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      // Workers re-read the same flags: only the master reports them.
      if (cluster.isPrimary) process.stderr.write(`switchyard: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  if (!cluster.isPrimary) {
    await runWorker(config, setup, {
      slot: Number(process.env[ENV_SLOT]),
      node: Number(process.env[ENV_NODE] ?? 0),
      busDir: process.env[ENV_BUS_DIR] ?? '',
    });
    return;
  }

  const log = createLogger(config.logLevel, { role: 'master' });
  const { host, hooks } = masterFacade(config);
  await setup(host);
  // The embedded bus's sockets live in a private directory, removed when the master stops.
  const busDir = mkdtempSync(join(tmpdir(), 'switchyard-'));
  let registry: NodeRegistry | null = null;
  let redis: Redis | null = null;
  if (config.redis) {
    try {
      redis = new Redis(config.redis, { lazyConnect: true, maxRetriesPerRequest: 2 });
      redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis (node registry) error'));
      await redis.connect();
      registry = await NodeRegistry.join(redis, config.clusterName, { host: hostname(), pid: process.pid, workers: config.workers }, config.nodeTtlMs, { log });
      log.info({ event: 'node-joined', node: registry.id, cluster: config.clusterName }, 'joined the cluster');
    } catch (err) {
      log.fatal({ err: (err as Error).message, redis: config.redis }, 'cannot join the cluster through Redis');
      process.exit(1);
    }
  }
  let purger: NodeJS.Timeout | null = null;
  if (registry && redis) {
    // Sessions of dead nodes: hidden from reads at once, removed here (any node may do it; it is idempotent).
    const reg = registry;
    const table = new RedisSessionTable({ redis, prefix: config.clusterName, isAlive: (n) => reg.isAlive(n), log });
    // An earlier incarnation of this node id may have had more workers than we have now.
    for (let slot = config.workers; slot < MAX_SLOTS; slot++) await table.purgeWorker(reg.id, slot).catch(() => 0);
    purger = setInterval(() => {
      table.purgeDeadNodes().then(
        (nodes) => nodes.length > 0 && log.info({ event: 'dead-nodes-purged', nodes }, 'sessions of dead nodes purged'),
        (err: Error) => log.warn({ err: err.message }, 'dead-node purge failed'),
      );
    }, Math.max(500, Math.floor(config.nodeTtlMs / 2)));
    purger.unref();
  }
  const cleanup = async () => {
    if (purger) clearInterval(purger);
    await registry?.leave().catch(() => {});
    redis?.disconnect();
    rmSync(busDir, { recursive: true, force: true });
  };
  // Multi-node: leases of session-id blocks, so a reused node id never reissues an fd.
  let seqLease: { seqBlock: SeqBlock; nextSeqBlock: () => Promise<SeqBlock> } | null = null;
  if (registry && redis) {
    const key = `${config.clusterName}:seq:${registry.id}`;
    const client = redis;
    const nextSeqBlock = async () => blockEndingAt(await client.incrby(key, SEQ_BLOCK));
    try {
      seqLease = { seqBlock: await nextSeqBlock(), nextSeqBlock };
    } catch (err) {
      log.fatal({ err: (err as Error).message }, 'cannot lease session ids from Redis');
      await cleanup();
      process.exit(1);
    }
  }
  const master: Master = new Master(config, log, hooks, {
    nodeId: registry?.id ?? 0,
    ...(seqLease ?? {}),
    busDir,
    ...(registry && redis ? { peers: new RedisPeerStats(redis, config.clusterName, registry) } : {}),
    onStopped: () => void cleanup().then(() => process.exit(0)),
  });
  if (registry) {
    // Another node holds our id now: two nodes must never share one. Stop cleanly.
    registry.onLost = (reason) => void master.shutdown(`node id lost: ${reason}`);
  }
  try {
    await master.start();
  } catch (err) {
    log.fatal({ err }, 'cannot listen');
    await cleanup();
    process.exit(1);
  }
  // A worker's server.shutdown() takes the same path (see Master).
  process.on('SIGTERM', () => void master.shutdown('SIGTERM'));
  process.on('SIGINT', () => void master.shutdown('SIGINT'));
}

await main();
