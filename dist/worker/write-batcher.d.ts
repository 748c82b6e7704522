/**
 * Coalesces every frame written to one connection within one turn of the event loop into a
 * single socket write, as uWebSockets corks: one syscall per connection per turn instead of
 * one (or two) per message. Connections with something queued are flushed together from one
 * process.nextTick, so replies to all the frames of a read chunk leave in one write.
 */
export interface Flushable {
    flush(): void;
}
export declare function scheduleFlush(item: Flushable): void;
/**
 * A number that stays the same until the flushes of this turn have run (one process.nextTick
 * per turn, not per connection): a connection written directly once in a turn queues the rest
 * of that turn, so a burst still leaves in one write.
 */
export declare function currentTurn(): number;
/** Below this total, copying the queued frames into one buffer is cheaper than a writev. */
export declare const CONCAT_LIMIT: number;
/** One buffer out of many small ones (the common case: a few small frames). */
export declare function concatSmall(chunks: Buffer[], total: number): Buffer;
//# sourceMappingURL=write-batcher.d.ts.map