/**
 * Every error Switchyard raises on purpose, in one place (as fastify's lib/errors.js): each
 * code is listed in one of the tables below, each table has its class, and the class carries
 * what the code implies: protocol errors the close code to send, request and handshake errors
 * the HTTP status, hand-off errors the libuv errno. Peer input never throws: the parser
 * reports a ProtocolError as an event. Argument checks of our own functions throw plain
 * TypeError/RangeError, as Node's APIs do: a bug to fix, not a condition to handle by code.
 * test/errors.test.ts fails on an `ERR_` code in src/ that no table lists.
 */
export class SwitchyardError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.name = new.target.name;
        this.code = code;
    }
}
/**
 * Every protocol failure and the close code it is answered with (RFC 6455 §7.4.1):
 * 1002 protocol error, 1007 invalid payload, 1009 too big, 1011 our own trouble.
 */
export const PROTOCOL_ERRORS = {
    ERR_RESERVED_BITS: 1002,
    ERR_UNEXPECTED_RSV1: 1002,
    ERR_RESERVED_OPCODE: 1002,
    ERR_FRAGMENTED_CONTROL: 1002,
    ERR_CONTROL_TOO_LONG: 1002,
    ERR_UNEXPECTED_CONTINUATION: 1002,
    ERR_EXPECTED_CONTINUATION: 1002,
    ERR_UNMASKED_FRAME: 1002,
    ERR_INVALID_CLOSE_PAYLOAD: 1002,
    ERR_INVALID_CLOSE_CODE: 1002,
    ERR_INVALID_CLOSE_REASON: 1007,
    ERR_INVALID_UTF8: 1007,
    ERR_INVALID_COMPRESSED_DATA: 1007,
    ERR_FRAME_TOO_BIG: 1009,
    ERR_MESSAGE_TOO_BIG: 1009,
    ERR_INFLATE_RESOURCES: 1011,
};
/** Every refused upgrade and its HTTP status (RFC 6455 §4.2.1, §4.2.2). */
export const HANDSHAKE_ERRORS = {
    ERR_HANDSHAKE_METHOD: 405,
    ERR_HANDSHAKE_HTTP_VERSION: 400,
    ERR_HANDSHAKE_HOST: 400,
    ERR_HANDSHAKE_UPGRADE: 400,
    ERR_HANDSHAKE_CONNECTION: 400,
    ERR_HANDSHAKE_KEY: 400,
    ERR_HANDSHAKE_VERSION: 426,
    ERR_HANDSHAKE_PROTOCOL: 400,
    /** An Origin not in allowedOrigins, or none with requireOrigin (RFC 6455 §10.2). */
    ERR_HANDSHAKE_ORIGIN: 403,
};
/** A peer broke RFC 6455/7692: the connection is failed with `closeCode`. */
export class ProtocolError extends SwitchyardError {
    closeCode;
    constructor(code, message) {
        super(code, message);
        this.closeCode = PROTOCOL_ERRORS[code];
    }
}
/**
 * Requests answered with an error before any app sees them, WebSocket or not (RFC 9110,
 * RFC 9112): a major version other than 1, a missing, repeated or malformed Host, a
 * request-target in a form its method cannot use.
 */
export const REQUEST_ERRORS = {
    ERR_HTTP_VERSION: 505,
    ERR_HTTP_HOST: 400,
    ERR_HTTP_TARGET: 400,
};
/** A request we answer with `status` (and `headers`) ourselves. */
export class HttpError extends SwitchyardError {
    status;
    headers;
    constructor(code, message, headers = {}) {
        super(code, message);
        this.status = code in REQUEST_ERRORS ? REQUEST_ERRORS[code] : HANDSHAKE_ERRORS[code];
        this.headers = headers;
    }
}
/** An upgrade request we refuse: answered with `status` (and `headers`), never a 101. */
export class HandshakeError extends HttpError {
    constructor(code, message, headers = {}) {
        super(code, message, headers);
    }
}
/**
 * A handshake hook's answer the server cannot put on the wire (a 1xx or 204 status, a framing
 * or handshake header, a CR in a value, a body that is not bytes): the hook's call throws it,
 * and a bad answer set on the fields directly is refused with 500 and logged.
 */
export class HandshakeAnswerError extends SwitchyardError {
    constructor(message) {
        super('ERR_HANDSHAKE_ANSWER', message);
    }
}
/** Bad configuration: every problem found, each naming its flag or setting. */
export class ConfigError extends SwitchyardError {
    problems;
    constructor(problems) {
        super('ERR_CONFIG', `invalid configuration:\n  - ${problems.join('\n  - ')}`);
        this.problems = problems;
    }
}
/** Refusals of the loaders of settings (flags, variables, config files, the app's settings). */
export const CONFIG_ERRORS = {
    ERR_CONFIG: 'bad configuration: every problem found, each naming its flag, variable or key',
};
/** A handshake hook's answer that cannot go on the wire (HandshakeAnswerError). */
export const HOOK_ERRORS = {
    ERR_HANDSHAKE_ANSWER: 'a handshake hook set a status, header or body the server cannot send',
};
/** The buses (embedded Unix-socket mesh, Redis pub/sub, in-memory). */
export const BUS_ERRORS = {
    ERR_BUS_CONNECT: 'the Redis bus could not start in time (it keeps reconnecting)',
    ERR_BUS_STATE: 'a bus started twice, or after it was closed',
    ERR_BUS_PATH_TOO_LONG: "the embedded bus's socket path is too long for a Unix socket",
    ERR_BUS_SLOT_IN_USE: "another process listens on this slot's embedded-bus socket",
    ERR_BUS_FRAME_TOO_BIG: 'a peer sent a bus frame above the limit: the stream cannot be resynchronised',
    ERR_BUS_MALFORMED: 'a peer sent a bus envelope that does not decode: its connection is closed (logged, not thrown)',
};
/** A bus failure: the seam's caller decides (retry, fail the start, drop the peer). */
export class BusError extends SwitchyardError {
    constructor(code, message) {
        super(code, message);
    }
}
/**
 * Why a call to another worker got no answer; pushAsync and the other remote operations turn
 * these into their results (`unreachable`, `congested`, `timeout`).
 */
