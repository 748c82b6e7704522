import type { SendResult } from '../../shared/bus/types.ts';
import type { PushStatus } from '../connection/connection.ts';
import type { Described } from '../local-connections.ts';
import { type ArgsWire } from './op-kit.ts';
import type { Data, RemotePushStatus } from '../app-contract.ts';
/** Which connections a fan-out reaches: a room's members (or everyone), minus some fds. */
export interface FanOutScope {
    except: readonly number[];
    room: string | undefined;
}
/** From this many local recipients on, a fan-out writes its bus message before its own share
 * (writing 256 sockets takes a few milliseconds the other workers would otherwise wait). */
export declare const EARLY_BUS_FLUSH = 256;
/** A page of getClientList as each worker is asked for it (room null: every connection). */
export interface PageQuery {
    after: number;
    limit: number;
    room: string | null;
}
declare const sentOk: (sent: SendResult) => boolean;
export declare const OPS: {
    /** push / pushStatus (fire-and-forget) and pushAsync (waits for the owner's outcome). */
    push: import("./op-kit.ts").OpCore<number, Data, number, PushStatus> & {
        target: "fd";
        args: ArgsWire<number, Data, number>;
        local(w: import("../local-connections.ts").LocalConnections, fd: number, data: Data, opcode: number): PushStatus;
        served(w: import("../local-connections.ts").LocalConnections, fd: any, data: any, opcode: any): PushStatus;
        forwarded(sent: SendResult, w: import("../local-connections.ts").LocalConnections): RemotePushStatus;
        reply: import("./op-kit.ts").ReplyWire<PushStatus>;
        failed: (why: import("./op-kit.ts").CallFailure) => import("./op-kit.ts").CallFailure;
        gone: () => PushStatus;
    } & {
        readonly name: string;
        readonly id: number;
    };
    disconnect: import("./op-kit.ts").OpCore<number, number, string, boolean> & {
        target: "fd";
        args: ArgsWire<number, number, string>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number, code: number, reason: string) => boolean;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
    close: import("./op-kit.ts").OpCore<number, any, any, boolean> & {
        target: "fd";
        args: ArgsWire<number, any, any>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number) => boolean;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
    /** exist, isEstablished, getClientInfo. */
    describe: import("./op-kit.ts").OpCore<number, any, any, Described> & {
        target: "fd";
        args: ArgsWire<number, any, any>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number) => Described;
        reply: import("./op-kit.ts").ReplyWire<Described>;
        failed: () => Described;
    } & {
        readonly name: string;
        readonly id: number;
    };
    join: import("./op-kit.ts").OpCore<number, string, any, boolean> & {
        target: "fd";
        args: ArgsWire<number, string, any>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number, room: string) => boolean;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
    leave: import("./op-kit.ts").OpCore<number, string, any, boolean> & {
        target: "fd";
        args: ArgsWire<number, string, any>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number, room: string) => boolean;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
    bind: import("./op-kit.ts").OpCore<number, string, any, boolean> & {
        target: "fd";
        args: ArgsWire<number, string, any>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number, uid: string) => boolean;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
    ping: import("./op-kit.ts").OpCore<number, Buffer<ArrayBufferLike> | undefined, any, boolean> & {
        target: "fd";
        args: ArgsWire<number, Buffer<ArrayBufferLike> | undefined, any>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number, data: Buffer | undefined) => boolean;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
    protect: import("./op-kit.ts").OpCore<number, boolean, any, boolean> & {
        target: "fd";
        args: ArgsWire<number, boolean, any>;
        local: (w: import("../local-connections.ts").LocalConnections, fd: number, value: boolean) => boolean;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
    /** broadcast and room pushes: every worker pushes to its own share, the frame encoded once. */
    broadcast: import("./op-kit.ts").OpCore<Data, number, FanOutScope, number> & {
        target: "all";
        args: ArgsWire<Data, number, FanOutScope>;
        local: (w: import("../local-connections.ts").LocalConnections, data: Data, opcode: number, scope: FanOutScope) => number;
        flushFirst: (w: import("../local-connections.ts").LocalConnections, _data: any, _opcode: any, scope: any) => boolean;
    } & {
        readonly name: string;
        readonly id: number;
    };
    pushToUid: import("./op-kit.ts").OpCore<string, Data, number, number> & import("./op-kit.ts").OpExtras<string, Data, number, number> & {
        readonly name: string;
        readonly id: number;
    };
    /** connections (for await): every worker's established fds. */
    fds: import("./op-kit.ts").OpCore<any, any, any, number[]> & {
        target: "each";
        args: ArgsWire<any, any, any>;
        local: (w: import("../local-connections.ts").LocalConnections) => number[];
        reply: import("./op-kit.ts").ReplyWire<number[]>;
        failed: () => number[];
        sessions: (t: import("../../shared/session-table/types.ts").SessionTable) => Promise<number[]>;
    } & {
        readonly name: string;
        readonly id: number;
    };
    fdsByUid: import("./op-kit.ts").OpCore<string, any, any, number[]> & {
        target: "each";
        args: ArgsWire<string, any, any>;
        local: (w: import("../local-connections.ts").LocalConnections, uid: string) => number[];
        reply: import("./op-kit.ts").ReplyWire<number[]>;
        failed: () => number[];
        sessions: (t: import("../../shared/session-table/types.ts").SessionTable, uid: any) => Promise<number[]>;
    } & {
        readonly name: string;
        readonly id: number;
    };
    /** getClientList: each worker's fds above a cursor (a room's members), ascending, at most `limit`. */
    page: import("./op-kit.ts").OpCore<PageQuery, any, any, number[]> & {
        target: "each";
        args: ArgsWire<PageQuery, any, any>;
        local: (w: import("../local-connections.ts").LocalConnections, q: PageQuery) => number[];
        reply: import("./op-kit.ts").ReplyWire<number[]>;
        failed: () => number[];
    } & {
        readonly name: string;
        readonly id: number;
    };
    /** sendMessage, to another worker's pipeMessage callback. */
    pipe: import("./op-kit.ts").OpCore<number, unknown, any, void> & {
        target: "worker";
        args: ArgsWire<number, unknown, any>;
        local: (w: import("../local-connections.ts").LocalConnections, src: number, data: unknown) => void;
        forwarded: typeof sentOk;
    } & {
        readonly name: string;
        readonly id: number;
    };
};
export {};
//# sourceMappingURL=cluster-ops.d.ts.map