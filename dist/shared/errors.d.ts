/**
 * Every error Switchyard raises on purpose, in one place (as fastify's lib/errors.js): each
 * code is listed in one of the tables below, each table has its class, and the class carries
 * what the code implies: protocol errors the close code to send, request and handshake errors
 * the HTTP status, hand-off errors the libuv errno. Peer input never throws: the parser
 * reports a ProtocolError as an event. Argument checks of our own functions throw plain
 * TypeError/RangeError, as Node's APIs do: a bug to fix, not a condition to handle by code.
 * test/errors.test.ts fails on an `ERR_` code in src/ that no table lists.
 */
export declare class SwitchyardError extends Error {
    readonly code: ErrorCode;
    constructor(code: ErrorCode, message: string);
}
/**
 * Every protocol failure and the close code it is answered with (RFC 6455 §7.4.1):
 * 1002 protocol error, 1007 invalid payload, 1009 too big, 1011 our own trouble.
 */
export declare const PROTOCOL_ERRORS: {
    readonly ERR_RESERVED_BITS: 1002;
    readonly ERR_UNEXPECTED_RSV1: 1002;
    readonly ERR_RESERVED_OPCODE: 1002;
    readonly ERR_FRAGMENTED_CONTROL: 1002;
    readonly ERR_CONTROL_TOO_LONG: 1002;
    readonly ERR_UNEXPECTED_CONTINUATION: 1002;
    readonly ERR_EXPECTED_CONTINUATION: 1002;
    readonly ERR_UNMASKED_FRAME: 1002;
    readonly ERR_INVALID_CLOSE_PAYLOAD: 1002;
    readonly ERR_INVALID_CLOSE_CODE: 1002;
    readonly ERR_INVALID_CLOSE_REASON: 1007;
    readonly ERR_INVALID_UTF8: 1007;
    readonly ERR_INVALID_COMPRESSED_DATA: 1007;
    readonly ERR_FRAME_TOO_BIG: 1009;
    readonly ERR_MESSAGE_TOO_BIG: 1009;
    readonly ERR_INFLATE_RESOURCES: 1011;
};
export type ProtocolErrorCode = keyof typeof PROTOCOL_ERRORS;
/** Every refused upgrade and its HTTP status (RFC 6455 §4.2.1, §4.2.2). */
export declare const HANDSHAKE_ERRORS: {
    readonly ERR_HANDSHAKE_METHOD: 405;
    readonly ERR_HANDSHAKE_HTTP_VERSION: 400;
    readonly ERR_HANDSHAKE_HOST: 400;
    readonly ERR_HANDSHAKE_UPGRADE: 400;
    readonly ERR_HANDSHAKE_CONNECTION: 400;
    readonly ERR_HANDSHAKE_KEY: 400;
    readonly ERR_HANDSHAKE_VERSION: 426;
    readonly ERR_HANDSHAKE_PROTOCOL: 400;
    /** An Origin not in allowedOrigins, or none with requireOrigin (RFC 6455 §10.2). */
    readonly ERR_HANDSHAKE_ORIGIN: 403;
};
export type HandshakeErrorCode = keyof typeof HANDSHAKE_ERRORS;
/** A peer broke RFC 6455/7692: the connection is failed with `closeCode`. */
export declare class ProtocolError extends SwitchyardError {
    readonly code: ProtocolErrorCode;
    readonly closeCode: number;
    constructor(code: ProtocolErrorCode, message: string);
}
/**
 * Requests answered with an error before any app sees them, WebSocket or not (RFC 9110,
 * RFC 9112): a major version other than 1, a missing, repeated or malformed Host, a
 * request-target in a form its method cannot use.
 */
export declare const REQUEST_ERRORS: {
    readonly ERR_HTTP_VERSION: 505;
    readonly ERR_HTTP_HOST: 400;
    readonly ERR_HTTP_TARGET: 400;
};
export type RequestErrorCode = keyof typeof REQUEST_ERRORS;
/** A request we answer with `status` (and `headers`) ourselves. */
export declare class HttpError extends SwitchyardError {
    readonly code: RequestErrorCode | HandshakeErrorCode;
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    constructor(code: RequestErrorCode | HandshakeErrorCode, message: string, headers?: Record<string, string>);
}
/** An upgrade request we refuse: answered with `status` (and `headers`), never a 101. */
export declare class HandshakeError extends HttpError {
    constructor(code: HandshakeErrorCode, message: string, headers?: Record<string, string>);
}
/**
 * A handshake hook's answer the server cannot put on the wire (a 1xx or 204 status, a framing
 * or handshake header, a CR in a value, a body that is not bytes): the hook's call throws it,
 * and a bad answer set on the fields directly is refused with 500 and logged.
 */
