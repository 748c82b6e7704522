import cluster from 'node:cluster';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENV_BUS_DIR, ENV_NODE, ENV_SLOT } from './shared/cluster-messages.ts';
import { ENV_HANDOFF_FD } from './shared/handoff-wire.ts';
import { loadConfig, type Config } from './shared/config.ts';
import { ConfigError } from './shared/errors.ts';
import { forgetWorkerSecretEnv } from './shared/secrets.ts';
import type { AppSetup } from './worker/server-types.ts';

/** `npm start`: the same file runs as the master and, forked by it, as every worker. */

async function loadApp(config: Config): Promise<AppSetup> {
  if (!config.app) return (await import('./worker/default-app.ts')).default;
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
  // Each role loads only its own code: a worker never loads the master's, and the reverse.
  if (cluster.isPrimary) {
    const { runMaster } = await import('./master/main.ts');
    await runMaster(config, setup);
    return;
  }
  // The master handed this worker its secrets in the environment: the app's own child
  // processes need not inherit them (they are in server.config).
  forgetWorkerSecretEnv();
  const { runWorker } = await import('./worker/worker-main.ts');
  await runWorker(config, setup, {
    slot: Number(process.env[ENV_SLOT]),
    node: Number(process.env[ENV_NODE] ?? 0),
    busDir: process.env[ENV_BUS_DIR] ?? '',
    handoffFd: Number(process.env[ENV_HANDOFF_FD]),
  });
}

await main();
