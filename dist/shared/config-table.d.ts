/**
 * Every setting once: its default (with the reason for it), its type and validation, its line
 * in `switchyard --help`, and the other names a config object may give it. `DEFAULT_CONFIG`,
 * validation (config.ts), `--help` (cli/help.ts), config-file names (config-sources.ts) and the
 * typed `Config` are all derived from this table; the README's settings table is checked
 * against it (test/config-table.test.ts). Swoole's names are kept where Swoole has the setting
 * (and its units: heartbeat and wait times in seconds).
 */
/** How a raw value (a flag, a variable, a config-file value) is read and checked. */
export type Kind = 'int' | 'number' | 'bool' | 'string' | 'enum' | 'dispatch' | 'sni' | 'list';
/** A certificate and its key, by file (sslSniCerts' values). */
export interface CertFiles {
    cert: string;
    key: string;
}
/** sslSniCerts: host name (or `*.example.com`) -> its certificate and key files. */
export type SniCerts = Record<string, CertFiles>;
/** One row of the table. */
export interface Setting {
    readonly kind: Kind;
    readonly default: unknown;
    /** The setting's line in `switchyard --help`. */
    readonly help: string;
    readonly min?: number;
    readonly max?: number;
    /** An enum's accepted values. */
    readonly values?: readonly string[];
    /** A string (or an int) that may be unset (undefined). */
    readonly optional?: boolean;
    /** A string's pattern; a list's: each element's. */
    readonly pattern?: RegExp;
    /** What the pattern asks for, in the words of the error message. */
    readonly patternHint?: string;
    /** An enum typed `string` in Config (its values are checked, its type stays as users had it). */
    readonly wide?: boolean;
    /** Other names a config object may use: Swoole's, where it is not ours in snake_case. */
    readonly aliases?: readonly string[];
    /** Names a file: a relative path in a config object is relative to that object's file. */
    readonly path?: boolean;
    /** A string that a config object may give as an array of strings too (joined with commas). */
    readonly list?: boolean;
    /** The default depends on the machine: --help says so. */
    readonly machineDefault?: boolean;
}
/** Swoole's dispatch_mode numbers, and the names we accept for them. */
export declare const DISPATCH_MODES: {
    readonly 'round-robin': 1;
    readonly 'fd-mod': 2;
    readonly 'idle-worker': 3;
    readonly 'ip-hash': 4;
    readonly 'least-connections': 8;
};
export type DispatchMode = (typeof DISPATCH_MODES)[keyof typeof DISPATCH_MODES];
/** TLS versions a client may use at least (Node's names). */
export declare const TLS_VERSIONS: readonly ['TLSv1.2', 'TLSv1.3'];
export declare const LOG_LEVELS: readonly ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export declare const SETTINGS: {
    readonly host: {
        readonly kind: 'string';
        readonly default: '127.0.0.1';
        readonly help: 'address to listen on';
    };
    readonly port: {
        readonly kind: 'int';
        readonly min: 0;
        readonly max: 65535;
        readonly default: 9501;
        readonly help: 'port to listen on (0: any free port; the listening line tells which)';
    };
    /** pino level: fatal, error, warn, info, debug, trace, silent. */
    readonly logLevel: {
        readonly kind: 'enum';
        readonly values: readonly ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
        readonly wide: true;
        readonly default: 'info';
        readonly help: 'pino level: fatal, error, warn, info, debug, trace, silent (JSON lines on stdout)';
    };
    /** Module that registers the app's callbacks; undefined runs the default echo app. */
    readonly app: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: 'module whose default export registers the callbacks (.js, .mjs, or .ts with tsx installed); unset: the default app';
    };
    /** The master writes its pid here (Swoole's pid_file); `switchyard stop|status` find it there. */
    readonly pidFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: "file the master writes its pid to (Swoole's pid_file); switchyard stop|status read it";
    };
    /** Redis URL of the multi-node bus (also REDIS_URL); unset: one node, embedded bus only. A URL
     * with a password is a secret: give it by redisUrlFile or the environment rather than a flag. */
    readonly redis: {
        readonly kind: 'string';
        readonly optional: true;
        readonly default: undefined;
        readonly list: true;
        readonly help: 'Redis URL of the multi-node bus and session table (also REDIS_URL), or a Redis Cluster\'s seed URLs, comma-separated; with a password, a secret: prefer --redis-url-file';
    };
    /** A file whose one line is the Redis URL (kept out of `ps`; see secrets.ts). */
    readonly redisUrlFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: 'file whose one line is the Redis URL (keeps a password out of ps)';
    };
    /** Key and channel prefix in Redis: nodes with the same name form one cluster. */
    readonly clusterName: {
        readonly kind: 'string';
        readonly pattern: RegExp;
        readonly patternHint: '1-64 letters, digits, dots, dashes or underscores (it prefixes Redis keys and channels)';
        readonly default: 'switchyard';
        readonly help: 'key and channel prefix in Redis: nodes with the same name form one cluster';
    };
    /** Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7) for the bus, as Redis Cluster wants. */
    readonly redisSharded: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'sharded pub/sub (SPUBLISH/SSUBSCRIBE) for the Redis bus';
    };
    /** --redis is a Redis Cluster: without it, one is detected (INFO cluster on the first seed that answers). */
    readonly redisCluster: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'treat --redis as a Redis Cluster without asking it (otherwise detected by INFO cluster); its seeds: --redis url1,url2,...';
    };
    /** A node whose lease is not refreshed for this long (ms) is dead: its sessions vanish. */
    readonly nodeTtlMs: {
        readonly kind: 'int';
        readonly min: 300;
        readonly default: 10000;
        readonly help: 'a node silent this long (ms) is dead: its sessions vanish';
    };
    /** Bearer token for the default app's POST /push/:fd and /broadcast; unset turns them off. A
     * secret: give it by adminTokenFile or SWITCHYARD_ADMIN_TOKEN rather than a flag. */
    readonly adminToken: {
        readonly kind: 'string';
        readonly optional: true;
        readonly default: undefined;
        readonly help: "Bearer token of the default app's POST /push/:fd and POST /broadcast (off without it); a secret: prefer --admin-token-file or the variable";
    };
    /** A file whose one line is the admin token (kept out of `ps`; see secrets.ts). */
    readonly adminTokenFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: 'file whose one line is the admin token (keeps it out of ps)';
    };
    /** Shared secret of the Redis bus: every message carries an HMAC with it, one without a valid
     * one is dropped (src/shared/bus/mac.ts). Every node and emitter of the cluster needs the same.
     * A secret: give it by busSecretFile or SWITCHYARD_BUS_SECRET rather than a flag. */
    readonly busSecret: {
        readonly kind: 'string';
        readonly optional: true;
        readonly pattern: RegExp;
        readonly patternHint: 'at least 16 characters (a random string: openssl rand -hex 32)';
        readonly default: undefined;
        readonly help: 'shared secret that signs every Redis bus message (unsigned ones are dropped); a secret: prefer --bus-secret-file or SWITCHYARD_BUS_SECRET';
    };
    /** A file whose one line is the bus secret (kept out of `ps`; see secrets.ts). */
    readonly busSecretFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: 'file whose one line is the bus secret (keeps it out of ps)';
    };
    /** The master's admin server (metrics, health, the HTTP push API: README "Admin server"); unset: off. */
    readonly adminPort: {
        readonly kind: 'int';
        readonly min: 0;
        readonly max: 65535;
        readonly optional: true;
        readonly default: undefined;
        readonly help: "port of the master's admin server (/metrics, /healthz, /readyz, the push API); 0: any free port; unset: off";
    };
    /** Where the admin server listens. Without an adminToken it starts only on loopback. */
    readonly adminHost: {
        readonly kind: 'string';
        readonly default: '127.0.0.1';
        readonly help: 'address of the admin server; without --admin-token only a loopback address is accepted';
    };
    /** Bearer token GET /metrics asks for; unset: /metrics needs no token. A secret, as adminToken. */
    readonly metricsToken: {
        readonly kind: 'string';
        readonly optional: true;
        readonly default: undefined;
        readonly help: 'Bearer token of the admin server\'s GET /metrics (unset: no token needed there); a secret: prefer --metrics-token-file or the variable';
    };
    /** A file whose one line is the metrics token (kept out of `ps`; see secrets.ts). */
    readonly metricsTokenFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: 'file whose one line is the metrics token (keeps it out of ps)';
    };
    /** Worker processes (Swoole worker_num); each holds a stable slot 0..workers-1. */
    readonly workers: {
        readonly kind: 'int';
        readonly min: 1;
        readonly max: 256;
        readonly aliases: readonly ["worker_num"];
        readonly machineDefault: true;
        readonly default: number;
        readonly help: "worker processes (Swoole's worker_num; default: the machine's available parallelism)";
    };
    /** Swoole's dispatch_mode: 1 round-robin, 2 fd-mod, 3 idle worker, 4 ip-hash, 8 least-connections. */
    readonly dispatchMode: {
        readonly kind: 'dispatch';
        readonly default: 8;
        readonly help: 'worker for a new connection: 1 round-robin, 2 fd-mod, 3 idle-worker, 4 ip-hash, 8 least-connections';
    };
    /**
     * V8's young-generation semi-space of each worker, in MiB (node's --max-semi-space-size);
     * 0 leaves V8's default (up to 16 MiB, grown under allocation bursts and kept).
     */
    readonly workerSemiSpaceMb: {
        readonly kind: 'int';
        readonly min: 0;
        readonly max: 1024;
        readonly default: 1;
        readonly help: "V8 young-generation semi-space of each worker in MiB (0: V8's default)";
    };
    /**
     * Proxies whose word on the client's address is believed: addresses, CIDR ranges (IPv4,
     * IPv6; IPv4-mapped IPv6 peers match IPv4 ranges) or loopback, linklocal, uniquelocal,
     * comma-separated. Their Forwarded / X-Forwarded-For headers (rightmost untrusted hop) and,
     * with proxyProtocol, their PROXY headers give remoteAddress; anyone else's are ignored.
     */
    readonly trustProxy: {
        readonly kind: 'string';
        readonly optional: true;
        readonly list: true;
        readonly default: undefined;
        readonly help: 'proxies (addresses, CIDRs, loopback|linklocal|uniquelocal; comma-separated) whose Forwarded/X-Forwarded-For and PROXY headers give the client address';
    };
    /**
     * The master reads a PROXY protocol header (v1 or v2) from every connection of a trustProxy
     * source before dispatching; a connection without a valid one is closed and counted. Other
     * sources are handed over unread (a PROXY header from them gets 400 from the HTTP parser).
     */
    readonly proxyProtocol: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'read a PROXY protocol v1/v2 header from trustProxy sources before dispatching (needs --trust-proxy)';
    };
    /** A trusted source's PROXY header must be complete within this (ms) of the accept, else the connection is closed. */
    readonly proxyHeaderTimeoutMs: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 5000;
        readonly help: 'a PROXY protocol header must be complete within this (ms) of the accept, else the connection is closed and counted';
    };
    /**
     * Largest message accepted, reassembled and inflated (RFC 6455 §10.4); beyond it close 1009.
     * Also the raw bytes a connection may have read ahead of its parser (flow-control.ts).
     */
    readonly packageMaxLength: {
        readonly kind: 'int';
        readonly min: 126;
        readonly max: number;
        readonly default: number;
        readonly help: 'largest message in bytes, reassembled and inflated; beyond it close 1009. Also the bytes a connection may have read ahead of its parser';
    };
    /** Negotiate permessage-deflate (RFC 7692) when the client offers it. */
    readonly websocketCompression: {
        readonly kind: 'bool';
        readonly default: true;
        readonly help: 'negotiate permessage-deflate';
    };
    /** Messages shorter than this are sent uncompressed: deflate costs more than it saves on them. */
    readonly compressionThreshold: {
        readonly kind: 'int';
        readonly min: 0;
        readonly default: 1024;
        readonly help: 'messages shorter than this (bytes) are sent uncompressed';
    };
    /** Forget our compression context after each message: no 300 KiB zlib window kept per connection. */
    readonly serverNoContextTakeover: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'forget our compression context after each message (less memory, worse ratio)';
    };
    readonly clientNoContextTakeover: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'ask clients to forget theirs after each message';
    };
    readonly serverMaxWindowBits: {
        readonly kind: 'int';
        readonly min: 9;
        readonly max: 15;
        readonly default: 15;
        readonly help: 'largest LZ77 window we agree to use (9-15)';
    };
    readonly clientMaxWindowBits: {
        readonly kind: 'int';
        readonly min: 9;
        readonly max: 15;
        readonly default: 15;
        readonly help: 'largest LZ77 window we agree the client uses (9-15)';
    };
    /** A connection's first request head (upgrade or not) must arrive within this (ms); else 408 and close. */
    readonly handshakeTimeoutMs: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 10000;
        readonly help: "a connection's first request head must be complete within this (ms), else 408 and close";
    };
    /** An async handshake hook must settle within this (ms), else the client gets 503 and the late answer is ignored. */
    readonly handshakeHookTimeoutMs: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 10000;
        readonly help: 'an async handshake hook must settle within this (ms), else 503 with Retry-After and the late answer is ignored';
    };
    /** After a plain HTTP response, the next request head must arrive within this (ms), else the connection is closed (Node's keepAliveTimeout). */
    readonly keepAliveTimeoutMs: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 5000;
        readonly help: 'an HTTP keep-alive connection must start its next head within this (ms) of the last response, else it is closed';
    };
    /** A plain HTTP request body must be complete within this (ms) of its head; else 408 and close. */
    readonly bodyTimeoutMs: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 30000;
        readonly help: "a plain request's body must be complete within this (ms) of its head, else 408 and close";
    };
    /** Request line + headers cap (bytes); larger requests get 431. */
    readonly maxHeaderSize: {
        readonly kind: 'int';
        readonly min: 1024;
        readonly default: number;
        readonly help: 'request head cap in bytes; beyond it 431';
    };
    /**
     * Connections per process that are not WebSockets (yet): reading a request, in plain HTTP or
     * keep-alive, or waiting for an async handshake hook; a connection beyond it gets 503 at once.
     */
    readonly maxPendingHandshakes: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 4096;
        readonly help: 'connections per process not yet WebSockets (reading a request, plain HTTP, keep-alive, async hooks); beyond it 503';
    };
    /**
     * TCP connections of the whole node (every worker), counted by the master from hand-off to
     * close, WebSocket or not (Swoole's max_connection counts every connection); beyond it the
     * master answers 503 with Retry-After before hand-off.
     */
    readonly maxConnection: {
        readonly kind: 'int';
        readonly min: 1;
        readonly aliases: readonly ["max_conn"];
        readonly default: 100000;
        readonly help: "TCP connections of the whole node (all workers, WebSocket or not, counted by the master); beyond it the master answers 503";
    };
    /** Connections one client address may hold on this node; beyond it the master answers 429. 0: no limit. */
    readonly maxConnectionsPerIp: {
        readonly kind: 'int';
        readonly min: 0;
        readonly default: 0;
        readonly help: 'connections one client address may hold on this node (0: no limit); beyond it 429 with Retry-After';
    };
    /** New connections per second per client address (a token bucket of connectionRateBurst); beyond it 429. 0: no limit. */
    readonly connectionRateLimit: {
        readonly kind: 'number';
        readonly min: 0;
        readonly default: 0;
        readonly help: 'new connections per second per client address, a token bucket (0: no limit); beyond it 429 with Retry-After';
    };
    /** The token bucket's size: connections an address may open at once before the rate applies. */
    readonly connectionRateBurst: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 20;
        readonly help: 'connections an address may open at once before connectionRateLimit applies';
    };
    /** Client addresses whose rate-limit state the master keeps; beyond it the least recently seen is forgotten. */
    readonly maxTrackedAddresses: {
        readonly kind: 'int';
        readonly min: 16;
        readonly default: 65536;
        readonly help: 'client addresses whose rate-limit buckets the master keeps (the least recently seen beyond it is forgotten)';
    };
    /** Sessions one uid may have bound in the cluster; a bind beyond it closes the oldest with 4429. 0: no limit. */
    readonly maxConnectionsPerUid: {
        readonly kind: 'int';
        readonly min: 0;
        readonly default: 0;
        readonly help: "sessions bound to one uid in the cluster (Centrifugo's user_connection_limit; 0: no limit); a bind beyond it closes the oldest with 4429";
    };
    /**
     * Origins a WebSocket handshake may come from (RFC 6454 serialized: scheme://host[:port]),
     * `*.` patterns for subdomains; another origin gets 403 before any hook. Empty: no check.
     */
    readonly allowedOrigins: {
        readonly kind: 'list';
        readonly pattern: RegExp;
        readonly patternHint: 'origins such as https://example.com, https://*.example.com:8443 or *.example.com, comma-separated';
        readonly default: readonly string[];
        readonly help: 'origins a WebSocket handshake may come from (https://app.example.com, https://*.example.com, comma-separated); others get 403. Unset: no check';
    };
    /** With allowedOrigins: a handshake without an Origin header (non-browser clients) gets 403 too. */
    readonly requireOrigin: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'refuse WebSocket handshakes without an Origin header (403)';
    };
    /** Seconds between idle scans; 0 disables the heartbeat (Swoole heartbeat_check_interval). */
    readonly heartbeatCheckInterval: {
        readonly kind: 'number';
        readonly min: 0;
        readonly default: 0;
        readonly help: 'seconds between idle scans (0: off; set alone, the idle time is twice it)';
    };
    /** Seconds without inbound traffic after which a connection is closed (Swoole heartbeat_idle_time). */
    readonly heartbeatIdleTime: {
        readonly kind: 'number';
        readonly min: 0;
        readonly default: 0;
        readonly help: 'seconds without inbound traffic before close 1001 (0: off; set alone, checks run at half of it)';
    };
    /** Seconds between server pings (0: never); the round trip is reported by getClientInfo. */
    readonly pingInterval: {
        readonly kind: 'number';
        readonly min: 0;
        readonly default: 0;
        readonly help: 'seconds between server pings (0: never)';
    };
    /** How long (ms) a call to another worker (pushAsync, exist, getFdsByUid, ...) waits for its answer. */
    readonly busTimeoutMs: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 3000;
        readonly help: 'how long (ms) a call to another worker waits for its answer';
    };
    /** Calls to other workers awaiting their answer, per worker; beyond it a call is `congested` at once. */
    readonly busMaxPendingRequests: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 16384;
        readonly help: 'calls to other workers awaiting an answer, per worker; beyond it a call answers congested';
    };
    /** What the embedded bus may hold for one peer worker (bytes plus per-message bookkeeping); beyond it sends are `congested`. */
    readonly embeddedBusMaxQueuedBytes: {
        readonly kind: 'int';
        readonly min: number;
        readonly default: number;
        readonly help: 'what the embedded bus may hold for one peer worker (bytes plus bookkeeping); beyond it sends are congested';
    };
    /** What a worker's publishes awaiting Redis may hold (bytes plus ~2.5 KiB of bookkeeping each); beyond it sends are `congested`. */
    readonly redisBusMaxPendingBytes: {
        readonly kind: 'int';
        readonly min: number;
        readonly default: number;
        readonly help: 'what publishes awaiting Redis may hold per worker (counted at what they cost); beyond it sends are congested';
    };
    /** Seconds a graceful shutdown waits for closing handshakes before forcing (Swoole max_wait_time). */
    readonly maxWaitTime: {
        readonly kind: 'number';
        readonly min: 0;
        readonly default: 3;
        readonly help: 'seconds a graceful shutdown waits for closing handshakes';
    };
    /** Swoole's max_request: a worker that has handled this many messages is replaced by a zero-drop reload of its slot (0: never). */
    readonly maxRequest: {
        readonly kind: 'int';
        readonly min: 0;
        readonly default: 0;
        readonly help: 'messages a worker handles before it is replaced, connections kept (0: never)';
    };
    /** Seconds a worker lives before it is replaced the same way (0: forever). */
    readonly maxWorkerLifetime: {
        readonly kind: 'number';
        readonly min: 0;
        readonly default: 0;
        readonly help: 'seconds a worker lives before it is replaced, connections kept (0: forever)';
    };
    /** `switchyard drain` / server.drain(): the window over which established connections are closed with 1012. */
    readonly drainSeconds: {
        readonly kind: 'number';
        readonly min: 0;
        readonly default: 30;
        readonly help: 'seconds over which a drain closes the established connections (1012), evenly spread';
    };
    /** How long (ms) we wait for the peer's close frame / TCP close before destroying the socket. */
    readonly closeTimeoutMs: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 5000;
        readonly help: "how long (ms) we wait for the peer's close frame / TCP close before destroying";
    };
    /** Bytes queued for one connection, control frames included, before the buffer policy applies (Swoole buffer_output_size). */
    readonly bufferOutputSize: {
        readonly kind: 'int';
        readonly min: 1024;
        readonly default: number;
        readonly help: 'bytes queued per connection before bufferFullPolicy applies';
    };
    /** Queued bytes above which `bufferFull` fires and pushes report `queued`. */
    readonly bufferHighWatermark: {
        readonly kind: 'int';
        readonly min: 0;
        readonly default: number;
        readonly help: 'queued bytes above which bufferFull fires and pushes report queued';
    };
    /**
     * Over bufferOutputSize: drop the message (or ping, pong) and stop reading the connection
     * until its output is back at bufferHighWatermark, or close the slow consumer (1008).
     */
    readonly bufferFullPolicy: {
        readonly kind: 'enum';
        readonly values: readonly ["drop", "close"];
        readonly default: 'drop';
        readonly help: 'over bufferOutputSize: drop the message, or close the slow consumer (1008)';
    };
    /** Unsettled async app callbacks per connection before we stop reading from its socket. */
    readonly maxPendingCallbacks: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 64;
        readonly help: 'unsettled async callbacks per connection before reading pauses';
    };
    /**
     * Frames one connection may have parsed per event-loop turn; then it stops reading and goes
     * on in the next turn, so a flooding client cannot hold the loop from everyone else.
     */
    readonly readBudgetFrames: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: 256;
        readonly help: 'frames a connection may have parsed per event-loop turn before the rest waits for the next turn';
    };
    /** Payload bytes one connection may have parsed per event-loop turn (checked between frames). */
    readonly readBudgetBytes: {
        readonly kind: 'int';
        readonly min: 1;
        readonly default: number;
        readonly help: 'payload bytes a connection may have parsed per event-loop turn before the rest waits for the next turn';
    };
    /** Certificate chain (PEM) of wss:// and https:// on the listening port; with sslKeyFile, TLS is on (README "TLS"). */
    readonly sslCertFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: "certificate chain (PEM) to serve wss:// and https:// with (Swoole's ssl_cert_file); needs --ssl-key-file";
    };
    /** Private key (PEM) of sslCertFile; checked against it at start and at every reload. */
    readonly sslKeyFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: "private key (PEM) of --ssl-cert-file (Swoole's ssl_key_file)";
    };
    /** CA certificates (PEM) that client certificates must chain to; with sslVerifyPeer clients must present one. */
    readonly sslCaFile: {
        readonly kind: 'string';
        readonly optional: true;
        readonly path: true;
        readonly aliases: readonly ["ssl_client_cert_file"];
        readonly default: undefined;
        readonly help: "CA certificates (PEM) client certificates are checked against (Swoole's ssl_client_cert_file)";
    };
    /** Ask every client for a certificate chaining to sslCaFile; a client without one fails the TLS handshake. */
    readonly sslVerifyPeer: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'require a client certificate that chains to --ssl-ca-file (mutual TLS)';
    };
    /**
     * Host name -> { cert, key } files, chosen by the client's SNI (Swoole's ssl_sni_certs); a
     * `*.example.com` key matches one label. Others get sslCertFile. On the command line:
     * `host=cert.pem:key.pem,host2=cert2.pem:key2.pem` (or the same object as JSON).
     */
    readonly sslSniCerts: {
        readonly kind: 'sni';
        readonly optional: true;
        readonly path: true;
        readonly default: undefined;
        readonly help: "certificates by SNI host name: HOST=CERT:KEY[,HOST=CERT:KEY...] or a JSON object (Swoole's ssl_sni_certs)";
    };
    /** Oldest TLS version accepted. */
    readonly sslMinVersion: {
        readonly kind: 'enum';
        readonly values: readonly ["TLSv1.2", "TLSv1.3"];
        readonly default: 'TLSv1.2';
        readonly help: 'oldest TLS version accepted: TLSv1.2 or TLSv1.3';
    };
    /** Swoole's open_websocket_*_frame: deliver these control frames to `message` instead of handling them. */
    readonly openWebsocketPingFrame: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'deliver ping frames to message (the app answers them)';
    };
    readonly openWebsocketPongFrame: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'deliver pong frames to message';
    };
    readonly openWebsocketCloseFrame: {
        readonly kind: 'bool';
        readonly default: false;
        readonly help: 'deliver close frames to message (the app answers them)';
    };
};
export type SettingKey = keyof typeof SETTINGS;
/** The value type a row declares: from its kind (and an enum's values, unless it is `wide`). */
type ValueOf<S> = S extends {
    kind: 'bool';
} ? boolean : S extends {
    kind: 'list';
} ? readonly string[] : S extends {
    kind: 'sni';
} ? SniCerts | undefined : S extends {
    kind: 'int' | 'number';
    optional: true;
} ? number | undefined : S extends {
    kind: 'int' | 'number';
} ? number : S extends {
    kind: 'dispatch';
} ? DispatchMode : S extends {
    kind: 'enum';
    wide: true;
} ? string : S extends {
    kind: 'enum';
    values: readonly (infer V)[];
} ? V : S extends {
    optional: true;
} ? string | undefined : string;
/**
 * Every setting with its type (derived from SETTINGS: a row's doc comment is the property's).
 */
export type Config = {
    -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]>;
};
/** The row of `key`, seen as a plain Setting (the table's literal types are for `Config`). */
export declare function settingOf(key: SettingKey): Setting;
/** Every setting's name, in the table's order (that of --help). */
export declare const SETTING_KEYS: readonly SettingKey[];
export {};
//# sourceMappingURL=config-table.d.ts.map