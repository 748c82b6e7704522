/**
 * Every error Switchyard raises on purpose, in one place. Each carries a stable `code`;
 * protocol errors carry the close code to send, handshake errors the HTTP status.
 * Peer input never throws: the parser reports a ProtocolError as an event.
 */
export class SwitchyardError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
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
} as const;
export type ProtocolErrorCode = keyof typeof PROTOCOL_ERRORS;

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
} as const;
export type HandshakeErrorCode = keyof typeof HANDSHAKE_ERRORS;

/** A peer broke RFC 6455/7692: the connection is failed with `closeCode`. */
export class ProtocolError extends SwitchyardError {
  readonly closeCode: number;
  constructor(code: ProtocolErrorCode, message: string) {
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
} as const;
export type RequestErrorCode = keyof typeof REQUEST_ERRORS;

/** A request we answer with `status` (and `headers`) ourselves. */
export class HttpError extends SwitchyardError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: RequestErrorCode | HandshakeErrorCode, message: string, headers: Record<string, string> = {}) {
    super(code, message);
    this.status = code in REQUEST_ERRORS ? REQUEST_ERRORS[code as RequestErrorCode] : HANDSHAKE_ERRORS[code as HandshakeErrorCode];
    this.headers = headers;
  }
}

/** An upgrade request we refuse: answered with `status` (and `headers`), never a 101. */
export class HandshakeError extends HttpError {
  constructor(code: HandshakeErrorCode, message: string, headers: Record<string, string> = {}) {
    super(code, message, headers);
  }
}

/**
 * A handshake hook's answer the server cannot put on the wire (a 1xx or 204 status, a framing
 * or handshake header, a CR in a value, a body that is not bytes): the hook's call throws it,
 * and a bad answer set on the fields directly is refused with 500 and logged.
 */
export class HandshakeAnswerError extends SwitchyardError {
  constructor(message: string) {
    super('ERR_HANDSHAKE_ANSWER', message);
  }
}

/** Bad configuration: every problem found, each naming its flag or setting. */
export class ConfigError extends SwitchyardError {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super('ERR_CONFIG', `invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/**
 * A connection's state was asked for as plain data at a point where it is not plain data
 * (inside a message, a compression context, a close already done): ConnectionCore.snapshot().
 */
export class SnapshotRefusedError extends SwitchyardError {
  constructor(reason: string) {
    super('ERR_SNAPSHOT_REFUSED', `connection state cannot be captured now: ${reason}`);
  }
}
