/**
 * The body of a reload's cut marker (src/worker/reload/bus-handover.ts): a 'send' that a
 * worker being replaced publishes to itself on each of its subscriptions with an order of its
 * own. The buses know it only to let it through where they drop what this node's own workers
 * broadcast (the embedded bus brought that): the marker is for the old worker and its
 * replacement, which share the address. No cluster operation's body starts with 0xff.
 */
export const CUT_MARKER = Buffer.from('\xffswitchyard:reload-cut', 'latin1');
/** A cut marker, from whichever worker (length first: every bus message is looked at). */
export function isCutMarker(msg) {
    return msg.kind === 'send' && msg.body.length === CUT_MARKER.length && msg.body.equals(CUT_MARKER);
}
/** A marker `self` published itself (its own, or its predecessor's during a reload). */
export function isOwnCutMarker(msg, from, self) {
    return from.node === self.node && from.slot === self.slot && isCutMarker(msg);
}
//# sourceMappingURL=cut-marker.js.map