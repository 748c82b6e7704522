import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';
/**
 * Deadlines of sockets that are not WebSockets (yet), one timer for all of them. Each kind
 * has a fixed duration, so within a kind insertion order is deadline order: a Map per kind
 * (fd → when), its oldest entry first, and one timer armed for the earliest of those. A
 * socket has at most one deadline; arming it again (any kind) moves it to the end of its
 * kind's Map. No closure and no timer per socket: memory per connection stays flat.
 */
export declare class Deadlines<K extends string> {
    private readonly queues;
    private readonly durations;
    private readonly onExpire;
    private timer;
    /** When the armed timer fires (Infinity: none armed). */
    private timerAt;
    /** `durations` in ms per kind; `onExpire` runs once for each deadline that passes. */
    constructor(durations: Readonly<Record<K, number>>, onExpire: (fd: number, kind: K) => void);
    /** Gives fd the deadline `kind` from now, in place of any it had. */
    arm(fd: number, kind: K): void;
    /** Removes fd's deadline, if any. */
    disarm(fd: number): void;
    private schedule;
    private expire;
}
/** What becomes of a socket whose deadline passed: answered with `status` (null: none) and closed, or destroyed. */
export type Expiry = {
    status: 408 | null;
    why: string;
} | 'destroy';
/**
 * Which phase each socket is in and what its deadline does when it passes (`expired` acts on
 * the socket). The entry calls `connected`, Node's 'request' events `requestStarted`, and a
 * socket that upgrades, is refused or closes is `forget`-ten.
 */
export declare class HttpPhases {
    private readonly deadlines;
    /** Sockets Node's server has taken a request from, by fd. */
    private readonly exchanges;
    private readonly expired;
    /** Shared by every response (`this` is the response): no closure per request. */
    private readonly onResponseFinish;
    private readonly onResponseError;
    constructor(config: Config, log: Logger, fdOf: (socket: Socket | null) => number | undefined, expired: (fd: number, expiry: Expiry) => void);
    /** A new socket: its first head has a deadline. */
    connected(fd: number): void;
    /** Node's server took a request: its body has a deadline until its response is done. */
    requestStarted(fd: number, req: IncomingMessage, res: ServerResponse): void;
    /** Responses on fd not written out yet. */
    inflight(fd: number): number;
    /** fd became a WebSocket, was refused or closed: no more deadlines. */
    forget(fd: number): void;
    /** A response is written: with none left, the keep-alive wait for the next request begins. */
    private responseFinished;
    private expire;
}
//# sourceMappingURL=http-deadlines.d.ts.map