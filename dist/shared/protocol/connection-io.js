/** Swoole's WEBSOCKET_STATUS_* numbers, as getClientInfo reports them. */
export const WebSocketStatus = { Connection: 1, Handshake: 2, Active: 3, Closing: 4, Closed: 5 };
//# sourceMappingURL=connection-io.js.map