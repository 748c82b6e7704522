/**
 * Coalesces every frame written to one connection within one turn of the event loop into a
 * single socket write, as uWebSockets corks: one syscall per connection per turn instead of
 * one (or two) per message. Connections with something queued are flushed together from one
 * process.nextTick, so replies to all the frames of a read chunk leave in one write.
 */
export interface Flushable {
  flush(): void;
}

const dirty: Flushable[] = [];
let scheduled = false;

function flushAll(): void {
  scheduled = false;
  // A flush may queue more (a write callback pushing again): those get the next tick.
  const batch = dirty.splice(0, dirty.length);
  for (const item of batch) item.flush();
}

export function scheduleFlush(item: Flushable): void {
  dirty.push(item);
  if (!scheduled) {
    scheduled = true;
    process.nextTick(flushAll);
  }
}

let turn = 1;
let turnEnding = false;

function endTurn(): void {
  turnEnding = false;
  turn++;
}

/**
 * A number that stays the same until the flushes of this turn have run (one process.nextTick
 * per turn, not per connection): a connection written directly once in a turn queues the rest
 * of that turn, so a burst still leaves in one write.
 */
export function currentTurn(): number {
  if (!turnEnding) {
    turnEnding = true;
    process.nextTick(endTurn);
  }
  return turn;
}

/** Below this total, copying the queued frames into one buffer is cheaper than a writev. */
export const CONCAT_LIMIT = 64 * 1024;

/** One buffer out of many small ones (the common case: a few small frames). */
export function concatSmall(chunks: Buffer[], total: number): Buffer {
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const c of chunks) {
    c.copy(out, offset);
    offset += c.length;
  }
  return out;
}
