import { availableParallelism } from 'node:os';
import { CLUSTER_NAME } from './redis-keys.js';
import { ORIGIN_ENTRY } from './protocol/origin-check.js';
/** Swoole's dispatch_mode numbers, and the names we accept for them. */
export const DISPATCH_MODES = { 'round-robin': 1, 'fd-mod': 2, 'idle-worker': 3, 'ip-hash': 4, 'least-connections': 8 };
/** TLS versions a client may use at least (Node's names). */
export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const SETTINGS = {
    host: { kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
    port: {
        kind: 'int', min: 0, max: 65535,
        default: 9501, // Swoole's examples' port: familiar to our users
        help: 'port to listen on (0: any free port; the listening line tells which)',
    },
    /** pino level: fatal, error, warn, info, debug, trace, silent. */
    logLevel: { kind: 'enum', values: LOG_LEVELS, wide: true, default: 'info', help: 'pino level: fatal, error, warn, info, debug, trace, silent (JSON lines on stdout)' },
    /** Module that registers the app's callbacks; undefined runs the default echo app. */
    app: {
        kind: 'string', optional: true, path: true, default: undefined,
        help: 'module whose default export registers the callbacks (.js, .mjs, or .ts with tsx installed); unset: the default app',
    },
    /** The master writes its pid here (Swoole's pid_file); `switchyard stop|status` find it there. */
    pidFile: {
        kind: 'string', optional: true, path: true,
        default: undefined, // no file unless asked: several servers may share a directory
        help: "file the master writes its pid to (Swoole's pid_file); switchyard stop|status read it",
    },
    /** Redis URL of the multi-node bus (also REDIS_URL); unset: one node, embedded bus only. A URL
     * with a password is a secret: give it by redisUrlFile or the environment rather than a flag. */
    redis: {
        kind: 'string', optional: true, default: undefined,
        list: true, // a config file may give the seeds of a Redis Cluster as an array
        help: 'Redis URL of the multi-node bus and session table (also REDIS_URL), or a Redis Cluster\'s seed URLs, comma-separated; with a password, a secret: prefer --redis-url-file',
    },
    /** A file whose one line is the Redis URL (kept out of `ps`; see secrets.ts). */
    redisUrlFile: { kind: 'string', optional: true, path: true, default: undefined, help: 'file whose one line is the Redis URL (keeps a password out of ps)' },
    /** Key and channel prefix in Redis: nodes with the same name form one cluster. */
    clusterName: {
        kind: 'string', pattern: CLUSTER_NAME,
        patternHint: '1-64 letters, digits, dots, dashes or underscores (it prefixes Redis keys and channels)',
        default: 'switchyard',
        help: 'key and channel prefix in Redis: nodes with the same name form one cluster',
    },
    /** Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7) for the bus, as Redis Cluster wants. */
    redisSharded: { kind: 'bool', default: false, help: 'sharded pub/sub (SPUBLISH/SSUBSCRIBE) for the Redis bus' },
    /** --redis is a Redis Cluster: without it, one is detected (INFO cluster on the first seed that answers). */
    redisCluster: {
        kind: 'bool',
        default: false, // detected: a user pointing at a cluster needs no second flag
        help: 'treat --redis as a Redis Cluster without asking it (otherwise detected by INFO cluster); its seeds: --redis url1,url2,...',
    },
    /** A node whose lease is not refreshed for this long (ms) is dead: its sessions vanish. */
    nodeTtlMs: {
        kind: 'int', min: 300,
        default: 10_000, // the bound; refreshed every third of it
        help: 'a node silent this long (ms) is dead: its sessions vanish',
    },
    /** Bearer token for the default app's POST /push/:fd and /broadcast; unset turns them off. A
     * secret: give it by adminTokenFile or SWITCHYARD_ADMIN_TOKEN rather than a flag. */
    adminToken: {
        kind: 'string', optional: true, default: undefined,
        help: "Bearer token of the default app's POST /push/:fd and POST /broadcast (off without it); a secret: prefer --admin-token-file or the variable",
    },
    /** A file whose one line is the admin token (kept out of `ps`; see secrets.ts). */
    adminTokenFile: { kind: 'string', optional: true, path: true, default: undefined, help: 'file whose one line is the admin token (keeps it out of ps)' },
    /** Shared secret of the Redis bus: every message carries an HMAC with it, one without a valid
     * one is dropped (src/shared/bus/mac.ts). Every node and emitter of the cluster needs the same.
     * A secret: give it by busSecretFile or SWITCHYARD_BUS_SECRET rather than a flag. */
    busSecret: {
        kind: 'string', optional: true,
        pattern: /^.{16,}$/, patternHint: 'at least 16 characters (a random string: openssl rand -hex 32)',
        default: undefined, // off: a Redis only the cluster can reach needs none (README, "Authenticated bus")
        help: 'shared secret that signs every Redis bus message (unsigned ones are dropped); a secret: prefer --bus-secret-file or SWITCHYARD_BUS_SECRET',
    },
    /** A file whose one line is the bus secret (kept out of `ps`; see secrets.ts). */
    busSecretFile: { kind: 'string', optional: true, path: true, default: undefined, help: 'file whose one line is the bus secret (keeps it out of ps)' },
    /** The master's admin server (metrics, health, the HTTP push API: README "Admin server"); unset: off. */
    adminPort: {
        kind: 'int', min: 0, max: 65535, optional: true,
        default: undefined, // off unless asked: it is a second port to secure
        help: "port of the master's admin server (/metrics, /healthz, /readyz, the push API); 0: any free port; unset: off",
    },
    /** Where the admin server listens. Without an adminToken it starts only on loopback. */
    adminHost: {
        kind: 'string',
        default: '127.0.0.1', // loopback: only this machine reaches the admin API unless asked otherwise
        help: 'address of the admin server; without --admin-token only a loopback address is accepted',
    },
    /** Bearer token GET /metrics asks for; unset: /metrics needs no token. A secret, as adminToken. */
    metricsToken: {
        kind: 'string', optional: true, default: undefined,
        help: 'Bearer token of the admin server\'s GET /metrics (unset: no token needed there); a secret: prefer --metrics-token-file or the variable',
    },
    /** A file whose one line is the metrics token (kept out of `ps`; see secrets.ts). */
    metricsTokenFile: { kind: 'string', optional: true, path: true, default: undefined, help: 'file whose one line is the metrics token (keeps it out of ps)' },
    /** Worker processes (Swoole worker_num); each holds a stable slot 0..workers-1. */
    workers: {
        kind: 'int', min: 1, max: 256, aliases: ['worker_num'], machineDefault: true,
        default: Math.min(availableParallelism(), 256),
        help: "worker processes (Swoole's worker_num; default: the machine's available parallelism)",
    },
    /** Swoole's dispatch_mode: 1 round-robin, 2 fd-mod, 3 idle worker, 4 ip-hash, 8 least-connections. */
    dispatchMode: {
        kind: 'dispatch',
        // Not Swoole's default (fd-mod): WebSocket connections live long, and least-connections
        // keeps workers even after closes where fd-mod and round-robin drift apart.
        default: 8,
        help: 'worker for a new connection: 1 round-robin, 2 fd-mod, 3 idle-worker, 4 ip-hash, 8 least-connections',
    },
    /**
     * V8's young-generation semi-space of each worker, in MiB (node's --max-semi-space-size);
     * 0 leaves V8's default (up to 16 MiB, grown under allocation bursts and kept).
     */
    workerSemiSpaceMb: {
        kind: 'int', min: 0, max: 1024,
        // Measured here: idle memory per connection 10 KiB -> under 4 KiB (V8 keeps a young
        // generation grown by a handshake storm), and echo as fast or faster (a small nursery stays
        // in cache). Big-message loads may want more.
        default: 1,
        help: "V8 young-generation semi-space of each worker in MiB (0: V8's default)",
    },
    /**
     * Proxies whose word on the client's address is believed: addresses, CIDR ranges (IPv4,
     * IPv6; IPv4-mapped IPv6 peers match IPv4 ranges) or loopback, linklocal, uniquelocal,
     * comma-separated. Their Forwarded / X-Forwarded-For headers (rightmost untrusted hop) and,
     * with proxyProtocol, their PROXY headers give remoteAddress; anyone else's are ignored.
     */
    trustProxy: {
        kind: 'string', optional: true,
        list: true, // a config file may give the proxies as an array
        default: undefined, // nobody: a header any client can write is not an address
        help: 'proxies (addresses, CIDRs, loopback|linklocal|uniquelocal; comma-separated) whose Forwarded/X-Forwarded-For and PROXY headers give the client address',
    },
    /**
     * The master reads a PROXY protocol header (v1 or v2) from every connection of a trustProxy
     * source before dispatching; a connection without a valid one is closed and counted. Other
     * sources are handed over unread (a PROXY header from them gets 400 from the HTTP parser).
     */
    proxyProtocol: {
        kind: 'bool',
        default: false, // only behind a proxy configured to send it (HAProxy send-proxy, nginx proxy_protocol on)
        help: 'read a PROXY protocol v1/v2 header from trustProxy sources before dispatching (needs --trust-proxy)',
    },
    /** A trusted source's PROXY header must be complete within this (ms) of the accept, else the connection is closed. */
    proxyHeaderTimeoutMs: {
        kind: 'int', min: 1,
        default: 5_000, // a proxy sends the header with or before the client's first bytes: this bounds a stuck one
        help: 'a PROXY protocol header must be complete within this (ms) of the accept, else the connection is closed and counted',
    },
    /**
     * Largest message accepted, reassembled and inflated (RFC 6455 §10.4); beyond it close 1009.
     * Also the raw bytes a connection may have read ahead of its parser (flow-control.ts).
     */
    packageMaxLength: {
        kind: 'int', min: 126, max: Number.MAX_SAFE_INTEGER,
        default: 2 * 1024 * 1024, // Swoole's default package_max_length
        help: 'largest message in bytes, reassembled and inflated; beyond it close 1009. Also the bytes a connection may have read ahead of its parser',
    },
    /** Negotiate permessage-deflate (RFC 7692) when the client offers it. */
    websocketCompression: { kind: 'bool', default: true, help: 'negotiate permessage-deflate' },
    /** Messages shorter than this are sent uncompressed: deflate costs more than it saves on them. */
    compressionThreshold: {
        kind: 'int', min: 0,
        default: 1024, // as ws: below ~1 KiB deflate rarely pays off
        help: 'messages shorter than this (bytes) are sent uncompressed',
    },
    /** Forget our compression context after each message: no 300 KiB zlib window kept per connection. */
    serverNoContextTakeover: {
        kind: 'bool',
        default: false, // better ratio by default; zlib contexts are created lazily
        help: 'forget our compression context after each message (less memory, worse ratio)',
    },
    clientNoContextTakeover: { kind: 'bool', default: false, help: 'ask clients to forget theirs after each message' },
    serverMaxWindowBits: { kind: 'int', min: 9, max: 15, default: 15, help: 'largest LZ77 window we agree to use (9-15)' },
    clientMaxWindowBits: { kind: 'int', min: 9, max: 15, default: 15, help: 'largest LZ77 window we agree the client uses (9-15)' },
    /** A connection's first request head (upgrade or not) must arrive within this (ms); else 408 and close. */
    handshakeTimeoutMs: {
        kind: 'int', min: 1,
        default: 10_000, // a real client sends its upgrade in one packet
        help: "a connection's first request head must be complete within this (ms), else 408 and close",
    },
    /** An async handshake hook must settle within this (ms), else the client gets 503 and the late answer is ignored. */
    handshakeHookTimeoutMs: {
        kind: 'int', min: 1,
        default: 10_000, // an auth lookup that slow is down: the socket is not held for it
        help: 'an async handshake hook must settle within this (ms), else 503 with Retry-After and the late answer is ignored',
    },
    /** After a plain HTTP response, the next request head must arrive within this (ms), else the connection is closed (Node's keepAliveTimeout). */
    keepAliveTimeoutMs: {
        kind: 'int', min: 1,
        default: 5_000, // Node's default: a client reusing a connection does so at once
        help: 'an HTTP keep-alive connection must start its next head within this (ms) of the last response, else it is closed',
    },
    /** A plain HTTP request body must be complete within this (ms) of its head; else 408 and close. */
    bodyTimeoutMs: {
        kind: 'int', min: 1,
        default: 30_000, // a body up to packageMaxLength (2 MiB) at 70 KiB/s; a trickle is not held longer
        help: "a plain request's body must be complete within this (ms) of its head, else 408 and close",
    },
    /** Request line + headers cap (bytes); larger requests get 431. */
    maxHeaderSize: {
        kind: 'int', min: 1024,
        default: 16 * 1024, // Node's own default
        help: 'request head cap in bytes; beyond it 431',
    },
    /**
     * Connections per process that are not WebSockets (yet): reading a request, in plain HTTP or
     * keep-alive, or waiting for an async handshake hook; a connection beyond it gets 503 at once.
     */
    maxPendingHandshakes: {
        kind: 'int', min: 1,
        default: 4096, // bounds what an accept flood, trickling clients or a slow auth hook can pin (each holds up to maxHeaderSize)
        help: 'connections per process not yet WebSockets (reading a request, plain HTTP, keep-alive, async hooks); beyond it 503',
    },
    /**
     * TCP connections of the whole node (every worker), counted by the master from hand-off to
     * close, WebSocket or not (Swoole's max_connection counts every connection); beyond it the
     * master answers 503 with Retry-After before hand-off.
     */
    maxConnection: {
        kind: 'int', min: 1, aliases: ['max_conn'],
        default: 100_000,
        help: "TCP connections of the whole node (all workers, WebSocket or not, counted by the master); beyond it the master answers 503",
    },
    /** Connections one client address may hold on this node; beyond it the master answers 429. 0: no limit. */
    maxConnectionsPerIp: {
        kind: 'int', min: 0,
        default: 0, // off: behind a proxy or a carrier NAT many clients share one address
        help: 'connections one client address may hold on this node (0: no limit); beyond it 429 with Retry-After',
    },
    /** New connections per second per client address (a token bucket of connectionRateBurst); beyond it 429. 0: no limit. */
    connectionRateLimit: {
        kind: 'number', min: 0,
        default: 0, // off, as maxConnectionsPerIp: shared addresses would be throttled together
        help: 'new connections per second per client address, a token bucket (0: no limit); beyond it 429 with Retry-After',
    },
    /** The token bucket's size: connections an address may open at once before the rate applies. */
    connectionRateBurst: {
        kind: 'int', min: 1,
        default: 20, // a browser opening a few tabs, a reconnect storm of one client's sockets
        help: 'connections an address may open at once before connectionRateLimit applies',
    },
    /** Client addresses whose rate-limit state the master keeps; beyond it the least recently seen is forgotten. */
    maxTrackedAddresses: {
        kind: 'int', min: 16,
        default: 65_536, // ~100 bytes each: 6.5 MB at most, whatever number of addresses a flood uses
        help: 'client addresses whose rate-limit buckets the master keeps (the least recently seen beyond it is forgotten)',
    },
    /** Sessions one uid may have bound in the cluster; a bind beyond it closes the oldest with 4429. 0: no limit. */
    maxConnectionsPerUid: {
        kind: 'int', min: 0,
        default: 0, // off: how many devices a user may use is the app's policy
        help: "sessions bound to one uid in the cluster (Centrifugo's user_connection_limit; 0: no limit); a bind beyond it closes the oldest with 4429",
    },
    /**
     * Origins a WebSocket handshake may come from (RFC 6454 serialized: scheme://host[:port]),
     * `*.` patterns for subdomains; another origin gets 403 before any hook. Empty: no check.
     */
    allowedOrigins: {
        kind: 'list', pattern: ORIGIN_ENTRY,
        patternHint: 'origins such as https://example.com, https://*.example.com:8443 or *.example.com, comma-separated',
        default: [], // no check, as ws: a browser-facing app should set it (cross-site WebSocket hijacking)
        help: 'origins a WebSocket handshake may come from (https://app.example.com, https://*.example.com, comma-separated); others get 403. Unset: no check',
    },
    /** With allowedOrigins: a handshake without an Origin header (non-browser clients) gets 403 too. */
    requireOrigin: {
        kind: 'bool',
        default: false, // non-browser clients (ws, curl, servers) send no Origin, and are no CSWSH risk
        help: 'refuse WebSocket handshakes without an Origin header (403)',
    },
    /** Seconds between idle scans; 0 disables the heartbeat (Swoole heartbeat_check_interval). */
    heartbeatCheckInterval: { kind: 'number', min: 0, default: 0, help: 'seconds between idle scans (0: off; set alone, the idle time is twice it)' },
    /** Seconds without inbound traffic after which a connection is closed (Swoole heartbeat_idle_time). */
    heartbeatIdleTime: { kind: 'number', min: 0, default: 0, help: 'seconds without inbound traffic before close 1001 (0: off; set alone, checks run at half of it)' },
    /** Seconds between server pings (0: never); the round trip is reported by getClientInfo. */
    pingInterval: { kind: 'number', min: 0, default: 0, help: 'seconds between server pings (0: never)' },
    /** How long (ms) a call to another worker (pushAsync, exist, getFdsByUid, ...) waits for its answer. */
    busTimeoutMs: {
        kind: 'int', min: 1,
        default: 3_000, // a live worker answers in microseconds; this only bounds a dead one
        help: 'how long (ms) a call to another worker waits for its answer',
    },
    /** Calls to other workers awaiting their answer, per worker; beyond it a call is `congested` at once. */
    busMaxPendingRequests: {
        kind: 'int', min: 1,
        // A call waits ~1 ms for a live owner, so this binds only when answers stop coming (an owner
        // dead without leaving): 16k calls of ~1 KiB each (0.85 KB measured with its promise chain).
        default: 16_384,
        help: 'calls to other workers awaiting an answer, per worker; beyond it a call answers congested',
    },
    /** What the embedded bus may hold for one peer worker (bytes plus per-message bookkeeping); beyond it sends are `congested`. */
    embeddedBusMaxQueuedBytes: {
        kind: 'int', min: 64 * 1024,
        // A peer that has not taken 8 MiB is not keeping up (a few hundred ms of a slow worker's backlog).
        default: 8 * 1024 * 1024,
        help: 'what the embedded bus may hold for one peer worker (bytes plus bookkeeping); beyond it sends are congested',
    },
    /** What a worker's publishes awaiting Redis may hold (bytes plus ~2.5 KiB of bookkeeping each); beyond it sends are `congested`. */
    redisBusMaxPendingBytes: {
        kind: 'int', min: 64 * 1024,
        // Redis lets a subscriber fall 32 MiB behind (client-output-buffer-limit pubsub): more in
        // flight could not be delivered anyway. About 12,000 small publishes.
        default: 32 * 1024 * 1024,
        help: 'what publishes awaiting Redis may hold per worker (counted at what they cost); beyond it sends are congested',
    },
    /** Seconds a graceful shutdown waits for closing handshakes before forcing (Swoole max_wait_time). */
    maxWaitTime: {
        kind: 'number', min: 0,
        default: 3, // Swoole's default
        help: 'seconds a graceful shutdown waits for closing handshakes',
    },
    /** Swoole's max_request: a worker that has handled this many messages is replaced by a zero-drop reload of its slot (0: never). */
    maxRequest: {
        kind: 'int', min: 0,
        default: 0, // Swoole's default: never
        help: 'messages a worker handles before it is replaced, connections kept (0: never)',
    },
    /** Seconds a worker lives before it is replaced the same way (0: forever). */
    maxWorkerLifetime: {
        kind: 'number', min: 0,
        default: 0,
        help: 'seconds a worker lives before it is replaced, connections kept (0: forever)',
    },
    /** `switchyard drain` / server.drain(): the window over which established connections are closed with 1012. */
    drainSeconds: {
        kind: 'number', min: 0,
        default: 30,
        help: 'seconds over which a drain closes the established connections (1012), evenly spread',
    },
    /** How long (ms) we wait for the peer's close frame / TCP close before destroying the socket. */
    closeTimeoutMs: {
        kind: 'int', min: 1,
        default: 5_000, // as ws: long enough for a slow peer, short enough to free the socket
        help: "how long (ms) we wait for the peer's close frame / TCP close before destroying",
    },
    /** Bytes queued for one connection, control frames included, before the buffer policy applies (Swoole buffer_output_size). */
    bufferOutputSize: { kind: 'int', min: 1024, default: 4 * 1024 * 1024, help: 'bytes queued per connection before bufferFullPolicy applies' },
    /** Queued bytes above which `bufferFull` fires and pushes report `queued`. */
    bufferHighWatermark: { kind: 'int', min: 0, default: 1024 * 1024, help: 'queued bytes above which bufferFull fires and pushes report queued' },
    /**
     * Over bufferOutputSize: drop the message (or ping, pong) and stop reading the connection
     * until its output is back at bufferHighWatermark, or close the slow consumer (1008).
     */
    bufferFullPolicy: { kind: 'enum', values: ['drop', 'close'], default: 'drop', help: 'over bufferOutputSize: drop the message, or close the slow consumer (1008)' },
    /** Unsettled async app callbacks per connection before we stop reading from its socket. */
    maxPendingCallbacks: { kind: 'int', min: 1, default: 64, help: 'unsettled async callbacks per connection before reading pauses' },
    /**
     * Frames one connection may have parsed per event-loop turn; then it stops reading and goes
     * on in the next turn, so a flooding client cannot hold the loop from everyone else.
     */
    readBudgetFrames: {
        kind: 'int', min: 1,
        // A fraction of a millisecond of echo work. Measured (npm run load:fairness, 5 flooders on
        // 2 workers): a probe's echo p50 0.4-0.7 ms at 256, 4-5 ms at 1024; pipelining clients
        // (16 messages a read) never reach it.
        default: 256,
        help: 'frames a connection may have parsed per event-loop turn before the rest waits for the next turn',
    },
    /** Payload bytes one connection may have parsed per event-loop turn (checked between frames). */
    readBudgetBytes: {
        kind: 'int', min: 1,
        default: 256 * 1024, // 4 of libuv's 64 KiB reads; a larger frame is still taken whole
        help: 'payload bytes a connection may have parsed per event-loop turn before the rest waits for the next turn',
    },
    /** Certificate chain (PEM) of wss:// and https:// on the listening port; with sslKeyFile, TLS is on (README "TLS"). */
    sslCertFile: {
        kind: 'string', optional: true, path: true,
        default: undefined, // plain ws:// unless asked: TLS usually ends at a proxy in front
        help: "certificate chain (PEM) to serve wss:// and https:// with (Swoole's ssl_cert_file); needs --ssl-key-file",
    },
    /** Private key (PEM) of sslCertFile; checked against it at start and at every reload. */
    sslKeyFile: { kind: 'string', optional: true, path: true, default: undefined, help: "private key (PEM) of --ssl-cert-file (Swoole's ssl_key_file)" },
    /** CA certificates (PEM) that client certificates must chain to; with sslVerifyPeer clients must present one. */
    sslCaFile: {
        kind: 'string', optional: true, path: true, aliases: ['ssl_client_cert_file'],
        default: undefined,
        help: "CA certificates (PEM) client certificates are checked against (Swoole's ssl_client_cert_file)",
    },
    /** Ask every client for a certificate chaining to sslCaFile; a client without one fails the TLS handshake. */
    sslVerifyPeer: {
        kind: 'bool',
        default: false, // browsers have no client certificate: opt in for service-to-service links
        help: 'require a client certificate that chains to --ssl-ca-file (mutual TLS)',
    },
    /**
     * Host name -> { cert, key } files, chosen by the client's SNI (Swoole's ssl_sni_certs); a
     * `*.example.com` key matches one label. Others get sslCertFile. On the command line:
     * `host=cert.pem:key.pem,host2=cert2.pem:key2.pem` (or the same object as JSON).
     */
    sslSniCerts: {
        kind: 'sni', optional: true, path: true,
        default: undefined,
        help: "certificates by SNI host name: HOST=CERT:KEY[,HOST=CERT:KEY...] or a JSON object (Swoole's ssl_sni_certs)",
    },
    /** Oldest TLS version accepted. */
    sslMinVersion: {
        kind: 'enum', values: TLS_VERSIONS,
        default: 'TLSv1.2', // RFC 8996 deprecates 1.0 and 1.1; every browser speaks 1.2
        help: 'oldest TLS version accepted: TLSv1.2 or TLSv1.3',
    },
    /** Swoole's open_websocket_*_frame: deliver these control frames to `message` instead of handling them. */
    openWebsocketPingFrame: { kind: 'bool', default: false, help: 'deliver ping frames to message (the app answers them)' },
    openWebsocketPongFrame: { kind: 'bool', default: false, help: 'deliver pong frames to message' },
    openWebsocketCloseFrame: { kind: 'bool', default: false, help: 'deliver close frames to message (the app answers them)' },
};
/** The row of `key`, seen as a plain Setting (the table's literal types are for `Config`). */
export function settingOf(key) {
    return SETTINGS[key];
}
/** Every setting's name, in the table's order (that of --help). */
export const SETTING_KEYS = Object.keys(SETTINGS);
//# sourceMappingURL=config-table.js.map