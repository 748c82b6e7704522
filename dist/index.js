/**
 * The public API of the `switchyard` package: what `import … from 'switchyard'` gives. Everything
 * else under src/ is internal and may change between versions.
 */
export { Server, WebSocketStatus } from './worker/server.js';
export { DEFAULT_CONFIG, resolveConfig } from './shared/config.js';
export { CloseCode, Opcode } from './shared/protocol/constants.js';
export { ConfigError, SwitchyardError } from './shared/errors.js';
//# sourceMappingURL=index.js.map