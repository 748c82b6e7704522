import { type Config } from '../shared/config.ts';
import type { AppSetup } from '../worker/app-contract.ts';
/**
 * Every source of settings, lowest first: defaults < `--config` file < the app's `settings`
 * export < environment < flags. Loads the app module on the way (its settings are a layer).
 * Throws one ConfigError listing every problem of every source.
 */
export declare function resolveSettings(flags: readonly string[], configFile: string | undefined, env: NodeJS.ProcessEnv): Promise<{
    config: Config;
    setup: AppSetup;
}>;
//# sourceMappingURL=resolve-config.d.ts.map