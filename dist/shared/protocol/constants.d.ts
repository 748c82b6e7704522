/** Frame opcodes (RFC 6455 §5.2). */
export declare const Opcode: {
    readonly Continuation: 0;
    readonly Text: 1;
    readonly Binary: 2;
    readonly Close: 8;
    readonly Ping: 9;
    readonly Pong: 10;
};
export type OpcodeValue = (typeof Opcode)[keyof typeof Opcode];
/** Close status codes (RFC 6455 §7.4.1). */
export declare const CloseCode: {
    readonly Normal: 1000;
    readonly GoingAway: 1001;
    readonly ProtocolError: 1002;
    readonly UnsupportedData: 1003;
    /** Reported to the app when a close frame has no payload; never sent (§7.4.1). */
    readonly NoStatus: 1005;
    /** Reported to the app when TCP closed without a close frame; never sent. */
    readonly Abnormal: 1006;
    readonly InvalidPayload: 1007;
    readonly PolicyViolation: 1008;
    readonly MessageTooBig: 1009;
    readonly MandatoryExtension: 1010;
    readonly InternalError: 1011;
    readonly ServiceRestart: 1012;
    readonly TryAgainLater: 1013;
    readonly BadGateway: 1014;
    /** TLS handshake failure; never sent. */
    readonly TlsHandshake: 1015;
};
/**
 * Whether a close code may appear in a close frame on the wire (RFC 6455 §7.4.1, §7.4.2):
 * 1000-1003 and 1007-1014 are defined, 3000-4999 belong to libraries and applications.
 * 1004 is reserved, 1005/1006/1015 are local-only.
 */
export declare function isWireCloseCode(code: number): boolean;
//# sourceMappingURL=constants.d.ts.map