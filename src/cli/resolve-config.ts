import { envName, loadConfig, type Config, type SettingsLayer } from '../shared/config.ts';
import { appSettingsLayer, loadConfigFile } from '../shared/config-sources.ts';
import { ConfigError } from '../shared/errors.ts';
import { importUserModule } from '../shared/load-module.ts';
import type { AppSetup } from '../worker/app-contract.ts';

const EMPTY: SettingsLayer = { values: {}, labels: {} };

/** The app's path as the settings will resolve it (flags, then environment, then the config file). */
function appPath(flags: readonly string[], env: NodeJS.ProcessEnv, file: SettingsLayer): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--app' && flags[i + 1] !== undefined && !flags[i + 1]!.startsWith('--')) found = flags[++i];
    else if (flags[i]!.startsWith('--app=')) found = flags[i]!.slice('--app='.length);
  }
  if (found !== undefined) return found;
  const fromEnv = env[envName('app')];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return typeof file.values.app === 'string' ? file.values.app : undefined;
}

/**
 * Every source of settings, lowest first: defaults < `--config` file < the app's `settings`
 * export < environment < flags. Loads the app module on the way (its settings are a layer).
 * Throws one ConfigError listing every problem of every source.
 */
export async function resolveSettings(flags: readonly string[], configFile: string | undefined, env: NodeJS.ProcessEnv): Promise<{ config: Config; setup: AppSetup }> {
  const problems: string[] = [];
  const file = configFile !== undefined ? await loadConfigFile(configFile, problems) : EMPTY;
  const app = appPath(flags, env, file);
  let setup: AppSetup | undefined;
  let appLayer = EMPTY;
  if (app === undefined) {
    setup = (await import('../worker/default-app.ts')).default;
  } else {
    try {
      const mod = await importUserModule(app, `--app ${app}`);
      if (typeof mod.default === 'function') setup = mod.default as AppSetup;
      else problems.push(`--app ${app}: the module must export a default function (server) => void`);
      appLayer = appSettingsLayer(mod.settings, app, problems);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  let config: Config | undefined;
  try {
    config = loadConfig([...flags], env, [file, appLayer]);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || config === undefined || setup === undefined) throw new ConfigError(problems);
  return { config, setup };
}
