import { SETTINGS, type SettingKey } from './config-table.ts';
import { type Config, type SettingsLayer } from './config.ts';
/**
 * Settings from objects: a `--config` file and an app module's `settings` export (Swoole's
 * `$server->set([...])`). Our camelCase names and Swoole's snake_case ones are both accepted, so a
 * Swoole user can paste a `set()` array; an unknown key is refused with the closest known name.
 */
/** Settings as code gives them: any subset of Config. */
export type Settings = Partial<Config>;
type Snake<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}` : S;
type Aliases<K extends SettingKey> = (typeof SETTINGS)[K] extends {
    aliases: readonly (infer A extends string)[];
} ? A : never;
/** The same settings under Swoole's snake_case names (`package_max_length`, ...), and its own
 * names where they differ (the table's aliases: `worker_num`, `max_conn`). */
export type SwooleSettings = {
    [K in keyof Config as Snake<K>]?: Config[K];
} & {
    [K in SettingKey as Aliases<K>]?: Config[K];
};
/** What a config file or an app's `export const settings` may hold: either naming, or both mixed. */
export type AppSettings = Settings & SwooleSettings;
export declare function snakeName(key: string): string;
/** Every name a config object may give `key` under: ours, its snake_case form, Swoole's. */
export declare function objectNames(key: keyof Config): string[];
/** The setting a config-object key names (ours or Swoole's), or undefined. */
export declare function settingFor(name: string): keyof Config | undefined;
/** The known name closest to `name` (case and separators ignored), in the same style (snake or camel). */
export declare function closestSetting(name: string): string;
/**
 * One object of settings as a layer: keys mapped to settings, relative paths resolved against
 * `baseDir`. Every problem (unknown key, a setting named twice, not an object) goes to
 * `problems`, each naming the key and `source`; values are checked later with the rest.
 */
export declare function settingsLayer(object: unknown, source: string, baseDir: string, problems: string[], forbidden?: ReadonlySet<keyof Config>): SettingsLayer;
/** Loads a `--config` file: `.json`, or a module (`.js`, `.mjs`, `.cjs`, `.ts`, ...) whose default export (or `settings`) is the object. */
export declare function loadConfigFile(path: string, problems: string[]): Promise<SettingsLayer>;
/** An app module's `settings` export as a layer (it may not choose the app itself). */
export declare function appSettingsLayer(settings: unknown, appPath: string, problems: string[]): SettingsLayer;
export {};
//# sourceMappingURL=config-sources.d.ts.map