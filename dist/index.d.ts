/**
 * The public API of the `switchyard` package: what `import … from 'switchyard'` gives. Everything
 * else under src/ is internal and may change between versions.
 */
export { Server, WebSocketStatus } from './worker/server.ts';
export type { AllCallbacks, AppHost, AppSetup, Awaitable, ClientInfo, TlsInfo, ClientListOptions, ClientPage, CloseInfo, EventName, Frame, HandshakeRequest, HandshakeResponse, HttpRequest, LocalStats, MasterCallbacks, PushStatus, RoomTarget, ServerCallbacks, ServerApi, ServerOptions, } from './worker/server.ts';
export type { ClusterStats, NodeStats } from './shared/cluster-messages.ts';
export type { DispatchFunc, DispatchInfo, WorkerView } from './shared/dispatch-types.ts';
export { DEFAULT_CONFIG, resolveConfig, type Config } from './shared/config.ts';
export type { AppSettings, Settings, SwooleSettings } from './shared/config-sources.ts';
export { CloseCode, Opcode } from './shared/protocol/constants.ts';
export { ConfigError, SwitchyardError } from './shared/errors.ts';
import type { Server } from './worker/server.ts';
/** What `server.pushStatus()` answers: a local fd's outcome, or what became of a remote push. */
export type PushOutcome = ReturnType<Server['pushStatus']>;
/** What `server.pushAsync()` resolves to: the owner's outcome, wherever the fd lives. */
export type PushAsyncOutcome = Awaited<ReturnType<Server['pushAsync']>>;
//# sourceMappingURL=index.d.ts.map