export const REMOTE_CALL_ERRORS = {
    ERR_UNREACHABLE: 'no transport to the owner (its worker or node is gone, or the server is stopping)',
    ERR_CONGESTED: "the bus or this worker's budget of calls awaiting answers is full: retry later",
    ERR_TIMEOUT: 'no reply within busTimeoutMs',
};
export class RemoteCallError extends SwitchyardError {
    constructor(code, message) {
        super(code, message);
    }
}
/** The SessionTable seam: reads reject with these within a bounded time; writes never throw. */
export const SESSION_TABLE_ERRORS = {
    ERR_SESSION_TABLE_UNAVAILABLE: 'the table could not answer (Redis down or slow)',
    ERR_SESSION_TABLE_CLOSED: 'the table was closed',
    ERR_SESSION_TABLE_STATE: 'keepInSync() called twice',
};
export class SessionTableError extends SwitchyardError {
    constructor(code, message) {
        super(code, message);
    }
}
/** The hand-off pipe between the master and a worker (src/shared/handoff/). */
export const HANDOFF_ERRORS = {
    ERR_HANDOFF_WORKER_DOWN: 'the chosen worker is down: the connection goes nowhere',
    ERR_HANDOFF_PIPE_CLOSED: 'the hand-off pipe was closed before the write',
    ERR_HANDOFF_WRITE: "libuv failed the hand-off write (the worker's end is gone)",
    ERR_HANDOFF_PIPE_OPEN: 'the inherited descriptor could not be opened as an IPC pipe',
    ERR_HANDOFF_CONNECT: "the hand-off pipe's socket could not be connected",
};
/** A hand-off failure; `errno` is libuv's (negative) status where there is one. */
export class HandoffError extends SwitchyardError {
    errno;
    constructor(code, message, errno) {
        super(code, message);
        this.errno = errno;
    }
}
/** The processes of a cluster and of a node: ids, the master's answers. */
export const CLUSTER_ERRORS = {
    ERR_NODE_IDS_EXHAUSTED: 'every node id is leased by a live node',
    ERR_NOT_LISTENING: 'the master is starting: no figures yet',
    ERR_STATS_TIMEOUT: "the master did not answer a worker's stats request in time",
    ERR_CONTROL_NO_ANSWER: "the master's control socket did not answer in time",
    ERR_CONTROL_FAILED: "the master's control socket answered with an error",
    ERR_REDIS_URL: '--redis is not one Redis URL or a comma-separated list of them (redis:// or rediss://)',
};
export class ClusterError extends SwitchyardError {
    constructor(code, message) {
        super(code, message);
    }
}
/** A connection's state asked for as plain data where it is not (ConnectionCore.snapshot()). */
export const CONNECTION_STATE_ERRORS = {
    ERR_SNAPSHOT_REFUSED: 'inside a data message, with a compression context, or after the close: the state is not plain data there',
};
/**
 * A connection's state was asked for as plain data at a point where it is not plain data
 * (inside a message, a compression context, a close already done): ConnectionCore.snapshot().
 */
export class SnapshotRefusedError extends SwitchyardError {
    constructor(reason) {
        super('ERR_SNAPSHOT_REFUSED', `connection state cannot be captured now: ${reason}`);
    }
}
/** TLS files (sslCertFile, sslKeyFile, sslCaFile, sslSniCerts) that cannot be served with. */
export const TLS_ERRORS = {
    ERR_TLS_FILE: 'a TLS file is missing, unreadable, not PEM, or a key that is not its certificate\'s: the start stops (exit code 2), a reload keeps the old certificate',
};
/** A TLS file that cannot be used; `file` is its path and the message names it. */
export class TlsFileError extends SwitchyardError {
    file;
    constructor(file, why) {
        super('ERR_TLS_FILE', `${file}: ${why}`);
        this.file = file;
    }
}
/** The zero-drop reload (src/master/reload.ts, src/shared/move/, src/worker/reload/). */
export const RELOAD_ERRORS = {
    ERR_RELOAD_START_FAILED: 'a new worker failed to start (syntax error, a throw in workerStart, died or timed out): the reload was aborted, the old workers keep serving',
    ERR_RELOAD_BUSY: 'a reload, recycle or drain is already under way',
    ERR_RELOAD_STOPPING: 'the server is shutting down or draining: no reload',
    ERR_MOVE_LINK: 'the move link between an old worker and its replacement failed',
    ERR_MOVE_RECORD: 'a move record did not decode (a bug: both ends are the same code)',
};
export class ReloadError extends SwitchyardError {
    constructor(code, message) {
        super(code, message);
    }
}
/** Every code, each once (the tables above never share one). */
export const ERROR_CODES = {
    ...PROTOCOL_ERRORS,
    ...HANDSHAKE_ERRORS,
    ...REQUEST_ERRORS,
    ...CONFIG_ERRORS,
    ...HOOK_ERRORS,
    ...BUS_ERRORS,
    ...REMOTE_CALL_ERRORS,
    ...SESSION_TABLE_ERRORS,
    ...HANDOFF_ERRORS,
    ...CLUSTER_ERRORS,
    ...CONNECTION_STATE_ERRORS,
    ...TLS_ERRORS,
    ...RELOAD_ERRORS,
};
//# sourceMappingURL=errors.js.map