export declare class HandshakeAnswerError extends SwitchyardError {
    constructor(message: string);
}
/** Bad configuration: every problem found, each naming its flag or setting. */
export declare class ConfigError extends SwitchyardError {
    readonly problems: readonly string[];
    constructor(problems: string[]);
}
/** Refusals of the loaders of settings (flags, variables, config files, the app's settings). */
export declare const CONFIG_ERRORS: {
    readonly ERR_CONFIG: 'bad configuration: every problem found, each naming its flag, variable or key';
};
/** A handshake hook's answer that cannot go on the wire (HandshakeAnswerError). */
export declare const HOOK_ERRORS: {
    readonly ERR_HANDSHAKE_ANSWER: 'a handshake hook set a status, header or body the server cannot send';
};
/** The buses (embedded Unix-socket mesh, Redis pub/sub, in-memory). */
export declare const BUS_ERRORS: {
    readonly ERR_BUS_CONNECT: 'the Redis bus could not start in time (it keeps reconnecting)';
    readonly ERR_BUS_STATE: 'a bus started twice, or after it was closed';
    readonly ERR_BUS_PATH_TOO_LONG: "the embedded bus's socket path is too long for a Unix socket";
    readonly ERR_BUS_SLOT_IN_USE: "another process listens on this slot's embedded-bus socket";
    readonly ERR_BUS_FRAME_TOO_BIG: 'a peer sent a bus frame above the limit: the stream cannot be resynchronised';
    readonly ERR_BUS_MALFORMED: 'a peer sent a bus envelope that does not decode: its connection is closed (logged, not thrown)';
};
export type BusErrorCode = keyof typeof BUS_ERRORS;
/** A bus failure: the seam's caller decides (retry, fail the start, drop the peer). */
export declare class BusError extends SwitchyardError {
    readonly code: BusErrorCode;
    constructor(code: BusErrorCode, message: string);
}
/**
 * Why a call to another worker got no answer; pushAsync and the other remote operations turn
 * these into their results (`unreachable`, `congested`, `timeout`).
 */
export declare const REMOTE_CALL_ERRORS: {
    readonly ERR_UNREACHABLE: 'no transport to the owner (its worker or node is gone, or the server is stopping)';
    readonly ERR_CONGESTED: "the bus or this worker's budget of calls awaiting answers is full: retry later";
    readonly ERR_TIMEOUT: 'no reply within busTimeoutMs';
};
export type RemoteCallErrorCode = keyof typeof REMOTE_CALL_ERRORS;
export declare class RemoteCallError extends SwitchyardError {
    readonly code: RemoteCallErrorCode;
    constructor(code: RemoteCallErrorCode, message: string);
}
/** The SessionTable seam: reads reject with these within a bounded time; writes never throw. */
export declare const SESSION_TABLE_ERRORS: {
    readonly ERR_SESSION_TABLE_UNAVAILABLE: 'the table could not answer (Redis down or slow)';
    readonly ERR_SESSION_TABLE_CLOSED: 'the table was closed';
    readonly ERR_SESSION_TABLE_STATE: 'keepInSync() called twice';
};
export type SessionTableErrorCode = keyof typeof SESSION_TABLE_ERRORS;
export declare class SessionTableError extends SwitchyardError {
    readonly code: SessionTableErrorCode;
    constructor(code: SessionTableErrorCode, message: string);
}
/** The hand-off pipe between the master and a worker (src/shared/handoff/). */
export declare const HANDOFF_ERRORS: {
    readonly ERR_HANDOFF_WORKER_DOWN: 'the chosen worker is down: the connection goes nowhere';
    readonly ERR_HANDOFF_PIPE_CLOSED: 'the hand-off pipe was closed before the write';
    readonly ERR_HANDOFF_WRITE: "libuv failed the hand-off write (the worker's end is gone)";
    readonly ERR_HANDOFF_PIPE_OPEN: 'the inherited descriptor could not be opened as an IPC pipe';
    readonly ERR_HANDOFF_CONNECT: "the hand-off pipe's socket could not be connected";
};
export type HandoffErrorCode = keyof typeof HANDOFF_ERRORS;
/** A hand-off failure; `errno` is libuv's (negative) status where there is one. */
export declare class HandoffError extends SwitchyardError {
    readonly code: HandoffErrorCode;
    readonly errno: number | undefined;
    constructor(code: HandoffErrorCode, message: string, errno?: number);
}
/** The processes of a cluster and of a node: ids, the master's answers. */
export declare const CLUSTER_ERRORS: {
    readonly ERR_NODE_IDS_EXHAUSTED: 'every node id is leased by a live node';
    readonly ERR_NOT_LISTENING: 'the master is starting: no figures yet';
    readonly ERR_STATS_TIMEOUT: "the master did not answer a worker's stats request in time";
    readonly ERR_CONTROL_NO_ANSWER: "the master's control socket did not answer in time";
    readonly ERR_CONTROL_FAILED: "the master's control socket answered with an error";
    readonly ERR_REDIS_URL: '--redis is not one Redis URL or a comma-separated list of them (redis:// or rediss://)';
};
export type ClusterErrorCode = keyof typeof CLUSTER_ERRORS;
export declare class ClusterError extends SwitchyardError {
    readonly code: ClusterErrorCode;
    constructor(code: ClusterErrorCode, message: string);
}
/** A connection's state asked for as plain data where it is not (ConnectionCore.snapshot()). */
export declare const CONNECTION_STATE_ERRORS: {
    readonly ERR_SNAPSHOT_REFUSED: 'inside a data message, with a compression context, or after the close: the state is not plain data there';
};
/**
 * A connection's state was asked for as plain data at a point where it is not plain data
 * (inside a message, a compression context, a close already done): ConnectionCore.snapshot().
 */
