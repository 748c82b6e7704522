/**
 * Every error Switchyard raises on purpose, in one place. Each carries a stable `code`;
 * protocol errors carry the close code to send, handshake errors the HTTP status.
 * Peer input never throws: the parser reports a ProtocolError as an event.
 */
export declare class SwitchyardError extends Error {
    readonly code: string;
    constructor(code: string, message: string);
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
};
export type HandshakeErrorCode = keyof typeof HANDSHAKE_ERRORS;
/** A peer broke RFC 6455/7692: the connection is failed with `closeCode`. */
export declare class ProtocolError extends SwitchyardError {
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
//# sourceMappingURL=errors.d.ts.map