import { type Handoff } from '../shared/handoff-wire.ts';
/**
 * The worker's end of its hand-off pipe (an inherited descriptor, see master/handoff-link):
 * every record is a connection's session id and client address, with the socket's raw TCP
 * handle attached. `onConnection(record, undefined)` for a record whose descriptor did not arrive (the worker
 * could not take one more file, say): the caller counts it as missing.
 */
export declare function receiveHandoffs(descriptor: number, onConnection: (handoff: Handoff, handle: object | undefined) => void, onEnd: () => void): void;
//# sourceMappingURL=handoff-receiver.d.ts.map