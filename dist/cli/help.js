import { readFileSync } from 'node:fs';
import { SETTING_KEYS, settingOf } from '../shared/config-table.js';
import { envName, flagName } from '../shared/config.js';
import { objectNames } from '../shared/config-sources.js';
/**
 * `switchyard --help`: generated from the one settings table (config-table.ts), so a setting
 * added there is listed here with its flag, variable, config-file names, default and meaning.
 */
/** This package's version, from its package.json (one level above src/ and dist/). */
export function packageVersion() {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return pkg.version;
}
function defaultText(key) {
    const setting = settingOf(key);
    if (setting.default === undefined || (Array.isArray(setting.default) && setting.default.length === 0))
        return 'unset';
    return setting.machineDefault === true ? `${String(setting.default)} here` : String(setting.default);
}
export function helpText() {
    const lines = [
        `switchyard ${packageVersion()}: a Swoole-style multi-process WebSocket server`,
        '',
        'Usage:',
        '  switchyard [start] [--config FILE] [--setting value ...]   run the server (start is the default command)',
        '  switchyard stop --pid-file FILE      graceful shutdown of the master in FILE; waits for it to exit',
        '  switchyard status --pid-file FILE    the running master\'s figures as JSON (exit code 1: not running)',
        '  switchyard reload --pid-file FILE    new app code in every worker, connections kept; prints the report (exit 1: aborted)',
        '  switchyard drain --pid-file FILE     readiness and new connections 503, established ones closed 1012 over --drain-seconds',
        '  switchyard --help | --version',
        '',
        '  --config FILE   settings from a .json, .js, .mjs or .ts file (env SWITCHYARD_CONFIG); our names or',
        "                  Swoole's snake_case ones (worker_num, package_max_length, ...)",
        '',
        'Precedence: defaults < --config file < the app module\'s `settings` export < environment < flags.',
        'Booleans: --flag, --flag=false or --no-flag. Bad values stop the start with exit code 2.',
        '',
        'Settings (flag, environment variable, config-file names, default):',
    ];
    for (const key of SETTING_KEYS) {
        const field = settingOf(key);
        const value = field.kind === 'int' || field.kind === 'number' ? 'N' : field.kind === 'enum' ? field.values.join('|') : field.kind === 'list' ? 'A,B' : 'VALUE';
        const flag = field.kind === 'bool' ? `--[no-]${flagName(key).slice(2)}` : `${flagName(key)} ${value}`;
        const names = objectNames(key).join(' / ');
        lines.push(`  ${flag}`, `      ${field.help}`, `      env ${envName(key)}, file ${names}, default ${defaultText(key)}`);
    }
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=help.js.map