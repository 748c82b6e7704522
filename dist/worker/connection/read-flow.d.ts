import type { Socket } from 'node:net';
import type { Config } from '../../shared/config.ts';
import type { ConnectionCore } from '../../shared/protocol/connection-core.ts';
import { BatchedOutput, type Traffic } from './write-batcher.ts';
/**
 * When a connection's socket is read: the reasons not to (ReadPause bits of flow-control.ts:
 * too many unsettled async callbacks, a parser backlog, output over the cap, a spent read
 * budget) come and go independently; the socket is read again once none is left. A parser
 * whose budget is spent goes on in the next loop turn. The connection shell extends it.
 */
export declare abstract class ReadFlow extends BatchedOutput {
    abstract readonly core: ConnectionCore;
    protected readonly config: Config;
    /** Why the socket is not read (ReadPause bits); 0: reading. */
    private paused;
    /** The loop turn whose read budget the parser is spending. */
    private budgetTurn;
    private pendingCallbacks;
    constructor(socket: Socket, config: Config, traffic: Traffic);
    /** Bytes read: a fresh budget if this is a new loop turn, then to the core. */
    protected read(chunk: Buffer): void;
    /** After bytes that came with the upgrade request: the upgrade resumes the socket right after, pause again behind it. */
    protected repauseSoon(): void;
    /** The app started an async callback for this connection. */
    callbackStarted(): void;
    callbackSettled(): void;
    /** @internal the parser stopped for good: its reasons not to read are gone (read on to see the FIN). */
    parserStopped(): void;
    /**
     * @internal after the parser ran: a spent budget yields the turn (no reading, the rest parsed
     * in the next one); a backlog over inboundBacklogLimit stops reading until it is worked off.
     */
    parserSettled(): void;
    /** @internal the turn after the parser yielded: a fresh budget; reading resumes once it has caught up. */
    continueParsing(): void;
    /** @internal see repauseSoon(). */
    repause(): void;
    /** Never read again here (the connection is moving to another worker). */
    protected haltReading(): void;
    /** Output over the cap and backed up: not read until it is back at the high watermark. */
    protected pauseForOutput(): boolean;
    protected outputBelowWatermark(): void;
    private pauseReading;
    private resumeReading;
}
//# sourceMappingURL=read-flow.d.ts.map