import type { ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.ts';
import type { CloseInfo, Connection } from './connection/connection.ts';
import type { AllCallbacks, ServerApi, ServerCallbacks } from './app-contract.ts';
import type { HttpRequest } from './handshake/client-address.ts';
/**
 * The app's callbacks (Swoole's $server->on()) and how they run. Nothing an app callback does
 * escapes into the server: a failure is logged and, where a connection is involved, closes
 * that connection with 1011; everyone else keeps being served.
 */
export declare class AppCallbacks {
    private readonly registry;
    private readonly server;
    private readonly log;
    constructor(server: ServerApi, log: Logger);
    /**
     * Registers a callback. One per event; the last one wins. Master-only hooks are accepted and
     * kept for the master; a worker never runs them.
     */
    on<E extends keyof AllCallbacks>(event: E, callback: AllCallbacks[E]): void;
    /** The handshake hook, which the upgrade flow runs itself (its failures become HTTP answers). */
    get handshake(): ServerCallbacks['handshake'] | undefined;
    /** A complete data message: text as a string, binary as a Buffer. */
    message(conn: Connection, data: Buffer, binary: boolean): void;
    /** A control frame the app asked for (openWebsocket*Frame); close frames carry code and reason. */
    control(conn: Connection, opcode: number, payload: Buffer, code?: number, reason?: string): void;
    /**
     * Runs an app callback for a connection. A throw or a rejected promise is logged with the fd
     * and closes that connection with 1011; everyone else keeps being served. Unsettled
     * promises count towards the connection's inbound backpressure.
     */
    invoke<E extends 'open' | 'message' | 'adopt'>(conn: Connection, event: E, arg: Parameters<ServerCallbacks[E]>[1]): void;
    private callbackFailed;
    /** Callbacks with no connection left to close: failures are only logged. */
    invokeDetached(event: 'close' | 'disconnect', fd: number, info?: CloseInfo): void;
    /** `strict`: a failure is thrown (a reload's replacement must not serve with a failed workerStart). */
    invokeLifecycle(event: 'workerStart' | 'workerStop', workerId: number, strict?: boolean): Promise<void>;
    /** Another worker's sendMessage. */
    invokePipe(src: number, data: unknown): void;
    bufferFull(conn: Connection): void;
    bufferEmpty(conn: Connection): void;
    /** A plain HTTP request: the app's `request` callback, or 426 when it has none; 500 when it fails. */
    request(req: HttpRequest, res: ServerResponse): void;
    private failRequest;
}
//# sourceMappingURL=app-callbacks.d.ts.map