import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { SETTING_KEYS, settingOf } from './config-table.js';
import { flagName } from './config.js';
import { ConfigError } from './errors.js';
import { importUserModule } from './load-module.js';
export function snakeName(key) {
    return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
/** Every name an object may use, mapped to the setting it means. */
const NAMES = new Map(SETTING_KEYS.flatMap((k) => [k, snakeName(k), ...(settingOf(k).aliases ?? [])].map((name) => [name, k])));
/** Every name a config object may give `key` under: ours, its snake_case form, Swoole's. */
export function objectNames(key) {
    return [...NAMES].filter(([, k]) => k === key).map(([name]) => name);
}
/** The setting a config-object key names (ours or Swoole's), or undefined. */
export function settingFor(name) {
    return NAMES.get(name);
}
/** Levenshtein distance, for "did you mean". */
function distance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++)
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row;
    }
    return prev[b.length];
}
/** The known name closest to `name` (case and separators ignored), in the same style (snake or camel). */
export function closestSetting(name) {
    const norm = (s) => s.toLowerCase().replace(/[-_]/g, '');
    const snake = name.includes('_');
    let best = '';
    let bestScore = Infinity;
    for (const candidate of NAMES.keys()) {
        if (candidate.includes('_') !== snake && /[A-Z_]/.test(candidate))
            continue;
        const score = distance(norm(name), norm(candidate));
        if (score < bestScore)
            [best, bestScore] = [candidate, score];
    }
    return best;
}
/**
 * One object of settings as a layer: keys mapped to settings, relative paths resolved against
 * `baseDir`. Every problem (unknown key, a setting named twice, not an object) goes to
 * `problems`, each naming the key and `source`; values are checked later with the rest.
 */
export function settingsLayer(object, source, baseDir, problems, forbidden = new Set()) {
    const layer = { values: {}, labels: {} };
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
        problems.push(`${source}: expected an object of settings, got ${object === null ? 'null' : Array.isArray(object) ? 'an array' : typeof object}`);
        return layer;
    }
    for (const [name, value] of Object.entries(object)) {
        const key = settingFor(name);
        const label = `"${name}" in ${source}`;
        if (key === undefined) {
            const near = closestSetting(name);
            const meaning = settingFor(near);
            problems.push(`${label}: unknown setting; the closest is "${near}"${meaning ? ` (${flagName(meaning)})` : ''}`);
            continue;
        }
        if (forbidden.has(key)) {
            problems.push(`${label}: not allowed here (give it as ${flagName(key)} or in a --config file)`);
            continue;
        }
        if (layer.labels[key] !== undefined) {
            problems.push(`${label}: the same setting as ${layer.labels[key]}; give it once`);
            continue;
        }
        layer.values[key] = settingOf(key).path === true ? resolvePaths(value, baseDir) : value;
        layer.labels[key] = label;
    }
    return layer;
}
/** A path setting's value with relative paths made relative to `baseDir`: a file name, or sslSniCerts' object of them. */
function resolvePaths(value, baseDir) {
    if (typeof value === 'string')
        return value === '' ? value : resolve(baseDir, value);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return value;
    return Object.fromEntries(Object.entries(value).map(([host, files]) => [host, resolvePaths(files, baseDir)]));
}
/** Loads a `--config` file: `.json`, or a module (`.js`, `.mjs`, `.cjs`, `.ts`, ...) whose default export (or `settings`) is the object. */
export async function loadConfigFile(path, problems) {
    const file = resolve(path);
    const label = `--config ${path}`;
    let object;
    try {
        if (extname(file).toLowerCase() === '.json') {
            object = JSON.parse(await readFile(file, 'utf8'));
        }
        else {
            const mod = await importUserModule(file, label);
            object = mod.default ?? mod.settings;
        }
    }
    catch (err) {
        if (err instanceof ConfigError)
            problems.push(...err.problems);
        else
            problems.push(`${label}: cannot read the settings (${err.message.split('\n')[0]})`);
        return { values: {}, labels: {} };
    }
    return settingsLayer(object, path, dirname(file), problems);
}
/** An app module's `settings` export as a layer (it may not choose the app itself). */
export function appSettingsLayer(settings, appPath, problems) {
    if (settings === undefined)
        return { values: {}, labels: {} };
    return settingsLayer(settings, `the settings of ${appPath}`, dirname(resolve(appPath)), problems, new Set(['app']));
}
//# sourceMappingURL=config-sources.js.map