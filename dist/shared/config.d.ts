/**
 * Every setting in one place, with its default and the reason for it. Swoole's names are kept
 * where Swoole has the setting (and its units: heartbeat and wait times in seconds).
 */
export interface Config {
    host: string;
    port: number;
    /** pino level: fatal, error, warn, info, debug, trace, silent. */
    logLevel: string;
    /** Module that registers the app's callbacks; undefined runs the default echo app. */
    app: string | undefined;
    /** The master writes its pid here (Swoole's pid_file); `switchyard stop|status` find it there. */
    pidFile: string | undefined;
    /** Redis URL of the multi-node bus (also REDIS_URL); unset: one node, embedded bus only. A URL
     * with a password is a secret: give it by redisUrlFile or the environment rather than a flag. */
    redis: string | undefined;
    /** A file whose one line is the Redis URL (kept out of `ps`; see secrets.ts). */
    redisUrlFile: string | undefined;
    /** Key and channel prefix in Redis: nodes with the same name form one cluster. */
    clusterName: string;
    /** Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7) for the bus, as Redis Cluster wants. */
    redisSharded: boolean;
    /** A node whose lease is not refreshed for this long (ms) is dead: its sessions vanish. */
    nodeTtlMs: number;
    /** Bearer token for the default app's POST /push/:fd and /broadcast; unset turns them off. A
     * secret: give it by adminTokenFile or SWITCHYARD_ADMIN_TOKEN rather than a flag. */
    adminToken: string | undefined;
    /** A file whose one line is the admin token (kept out of `ps`; see secrets.ts). */
    adminTokenFile: string | undefined;
    /** Worker processes (Swoole worker_num); each holds a stable slot 0..workers-1. */
    workers: number;
    /** Swoole's dispatch_mode: 1 round-robin, 2 fd-mod, 3 idle worker, 4 ip-hash, 8 least-connections. */
    dispatchMode: 1 | 2 | 3 | 4 | 8;
    /**
     * V8's young-generation semi-space of each worker, in MiB (node's --max-semi-space-size);
     * 0 leaves V8's default (up to 16 MiB, grown under allocation bursts and kept).
     */
    workerSemiSpaceMb: number;
    /**
     * Largest message accepted, reassembled and inflated (RFC 6455 §10.4); beyond it close 1009.
     * Also the raw bytes a connection may have read ahead of its parser (flow-control.ts).
     */
    packageMaxLength: number;
    /** Negotiate permessage-deflate (RFC 7692) when the client offers it. */
    websocketCompression: boolean;
    /** Messages shorter than this are sent uncompressed: deflate costs more than it saves on them. */
    compressionThreshold: number;
    /** Forget our compression context after each message: no 300 KiB zlib window kept per connection. */
    serverNoContextTakeover: boolean;
    clientNoContextTakeover: boolean;
    serverMaxWindowBits: number;
    clientMaxWindowBits: number;
    /** A connection's first request head (upgrade or not) must arrive within this (ms); else 408 and close. */
    handshakeTimeoutMs: number;
    /** After a plain HTTP response, the next request head must arrive within this (ms), else the connection is closed (Node's keepAliveTimeout). */
    keepAliveTimeoutMs: number;
    /** A plain HTTP request body must be complete within this (ms) of its head; else 408 and close. */
    bodyTimeoutMs: number;
    /** Request line + headers cap (bytes); larger requests get 431. */
    maxHeaderSize: number;
    /**
     * Connections per process that are not WebSockets (yet): reading a request, in plain HTTP or
     * keep-alive, or waiting for an async handshake hook; a connection beyond it gets 503 at once.
     */
    maxPendingHandshakes: number;
    /** Established connections per process; beyond it new upgrades get 503. */
    maxConnection: number;
    /** Seconds between idle scans; 0 disables the heartbeat (Swoole heartbeat_check_interval). */
    heartbeatCheckInterval: number;
    /** Seconds without inbound traffic after which a connection is closed (Swoole heartbeat_idle_time). */
    heartbeatIdleTime: number;
    /** Seconds between server pings (0: never); the round trip is reported by getClientInfo. */
    pingInterval: number;
    /** How long (ms) a call to another worker (pushAsync, exist, getFdsByUid, ...) waits for its answer. */
    busTimeoutMs: number;
    /** Calls to other workers awaiting their answer, per worker; beyond it a call is `congested` at once. */
    busMaxPendingRequests: number;
    /** What the embedded bus may hold for one peer worker (bytes plus per-message bookkeeping); beyond it sends are `congested`. */
    embeddedBusMaxQueuedBytes: number;
    /** What a worker's publishes awaiting Redis may hold (bytes plus ~2.5 KiB of bookkeeping each); beyond it sends are `congested`. */
    redisBusMaxPendingBytes: number;
    /** Seconds a graceful shutdown waits for closing handshakes before forcing (Swoole max_wait_time). */
    maxWaitTime: number;
    /** How long (ms) we wait for the peer's close frame / TCP close before destroying the socket. */
    closeTimeoutMs: number;
    /** Bytes queued for one connection, control frames included, before the buffer policy applies (Swoole buffer_output_size). */
    bufferOutputSize: number;
    /** Queued bytes above which `bufferFull` fires and pushes report `queued`. */
    bufferHighWatermark: number;
    /**
     * Over bufferOutputSize: drop the message (or ping, pong) and stop reading the connection
     * until its output is back at bufferHighWatermark, or close the slow consumer (1008).
     */
    bufferFullPolicy: 'drop' | 'close';
    /** Unsettled async app callbacks per connection before we stop reading from its socket. */
    maxPendingCallbacks: number;
    /**
     * Frames one connection may have parsed per event-loop turn; then it stops reading and goes
     * on in the next turn, so a flooding client cannot hold the loop from everyone else.
     */
    readBudgetFrames: number;
    /** Payload bytes one connection may have parsed per event-loop turn (checked between frames). */
    readBudgetBytes: number;
    /** Swoole's open_websocket_*_frame: deliver these control frames to `message` instead of handling them. */
    openWebsocketPingFrame: boolean;
    openWebsocketPongFrame: boolean;
    openWebsocketCloseFrame: boolean;
}
export declare const DEFAULT_CONFIG: Readonly<Config>;
export type Kind = 'int' | 'number' | 'bool' | 'string' | 'enum' | 'dispatch';
export interface Field {
    kind: Kind;
    min?: number;
    max?: number;
    values?: readonly string[];
    optional?: boolean;
    pattern?: RegExp;
    patternHint?: string;
}
export declare const FIELDS: Readonly<Record<keyof Config, Field>>;
/**
 * The prefix of every Redis key of the cluster. With --redis-sharded (Redis Cluster) it is a
 * hash tag, {name}, so registry, session table, stats and bus channels share one slot: the
 * Lua scripts stay single-slot and one connection to that slot's master reaches them all.
 */
export declare function redisKeyPrefix(config: Pick<Config, 'clusterName' | 'redisSharded'>): string;
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