import { DISPATCH_MODES, SETTING_KEYS, SETTINGS, settingOf } from './config-table.js';
import { ConfigError } from './errors.js';
import { readSecretFiles } from './secrets.js';
import { isLoopbackHost } from './admin/admin-api.js';
import { checkTlsFiles, parseSniCerts } from './tls-files.js';
import { AddressSet } from './proxy/address-match.js';
export { DISPATCH_MODES, LOG_LEVELS, SETTING_KEYS, SETTINGS } from './config-table.js';
/** Every default, from the one settings table (config-table.ts, which gives each one's reason). */
export const DEFAULT_CONFIG = Object.freeze(Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].default])));
/** camelCase setting -> SWITCHYARD_SNAKE_CASE environment variable. */
export function envName(key) {
    return `SWITCHYARD_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
/** camelCase setting -> --kebab-case flag, so every message names what the user typed. */
export function flagName(key) {
    return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
function coerce(field, raw, problems, label) {
    if (raw === undefined)
        return undefined;
    switch (field.kind) {
        case 'bool': {
            if (typeof raw === 'boolean')
                return raw;
            if (raw === 'true' || raw === '1')
                return true;
            if (raw === 'false' || raw === '0')
                return false;
            problems.push(`${label}: expected true or false, got ${JSON.stringify(raw)}`);
            return undefined;
        }
        case 'int':
        case 'number': {
            const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
            if (!Number.isFinite(n) || (field.kind === 'int' && !Number.isInteger(n))) {
                problems.push(`${label}: expected ${field.kind === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
                return undefined;
            }
            if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
                problems.push(`${label}: ${n} is out of range [${field.min ?? '-inf'}, ${field.max ?? 'inf'}]`);
                return undefined;
            }
            return n;
        }
        case 'enum': {
            if (typeof raw === 'string' && field.values?.includes(raw))
                return raw;
            problems.push(`${label}: expected one of ${field.values?.join(', ')}, got ${JSON.stringify(raw)}`);
            return undefined;
        }
        case 'dispatch': {
            // Swoole's numbers, or their names.
            const byName = DISPATCH_MODES;
            const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? (byName[raw] ?? Number(raw)) : NaN;
            if (Object.values(byName).includes(n))
                return n;
            problems.push(`${label}: expected 1 (round-robin), 2 (fd-mod), 3 (idle-worker), 4 (ip-hash) or 8 (least-connections), got ${JSON.stringify(raw)}`);
            return undefined;
        }
        case 'list': {
            // An array (code, a JSON file) or a comma-separated string (a flag, a variable).
            const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((x) => x.trim()).filter((x) => x !== '') : null;
            if (items === null || items.some((x) => typeof x !== 'string' || x === '' || (field.pattern !== undefined && !field.pattern.test(x)))) {
                problems.push(`${label}: expected ${field.patternHint ?? 'a list of non-empty strings'}, got ${JSON.stringify(raw)}`);
                return undefined;
            }
            return Object.freeze([...items]);
        }
        case 'string': {
            if (field.list && Array.isArray(raw) && raw.length > 0 && raw.every((v) => typeof v === 'string' && v !== '' && !v.includes(',')))
                return raw.join(',');
            if (typeof raw === 'string' && raw !== '' && (!field.pattern || field.pattern.test(raw)))
                return raw;
            problems.push(`${label}: expected ${field.patternHint ?? 'a non-empty string'}, got ${JSON.stringify(raw)}`);
            return undefined;
        }
        case 'sni':
            return parseSniCerts(raw, problems, label);
    }
}
/**
 * Validates a partial config (from code) over the defaults. Throws one ConfigError listing
 * every problem, each naming the setting (and its flag).
 */
