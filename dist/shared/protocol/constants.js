/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = {
    Continuation: 0x0,
    Text: 0x1,
    Binary: 0x2,
    Close: 0x8,
    Ping: 0x9,
    Pong: 0xa,
};
/** Close status codes (RFC 6455 §7.4.1). */
export const CloseCode = {
    Normal: 1000,
    GoingAway: 1001,
    ProtocolError: 1002,
    UnsupportedData: 1003,
    /** Reported to the app when a close frame has no payload; never sent (§7.4.1). */
    NoStatus: 1005,
    /** Reported to the app when TCP closed without a close frame; never sent. */
    Abnormal: 1006,
    InvalidPayload: 1007,
    PolicyViolation: 1008,
    MessageTooBig: 1009,
    MandatoryExtension: 1010,
    InternalError: 1011,
    ServiceRestart: 1012,
    TryAgainLater: 1013,
    BadGateway: 1014,
    /** TLS handshake failure; never sent. */
    TlsHandshake: 1015,
};
/**
 * Whether a close code may appear in a close frame on the wire (RFC 6455 §7.4.1, §7.4.2):
 * 1000-1003 and 1007-1014 are defined, 3000-4999 belong to libraries and applications.
 * 1004 is reserved, 1005/1006/1015 are local-only.
 */
export function isWireCloseCode(code) {
    return ((code >= 1000 && code <= 1003) ||
        (code >= 1007 && code <= 1014) ||
        (code >= 3000 && code <= 4999));
}
//# sourceMappingURL=constants.js.map