import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './shared/config.ts';
import { ConfigError } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';
import defaultApp from './worker/default-app.ts';
import { Server } from './worker/server.ts';

/** An app module's default export: registers callbacks on the server (run in every worker). */
export type AppSetup = (server: Server) => void | Promise<void>;

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

async function main(): Promise<void> {
  let config: Config;
  let setup: AppSetup;
  try {
    config = loadConfig(process.argv.slice(2));
    setup = await loadApp(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchyard: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, { role: 'server', slot: 0 });
  const server = new Server(config, { logger: log });
  await setup(server);
  try {
    await server.listen();
  } catch (err) {
    log.fatal({ err }, 'cannot listen');
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'signal received');
    void server.shutdown(config.maxWaitTime * 1000).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
