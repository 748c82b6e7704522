import { availableParallelism } from 'node:os';
import { ConfigError } from './errors.js';
import { readSecretFiles } from './secrets.js';
export const DEFAULT_CONFIG = Object.freeze({
    host: '127.0.0.1',
    port: 9501, // Swoole's examples' port: familiar to our users
    logLevel: 'info',
    app: undefined,
    pidFile: undefined, // no file unless asked: several servers may share a directory
    redis: undefined,
    redisUrlFile: undefined,
    clusterName: 'switchyard',
    redisSharded: false,
    nodeTtlMs: 10_000, // the issue's bound; refreshed every third of it
    adminToken: undefined,
    adminTokenFile: undefined,
    workers: Math.min(availableParallelism(), 256),
    // Not Swoole's default (fd-mod): WebSocket connections live long, and least-connections
    // keeps workers even after closes where fd-mod and round-robin drift apart.
    dispatchMode: 8,
    // Measured here: idle memory per connection 10 KiB -> under 4 KiB (V8 keeps a young
    // generation grown by a handshake storm), and echo as fast or faster (a small nursery stays
    // in cache). Big-message loads may want more.
    workerSemiSpaceMb: 1,
    packageMaxLength: 2 * 1024 * 1024, // Swoole's default package_max_length
    websocketCompression: true,
    compressionThreshold: 1024, // as ws: below ~1 KiB deflate rarely pays off
    serverNoContextTakeover: false, // better ratio by default; zlib contexts are created lazily
    clientNoContextTakeover: false,
    serverMaxWindowBits: 15,
    clientMaxWindowBits: 15,
    handshakeTimeoutMs: 10_000, // a real client sends its upgrade in one packet
    keepAliveTimeoutMs: 5_000, // Node's default: a client reusing a connection does so at once
    bodyTimeoutMs: 30_000, // a body up to packageMaxLength (2 MiB) at 70 KiB/s; a trickle is not held longer
    maxHeaderSize: 16 * 1024, // Node's own default
    maxPendingHandshakes: 4096, // bounds what an accept flood, trickling clients or a slow auth hook can pin (each holds up to maxHeaderSize)
    maxConnection: 100_000,
    heartbeatCheckInterval: 0,
    heartbeatIdleTime: 0,
    pingInterval: 0,
    busTimeoutMs: 3_000, // a live worker answers in microseconds; this only bounds a dead one
    // A call waits ~1 ms for a live owner, so this binds only when answers stop coming (an owner
    // dead without leaving): 16k calls of ~1 KiB each (0.85 KB measured with its promise chain).
    busMaxPendingRequests: 16_384,
    // A peer that has not taken 8 MiB is not keeping up (a few hundred ms of a slow worker's backlog).
    embeddedBusMaxQueuedBytes: 8 * 1024 * 1024,
    // Redis lets a subscriber fall 32 MiB behind (client-output-buffer-limit pubsub): more in
    // flight could not be delivered anyway. About 12,000 small publishes.
    redisBusMaxPendingBytes: 32 * 1024 * 1024,
    maxWaitTime: 3, // Swoole's default
    closeTimeoutMs: 5_000, // as ws: long enough for a slow peer, short enough to free the socket
    bufferOutputSize: 4 * 1024 * 1024,
    bufferHighWatermark: 1024 * 1024,
    bufferFullPolicy: 'drop',
    maxPendingCallbacks: 64,
    // A fraction of a millisecond of echo work. Measured (npm run load:fairness, 5 flooders on
    // 2 workers): a probe's echo p50 0.4-0.7 ms at 256, 4-5 ms at 1024; pipelining clients
    // (16 messages a read) never reach it.
    readBudgetFrames: 256,
    readBudgetBytes: 256 * 1024, // 4 of libuv's 64 KiB reads; a larger frame is still taken whole
    openWebsocketPingFrame: false,
    openWebsocketPongFrame: false,
    openWebsocketCloseFrame: false,
});
export const FIELDS = {
    host: { kind: 'string' },
    port: { kind: 'int', min: 0, max: 65535 },
    logLevel: { kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    app: { kind: 'string', optional: true },
    pidFile: { kind: 'string', optional: true },
    redis: { kind: 'string', optional: true },
    redisUrlFile: { kind: 'string', optional: true },
    clusterName: { kind: 'string', pattern: /^[A-Za-z0-9_.-]{1,64}$/, patternHint: '1-64 letters, digits, dots, dashes or underscores (it prefixes Redis keys and channels)' },
    redisSharded: { kind: 'bool' },
    nodeTtlMs: { kind: 'int', min: 300 },
    adminToken: { kind: 'string', optional: true },
    adminTokenFile: { kind: 'string', optional: true },
    workers: { kind: 'int', min: 1, max: 256 },
    dispatchMode: { kind: 'dispatch' },
    workerSemiSpaceMb: { kind: 'int', min: 0, max: 1024 },
    packageMaxLength: { kind: 'int', min: 126, max: Number.MAX_SAFE_INTEGER },
    websocketCompression: { kind: 'bool' },
    compressionThreshold: { kind: 'int', min: 0 },
    serverNoContextTakeover: { kind: 'bool' },
    clientNoContextTakeover: { kind: 'bool' },
    serverMaxWindowBits: { kind: 'int', min: 9, max: 15 },
    clientMaxWindowBits: { kind: 'int', min: 9, max: 15 },
    handshakeTimeoutMs: { kind: 'int', min: 1 },
    keepAliveTimeoutMs: { kind: 'int', min: 1 },
    bodyTimeoutMs: { kind: 'int', min: 1 },
    maxHeaderSize: { kind: 'int', min: 1024 },
    maxPendingHandshakes: { kind: 'int', min: 1 },
    maxConnection: { kind: 'int', min: 1 },
    heartbeatCheckInterval: { kind: 'number', min: 0 },
    heartbeatIdleTime: { kind: 'number', min: 0 },
    pingInterval: { kind: 'number', min: 0 },
    busTimeoutMs: { kind: 'int', min: 1 },
    busMaxPendingRequests: { kind: 'int', min: 1 },
    embeddedBusMaxQueuedBytes: { kind: 'int', min: 64 * 1024 },
    redisBusMaxPendingBytes: { kind: 'int', min: 64 * 1024 },
    maxWaitTime: { kind: 'number', min: 0 },
    closeTimeoutMs: { kind: 'int', min: 1 },
    bufferOutputSize: { kind: 'int', min: 1024 },
    bufferHighWatermark: { kind: 'int', min: 0 },
    bufferFullPolicy: { kind: 'enum', values: ['drop', 'close'] },
    maxPendingCallbacks: { kind: 'int', min: 1 },
    readBudgetFrames: { kind: 'int', min: 1 },
    readBudgetBytes: { kind: 'int', min: 1 },
    openWebsocketPingFrame: { kind: 'bool' },
    openWebsocketPongFrame: { kind: 'bool' },
    openWebsocketCloseFrame: { kind: 'bool' },
};
/**
 * The prefix of every Redis key of the cluster. With --redis-sharded (Redis Cluster) it is a
 * hash tag, {name}, so registry, session table, stats and bus channels share one slot: the
 * Lua scripts stay single-slot and one connection to that slot's master reaches them all.
 */
export function redisKeyPrefix(config) {
    return config.redisSharded ? `{${config.clusterName}}` : config.clusterName;
}
/** camelCase setting -> SWITCHYARD_SNAKE_CASE environment variable. */
export function envName(key) {
    return `SWITCHYARD_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
/** camelCase setting -> --kebab-case flag, so every message names what the user typed. */
export function flagName(key) {
    return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
function coerce(key, field, raw, problems, label) {
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
            const byName = { 'round-robin': 1, 'fd-mod': 2, 'idle-worker': 3, 'ip-hash': 4, 'least-connections': 8 };
            const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? (byName[raw] ?? Number(raw)) : NaN;
            if ([1, 2, 3, 4, 8].includes(n))
                return n;
            problems.push(`${label}: expected 1 (round-robin), 2 (fd-mod), 3 (idle-worker), 4 (ip-hash) or 8 (least-connections), got ${JSON.stringify(raw)}`);
            return undefined;
        }
        case 'string': {
            if (typeof raw === 'string' && raw !== '' && (!field.pattern || field.pattern.test(raw)))
                return raw;
            problems.push(`${label}: expected ${field.patternHint ?? 'a non-empty string'}, got ${JSON.stringify(raw)}`);
            return undefined;
        }
    }
    void key;
}
/**
 * Validates a partial config (from code) over the defaults. Throws one ConfigError listing
 * every problem, each naming the setting (and its flag).
 */
export function resolveConfig(input = {}, labelOf = (k) => `${k} (${flagName(k)})`) {
    const problems = [];
    const out = { ...DEFAULT_CONFIG };
    for (const [key, raw] of Object.entries(input)) {
        const field = FIELDS[key];
        if (!field) {
            problems.push(`${key}: unknown setting`);
            continue;
        }
        const value = coerce(key, field, raw, problems, labelOf(key));
        if (value !== undefined)
            out[key] = value;
    }
    const cfg = out;
    readSecretFiles(cfg, (key) => input[key] !== undefined, labelOf, problems);
    if (cfg.bufferHighWatermark > cfg.bufferOutputSize) {
        problems.push(`bufferHighWatermark (${flagName('bufferHighWatermark')}) must not exceed bufferOutputSize (${cfg.bufferHighWatermark} > ${cfg.bufferOutputSize})`);
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
    for (const key of Object.keys(FIELDS))
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
    for (const key of Object.keys(FIELDS)) {
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
        const field = FIELDS[key];
        if (field.kind === 'bool') {
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