export function resolveConfig(input = {}, labelOf = (k) => `${k} (${flagName(k)})`) {
    const problems = [];
    const out = { ...DEFAULT_CONFIG };
    for (const [key, raw] of Object.entries(input)) {
        if (!Object.hasOwn(SETTINGS, key)) {
            problems.push(`${key}: unknown setting`);
            continue;
        }
        const value = coerce(settingOf(key), raw, problems, labelOf(key));
        if (value !== undefined)
            out[key] = value;
    }
    const cfg = out;
    readSecretFiles(cfg, (key) => input[key] !== undefined, labelOf, problems);
    // A missing file, a bad certificate or a key that does not match stops the start here,
    // before any worker is forked, naming the file.
    checkTlsFiles(cfg, labelOf, problems);
    if (cfg.bufferHighWatermark > cfg.bufferOutputSize) {
        problems.push(`bufferHighWatermark (${flagName('bufferHighWatermark')}) must not exceed bufferOutputSize (${cfg.bufferHighWatermark} > ${cfg.bufferOutputSize})`);
    }
    if (cfg.adminPort !== undefined && cfg.adminToken === undefined && !isLoopbackHost(cfg.adminHost)) {
        // Anyone who reaches that address could push to every session and disconnect them.
        problems.push(`${labelOf('adminPort')}: the admin server listens on ${cfg.adminHost} without an admin token: set ${labelOf('adminToken')} (or --admin-token-file), or keep --admin-host on loopback (127.0.0.1, ::1)`);
    }
    const trust = AddressSet.parse(cfg.trustProxy);
    if (trust.invalid.length > 0) {
        problems.push(`${labelOf('trustProxy')}: not an address, CIDR range or loopback|linklocal|uniquelocal: ${trust.invalid.map((e) => JSON.stringify(e)).join(', ')}`);
    }
    if (cfg.proxyProtocol && trust.set.empty && trust.invalid.length === 0) {
        // A PROXY header is believed only from a trusted source: without any, none would be.
        problems.push(`${labelOf('proxyProtocol')}: needs ${labelOf('trustProxy')} (the proxies whose PROXY headers are believed)`);
    }
    if (cfg.heartbeatIdleTime > 0 && cfg.heartbeatCheckInterval === 0) {
        // Swoole's rule: an idle time alone means "check at half of it".
        cfg.heartbeatCheckInterval = cfg.heartbeatIdleTime / 2;
    }
    if (cfg.heartbeatCheckInterval > 0 && cfg.heartbeatIdleTime === 0) {
        cfg.heartbeatIdleTime = cfg.heartbeatCheckInterval * 2;
    }
    if (problems.length > 0)
        throw new ConfigError(problems);
    return cfg;
}
/**
 * Parses command-line flags (--kebab-case for every setting, --no-x for booleans, `--flag v` or
 * `--flag=v`) over SWITCHYARD_* environment variables, over `layers` (lowest first: a config
 * file, then the app's settings). Unknown flags, missing values and bad values are all
 * collected and reported together.
 */
export function loadConfig(argv, env = process.env, layers = []) {
    const problems = [];
    const byFlag = new Map();
    for (const key of SETTING_KEYS)
        byFlag.set(flagName(key).slice(2), key);
    const input = {};
    const labels = {};
    for (const layer of layers) {
        Object.assign(input, layer.values);
        Object.assign(labels, layer.labels);
    }
    // The conventional variable, below our own.
    if (env.REDIS_URL !== undefined && env.REDIS_URL !== '') {
        input.redis = env.REDIS_URL;
        labels.redis = 'environment variable REDIS_URL';
    }
    for (const key of SETTING_KEYS) {
        const name = envName(key);
        if (env[name] !== undefined) {
            input[key] = env[name];
            labels[key] = `environment variable ${name}`;
        }
    }
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith('--') || arg === '--') {
            problems.push(`unexpected argument ${JSON.stringify(arg)}`);
            continue;
        }
        const eq = arg.indexOf('=');
        const name = arg.slice(2, eq === -1 ? undefined : eq);
        const inline = eq === -1 ? undefined : arg.slice(eq + 1);
        const negated = name.startsWith('no-') ? byFlag.get(name.slice(3)) : undefined;
        const key = byFlag.get(name) ?? negated;
        if (key === undefined) {
            problems.push(`--${name}: unknown flag`);
            continue;
        }
        if (SETTINGS[key].kind === 'bool') {
            if (negated !== undefined && inline !== undefined) {
                problems.push(`--${name}: takes no value`);
                continue;
            }
            input[key] = negated !== undefined ? false : (inline ?? true);
        }
        else if (inline !== undefined) {
            input[key] = inline;
        }
        else {
            const next = argv[i + 1];
            // A value may itself start with '-' (a negative number) but not with '--'.
            if (next === undefined || next.startsWith('--')) {
                problems.push(`--${name}: missing value`);
                continue;
            }
            input[key] = next;
            i++;
        }
        labels[key] = `--${name}`;
    }
    // A URL file given any way outranks the conventional variable, as our own settings do.
    if (input.redisUrlFile !== undefined && labels.redis === 'environment variable REDIS_URL') {
        delete input.redis;
        delete labels.redis;
    }
    let config;
    try {
        config = resolveConfig(input, (k) => labels[k] ?? k);
    }
    catch (err) {
        if (!(err instanceof ConfigError))
            throw err;
        problems.push(...err.problems);
    }
    if (problems.length > 0 || config === undefined)
        throw new ConfigError(problems);
    return config;
}
//# sourceMappingURL=config.js.map