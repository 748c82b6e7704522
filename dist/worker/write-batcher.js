const dirty = [];
let scheduled = false;
function flushAll() {
    scheduled = false;
    // A flush may queue more (a write callback pushing again): those get the next tick.
    const batch = dirty.splice(0, dirty.length);
    for (const item of batch)
        item.flush();
}
export function scheduleFlush(item) {
    dirty.push(item);
    if (!scheduled) {
        scheduled = true;
        process.nextTick(flushAll);
    }
}
let turn = 1;
let turnEnding = false;
function endTurn() {
    turnEnding = false;
    turn++;
}
/**
 * A number that stays the same until the flushes of this turn have run (one process.nextTick
 * per turn, not per connection): a connection written directly once in a turn queues the rest
 * of that turn, so a burst still leaves in one write.
 */
export function currentTurn() {
    if (!turnEnding) {
        turnEnding = true;
        process.nextTick(endTurn);
    }
    return turn;
}
/** Below this total, copying the queued frames into one buffer is cheaper than a writev. */
export const CONCAT_LIMIT = 64 * 1024;
/** One buffer out of many small ones (the common case: a few small frames). */
export function concatSmall(chunks, total) {
    const out = Buffer.allocUnsafe(total);
    let offset = 0;
    for (const c of chunks) {
        c.copy(out, offset);
        offset += c.length;
    }
    return out;
}
//# sourceMappingURL=write-batcher.js.map