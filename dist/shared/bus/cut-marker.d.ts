import type { Incoming, WorkerAddress } from './types.ts';
/**
 * The body of a reload's cut marker (src/worker/reload/bus-handover.ts): a 'send' that a
 * worker being replaced publishes to itself on each of its subscriptions with an order of its
 * own. The buses know it only to let it through where they drop what this node's own workers
 * broadcast (the embedded bus brought that): the marker is for the old worker and its
 * replacement, which share the address. No cluster operation's body starts with 0xff.
 */
export declare const CUT_MARKER: Buffer<ArrayBuffer>;
/** A cut marker, from whichever worker (length first: every bus message is looked at). */
export declare function isCutMarker(msg: Incoming): boolean;
/** A marker `self` published itself (its own, or its predecessor's during a reload). */
export declare function isOwnCutMarker(msg: Incoming, from: WorkerAddress, self: WorkerAddress): boolean;
//# sourceMappingURL=cut-marker.d.ts.map