/**
 * Counts event-loop iterations, for per-turn read budgets. A turn is not a process.nextTick:
 * Node runs the tick queue after every I/O callback, so the up to 32 reads libuv makes from
 * one socket in a poll phase are 32 ticks but one turn. The number moves on in the check phase
 * (setImmediate), armed only when someone asked during the turn: an idle loop stays idle.
 */
let turn = 1;
let armed = false;
function nextTurn() {
    armed = false;
    turn++;
}
/** The current event-loop turn's number. */
export function loopTurn() {
    if (!armed) {
        armed = true;
        setImmediate(nextTurn);
    }
    return turn;
}
//# sourceMappingURL=loop-turn.js.map