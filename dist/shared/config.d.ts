import { type Config } from './config-table.ts';
export { DISPATCH_MODES, LOG_LEVELS, SETTING_KEYS, SETTINGS, type Config, type DispatchMode, type Kind, type Setting, type SettingKey } from './config-table.ts';
/** Every default, from the one settings table (config-table.ts, which gives each one's reason). */
export declare const DEFAULT_CONFIG: Readonly<Config>;
/** camelCase setting -> SWITCHYARD_SNAKE_CASE environment variable. */
export declare function envName(key: string): string;
/** Settings from one source below the environment (a config file, an app's `settings`), each with its label. */
export interface SettingsLayer {
    values: Partial<Record<keyof Config, unknown>>;
    /** How each value is named in messages, e.g. `"worker_num" in ./switchyard.json`. */
    labels: Partial<Record<keyof Config, string>>;
}
/** camelCase setting -> --kebab-case flag, so every message names what the user typed. */
export declare function flagName(key: string): string;
/**
 * Validates a partial config (from code) over the defaults. Throws one ConfigError listing
 * every problem, each naming the setting (and its flag).
 */
export declare function resolveConfig(input?: Partial<Record<keyof Config, unknown>>, labelOf?: (k: string) => string): Config;
/**
 * Parses command-line flags (--kebab-case for every setting, --no-x for booleans, `--flag v` or
 * `--flag=v`) over SWITCHYARD_* environment variables, over `layers` (lowest first: a config
 * file, then the app's settings). Unknown flags, missing values and bad values are all
 * collected and reported together.
 */
export declare function loadConfig(argv: string[], env?: NodeJS.ProcessEnv, layers?: readonly SettingsLayer[]): Config;
//# sourceMappingURL=config.d.ts.map