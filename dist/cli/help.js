import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, envName, FIELDS, flagName } from '../shared/config.js';
import { objectNames } from '../shared/config-sources.js';
/**
 * `switchyard --help`: generated from the one settings table (config.ts), so a setting added
 * there is listed here with its flag, variable and default; its meaning is the one line below
 * (typed over every setting: a new one without a line does not compile).
 */
const MEANING = {
    host: 'address to listen on',
    port: 'port to listen on (0: any free port; the listening line tells which)',
    logLevel: 'pino level: fatal, error, warn, info, debug, trace, silent (JSON lines on stdout)',
    app: 'module whose default export registers the callbacks (.js, .mjs, or .ts with tsx installed); unset: the default app',
    pidFile: "file the master writes its pid to (Swoole's pid_file); switchyard stop|status read it",
    redis: 'Redis URL of the multi-node bus and session table (also REDIS_URL); with a password, a secret: prefer --redis-url-file',
    redisUrlFile: 'file whose one line is the Redis URL (keeps a password out of ps)',
    clusterName: 'key and channel prefix in Redis: nodes with the same name form one cluster',
    redisSharded: 'sharded pub/sub (SPUBLISH/SSUBSCRIBE) for the Redis bus',
    nodeTtlMs: 'a node silent this long (ms) is dead: its sessions vanish',
    adminToken: "Bearer token of the default app's POST /push/:fd and POST /broadcast (off without it); a secret: prefer --admin-token-file or the variable",
    adminTokenFile: 'file whose one line is the admin token (keeps it out of ps)',
    workers: "worker processes (Swoole's worker_num; default: the machine's available parallelism)",
    dispatchMode: 'worker for a new connection: 1 round-robin, 2 fd-mod, 3 idle-worker, 4 ip-hash, 8 least-connections',
    workerSemiSpaceMb: "V8 young-generation semi-space of each worker in MiB (0: V8's default)",
    packageMaxLength: 'largest message in bytes, reassembled and inflated; beyond it close 1009. Also the bytes a connection may have read ahead of its parser',
    websocketCompression: 'negotiate permessage-deflate',
    compressionThreshold: 'messages shorter than this (bytes) are sent uncompressed',
    serverNoContextTakeover: 'forget our compression context after each message (less memory, worse ratio)',
    clientNoContextTakeover: "ask clients to forget theirs after each message",
    serverMaxWindowBits: 'largest LZ77 window we agree to use (9-15)',
    clientMaxWindowBits: 'largest LZ77 window we agree the client uses (9-15)',
    handshakeTimeoutMs: 'a connection\'s first request head must be complete within this (ms), else 408 and close',
    keepAliveTimeoutMs: 'an HTTP keep-alive connection must start its next head within this (ms) of the last response, else it is closed',
    bodyTimeoutMs: 'a plain request\'s body must be complete within this (ms) of its head, else 408 and close',
    maxHeaderSize: 'request head cap in bytes; beyond it 431',
    maxPendingHandshakes: 'connections per process not yet WebSockets (reading a request, plain HTTP, keep-alive, async hooks); beyond it 503',
    maxConnection: 'established connections per process; beyond it 503 in the handshake',
    heartbeatCheckInterval: 'seconds between idle scans (0: off; set alone, the idle time is twice it)',
    heartbeatIdleTime: 'seconds without inbound traffic before close 1001 (0: off; set alone, checks run at half of it)',
    pingInterval: 'seconds between server pings (0: never)',
    busTimeoutMs: 'how long (ms) a call to another worker waits for its answer',
    busMaxPendingRequests: 'calls to other workers awaiting an answer, per worker; beyond it a call answers congested',
    embeddedBusMaxQueuedBytes: 'what the embedded bus may hold for one peer worker (bytes plus bookkeeping); beyond it sends are congested',
    redisBusMaxPendingBytes: 'what publishes awaiting Redis may hold per worker (counted at what they cost); beyond it sends are congested',
    maxWaitTime: 'seconds a graceful shutdown waits for closing handshakes',
    closeTimeoutMs: "how long (ms) we wait for the peer's close frame / TCP close before destroying",
    bufferOutputSize: 'bytes queued per connection before bufferFullPolicy applies',
    bufferHighWatermark: 'queued bytes above which bufferFull fires and pushes report queued',
    bufferFullPolicy: 'over bufferOutputSize: drop the message, or close the slow consumer (1008)',
    maxPendingCallbacks: 'unsettled async callbacks per connection before reading pauses',
    readBudgetFrames: 'frames a connection may have parsed per event-loop turn before the rest waits for the next turn',
    readBudgetBytes: 'payload bytes a connection may have parsed per event-loop turn before the rest waits for the next turn',
    openWebsocketPingFrame: 'deliver ping frames to message (the app answers them)',
    openWebsocketPongFrame: 'deliver pong frames to message',
    openWebsocketCloseFrame: 'deliver close frames to message (the app answers them)',
};
/** This package's version, from its package.json (one level above src/ and dist/). */
export function packageVersion() {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return pkg.version;
}
function defaultText(key) {
    const value = DEFAULT_CONFIG[key];
    if (value === undefined)
        return 'unset';
    if (key === 'workers')
        return `${String(value)} here`;
    return String(value);
}
export function helpText() {
    const lines = [
        `switchyard ${packageVersion()}: a Swoole-style multi-process WebSocket server`,
        '',
        'Usage:',
        '  switchyard [start] [--config FILE] [--setting value ...]   run the server (start is the default command)',
        '  switchyard stop --pid-file FILE      graceful shutdown of the master in FILE; waits for it to exit',
        '  switchyard status --pid-file FILE    the running master\'s figures as JSON (exit code 1: not running)',
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
    for (const key of Object.keys(FIELDS)) {
        const field = FIELDS[key];
        const value = field.kind === 'int' || field.kind === 'number' ? 'N' : field.kind === 'enum' ? field.values.join('|') : 'VALUE';
        const flag = field.kind === 'bool' ? `--[no-]${flagName(key).slice(2)}` : `${flagName(key)} ${value}`;
        const names = objectNames(key).join(' / ');
        lines.push(`  ${flag}`, `      ${MEANING[key]}`, `      env ${envName(key)}, file ${names}, default ${defaultText(key)}`);
    }
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=help.js.map