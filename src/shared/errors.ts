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

/** A peer broke RFC 6455/7692: the connection is failed with `closeCode`. */
export class ProtocolError extends SwitchyardError {
  readonly closeCode: number;
  constructor(code: string, closeCode: number, message: string) {
    super(code, message);
    this.closeCode = closeCode;
  }
}

/** An upgrade request we refuse: answered with `status` (and `headers`), never a 101. */
export class HandshakeError extends SwitchyardError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: string, status: number, message: string, headers: Record<string, string> = {}) {
    super(code, message);
    this.status = status;
    this.headers = headers;
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