export declare class SnapshotRefusedError extends SwitchyardError {
    readonly code: keyof typeof CONNECTION_STATE_ERRORS;
    constructor(reason: string);
}
/** TLS files (sslCertFile, sslKeyFile, sslCaFile, sslSniCerts) that cannot be served with. */
export declare const TLS_ERRORS: {
    readonly ERR_TLS_FILE: 'a TLS file is missing, unreadable, not PEM, or a key that is not its certificate\'s: the start stops (exit code 2), a reload keeps the old certificate';
};
/** A TLS file that cannot be used; `file` is its path and the message names it. */
export declare class TlsFileError extends SwitchyardError {
    readonly code: keyof typeof TLS_ERRORS;
    readonly file: string;
    constructor(file: string, why: string);
}
/** The zero-drop reload (src/master/reload.ts, src/shared/move/, src/worker/reload/). */
export declare const RELOAD_ERRORS: {
    readonly ERR_RELOAD_START_FAILED: 'a new worker failed to start (syntax error, a throw in workerStart, died or timed out): the reload was aborted, the old workers keep serving';
    readonly ERR_RELOAD_BUSY: 'a reload, recycle or drain is already under way';
    readonly ERR_RELOAD_STOPPING: 'the server is shutting down or draining: no reload';
    readonly ERR_MOVE_LINK: 'the move link between an old worker and its replacement failed';
    readonly ERR_MOVE_RECORD: 'a move record did not decode (a bug: both ends are the same code)';
};
export type ReloadErrorCode = keyof typeof RELOAD_ERRORS;
export declare class ReloadError extends SwitchyardError {
    readonly code: ReloadErrorCode;
    constructor(code: ReloadErrorCode, message: string);
}
/** Every code, each once (the tables above never share one). */
export declare const ERROR_CODES: {
    readonly ERR_RESERVED_BITS: 1002;
    readonly ERR_UNEXPECTED_RSV1: 1002;
    readonly ERR_RESERVED_OPCODE: 1002;
    readonly ERR_FRAGMENTED_CONTROL: 1002;
    readonly ERR_CONTROL_TOO_LONG: 1002;
    readonly ERR_UNEXPECTED_CONTINUATION: 1002;
    readonly ERR_EXPECTED_CONTINUATION: 1002;
    readonly ERR_UNMASKED_FRAME: 1002;
    readonly ERR_INVALID_CLOSE_PAYLOAD: 1002;
    readonly ERR_INVALID_CLOSE_CODE: 1002;
    readonly ERR_INVALID_CLOSE_REASON: 1007;
    readonly ERR_INVALID_UTF8: 1007;
    readonly ERR_INVALID_COMPRESSED_DATA: 1007;
    readonly ERR_FRAME_TOO_BIG: 1009;
    readonly ERR_MESSAGE_TOO_BIG: 1009;
    readonly ERR_INFLATE_RESOURCES: 1011;
    readonly ERR_HANDSHAKE_METHOD: 405;
    readonly ERR_HANDSHAKE_HTTP_VERSION: 400;
    readonly ERR_HANDSHAKE_HOST: 400;
    readonly ERR_HANDSHAKE_UPGRADE: 400;
    readonly ERR_HANDSHAKE_CONNECTION: 400;
    readonly ERR_HANDSHAKE_KEY: 400;
    readonly ERR_HANDSHAKE_VERSION: 426;
    readonly ERR_HANDSHAKE_PROTOCOL: 400;
    /** An Origin not in allowedOrigins, or none with requireOrigin (RFC 6455 §10.2). */
    readonly ERR_HANDSHAKE_ORIGIN: 403;
    readonly ERR_HTTP_VERSION: 505;
    readonly ERR_HTTP_HOST: 400;
    readonly ERR_HTTP_TARGET: 400;
    readonly ERR_CONFIG: 'bad configuration: every problem found, each naming its flag, variable or key';
    readonly ERR_HANDSHAKE_ANSWER: 'a handshake hook set a status, header or body the server cannot send';
    readonly ERR_BUS_CONNECT: 'the Redis bus could not start in time (it keeps reconnecting)';
    readonly ERR_BUS_STATE: 'a bus started twice, or after it was closed';
    readonly ERR_BUS_PATH_TOO_LONG: "the embedded bus's socket path is too long for a Unix socket";
    readonly ERR_BUS_SLOT_IN_USE: "another process listens on this slot's embedded-bus socket";
    readonly ERR_BUS_FRAME_TOO_BIG: 'a peer sent a bus frame above the limit: the stream cannot be resynchronised';
    readonly ERR_BUS_MALFORMED: 'a peer sent a bus envelope that does not decode: its connection is closed (logged, not thrown)';
    readonly ERR_UNREACHABLE: 'no transport to the owner (its worker or node is gone, or the server is stopping)';
    readonly ERR_CONGESTED: "the bus or this worker's budget of calls awaiting answers is full: retry later";
    readonly ERR_TIMEOUT: 'no reply within busTimeoutMs';
    readonly ERR_SESSION_TABLE_UNAVAILABLE: 'the table could not answer (Redis down or slow)';
    readonly ERR_SESSION_TABLE_CLOSED: 'the table was closed';
    readonly ERR_SESSION_TABLE_STATE: 'keepInSync() called twice';
    readonly ERR_HANDOFF_WORKER_DOWN: 'the chosen worker is down: the connection goes nowhere';
    readonly ERR_HANDOFF_PIPE_CLOSED: 'the hand-off pipe was closed before the write';
    readonly ERR_HANDOFF_WRITE: "libuv failed the hand-off write (the worker's end is gone)";
    readonly ERR_HANDOFF_PIPE_OPEN: 'the inherited descriptor could not be opened as an IPC pipe';
    readonly ERR_HANDOFF_CONNECT: "the hand-off pipe's socket could not be connected";
    readonly ERR_NODE_IDS_EXHAUSTED: 'every node id is leased by a live node';
    readonly ERR_NOT_LISTENING: 'the master is starting: no figures yet';
    readonly ERR_STATS_TIMEOUT: "the master did not answer a worker's stats request in time";
    readonly ERR_CONTROL_NO_ANSWER: "the master's control socket did not answer in time";
    readonly ERR_CONTROL_FAILED: "the master's control socket answered with an error";
    readonly ERR_REDIS_URL: '--redis is not one Redis URL or a comma-separated list of them (redis:// or rediss://)';
    readonly ERR_SNAPSHOT_REFUSED: 'inside a data message, with a compression context, or after the close: the state is not plain data there';
    readonly ERR_TLS_FILE: 'a TLS file is missing, unreadable, not PEM, or a key that is not its certificate\'s: the start stops (exit code 2), a reload keeps the old certificate';
    readonly ERR_RELOAD_START_FAILED: 'a new worker failed to start (syntax error, a throw in workerStart, died or timed out): the reload was aborted, the old workers keep serving';
    readonly ERR_RELOAD_BUSY: 'a reload, recycle or drain is already under way';
    readonly ERR_RELOAD_STOPPING: 'the server is shutting down or draining: no reload';
    readonly ERR_MOVE_LINK: 'the move link between an old worker and its replacement failed';
    readonly ERR_MOVE_RECORD: 'a move record did not decode (a bug: both ends are the same code)';
};
export type ErrorCode = keyof typeof ERROR_CODES;
//# sourceMappingURL=errors.d.ts.map