import { inboundBacklogLimit, ReadPause } from '../../shared/protocol/flow-control.js';
import { loopTurn } from './loop-turn.js';
import { BatchedOutput } from './write-batcher.js';
const continueParsing = (flow) => flow.continueParsing();
/** A reason not to read that never goes away: the connection moved to another worker. */
const HALTED = 1 << 30;
const repause = (flow) => flow.repause();
/**
 * When a connection's socket is read: the reasons not to (ReadPause bits of flow-control.ts:
 * too many unsettled async callbacks, a parser backlog, output over the cap, a spent read
 * budget) come and go independently; the socket is read again once none is left. A parser
 * whose budget is spent goes on in the next loop turn. The connection shell extends it.
 */
export class ReadFlow extends BatchedOutput {
    config;
    /** Why the socket is not read (ReadPause bits); 0: reading. */
    paused = 0;
    /** The loop turn whose read budget the parser is spending. */
    budgetTurn = 0;
    pendingCallbacks = 0;
    constructor(socket, config, traffic) {
        super(socket, config.bufferHighWatermark, traffic);
        this.config = config;
    }
    /** Bytes read: a fresh budget if this is a new loop turn, then to the core. */
    read(chunk) {
        const turn = loopTurn();
        if (turn !== this.budgetTurn) {
            this.budgetTurn = turn;
            this.core.newTurn();
        }
        this.core.receiveData(chunk);
        this.parserSettled();
    }
    /** After bytes that came with the upgrade request: the upgrade resumes the socket right after, pause again behind it. */
    repauseSoon() {
        if (this.paused !== 0)
            process.nextTick(repause, this);
    }
    /** The app started an async callback for this connection. */
    callbackStarted() {
        if (++this.pendingCallbacks > this.config.maxPendingCallbacks)
            this.pauseReading(ReadPause.Callbacks);
    }
    callbackSettled() {
        this.pendingCallbacks--;
        if (this.pendingCallbacks <= this.config.maxPendingCallbacks >> 1)
            this.resumeReading(ReadPause.Callbacks);
    }
    /** @internal the parser stopped for good: its reasons not to read are gone (read on to see the FIN). */
    parserStopped() {
        this.resumeReading(ReadPause.Backlog | ReadPause.Budget);
    }
    /**
     * @internal after the parser ran: a spent budget yields the turn (no reading, the rest parsed
     * in the next one); a backlog over inboundBacklogLimit stops reading until it is worked off.
     */
    parserSettled() {
        const core = this.core;
        if (core.yielded && (this.paused & ReadPause.Budget) === 0) {
            this.pauseReading(ReadPause.Budget);
            setImmediate(continueParsing, this);
        }
        if (core.backlog > inboundBacklogLimit(this.config.packageMaxLength))
            this.pauseReading(ReadPause.Backlog);
        else if ((this.paused & ReadPause.Backlog) !== 0)
            this.resumeReading(ReadPause.Backlog);
    }
    /** @internal the turn after the parser yielded: a fresh budget; reading resumes once it has caught up. */
    continueParsing() {
        if (this.outputClosed())
            return;
        this.budgetTurn = loopTurn();
        this.core.newTurn();
        if (this.core.yielded)
            setImmediate(continueParsing, this);
        else
            this.resumeReading(ReadPause.Budget);
        this.parserSettled();
    }
    /** @internal see repauseSoon(). */
    repause() {
        if (this.paused !== 0)
            this.socket.pause();
    }
    /** Never read again here (the connection is moving to another worker). */
    haltReading() {
        this.pauseReading(HALTED);
    }
    /** Output over the cap and backed up: not read until it is back at the high watermark. */
    pauseForOutput() {
        if ((this.paused & ReadPause.Output) !== 0)
            return false;
        this.markFull();
        this.pauseReading(ReadPause.Output);
        return true;
    }
    outputBelowWatermark() {
        this.resumeReading(ReadPause.Output);
    }
    pauseReading(reason) {
        if (this.paused === 0)
            this.socket.pause();
        this.paused |= reason;
    }
    resumeReading(reason) {
        if ((this.paused & reason) === 0)
            return;
        this.paused &= ~reason;
        if (this.paused === 0)
            this.socket.resume();
    }
}
//# sourceMappingURL=read-flow.js.map