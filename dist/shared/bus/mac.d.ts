import type { Logger } from '../logger.ts';
export declare const TAG_BYTES = 16;
/** What a signed message carries after its envelope. */
export declare const TRAILER_BYTES: number;
export declare const SIGNED_FLAG = 128;
/** How old (or how far ahead of this clock) a signed message may be: well above the bus's
 * latency and ordinary NTP skew, short enough that a capture is soon worthless. */
export declare const REPLAY_WINDOW_MS = 30000;
/** Why a message was refused. */
export type Rejection = 'unsigned' | 'bad-mac' | 'stale';
/** A channel as the MAC binds it: u16 BE length, then its bytes (made once per channel). */
export type ChannelId = Buffer & {
    readonly __channelId: true;
};
export declare function channelId(channel: string | Buffer): ChannelId;
/** Channel ids made once per channel; past `max` channels the cache starts again (emitters come and go). */
export declare class ChannelIds {
    private readonly ids;
    private readonly max;
    constructor(max?: number);
    of(channel: string): ChannelId;
}
/** Refused messages are logged at most once per this many ms and reason, with the count since the last line:
 * a flood of forgeries must not become a flood of log lines. */
export declare const REJECT_LOG_INTERVAL_MS = 10000;
/**
 * Messages the authenticated bus refused: counted in `counts`, logged at most once per
 * REJECT_LOG_INTERVAL_MS and reason (`dropped`: how many of that reason since the last line,
 * this one included). One per bus, for either Redis bus.
 */
export declare class RejectionLog {
    private readonly kinds;
    private readonly log;
    private readonly counts;
    constructor(log: Logger, counts: {
        unauthenticated: number;
        stale: number;
    });
    reject(channel: string, bytes: number, why: Rejection): void;
}
export declare class BusMac {
    private readonly key;
    private readonly windowMs;
    constructor(secret: string, windowMs?: number);
    /**
     * Signs `buf` in place: its last TRAILER_BYTES are free (the envelope was encoded with room
     * for them). `channel` is the channel it will be published on.
     */
    sign(buf: Buffer, channel: ChannelId, now?: number): void;
    /**
     * The envelope of a signed message (a view of `buf`, its kind byte restored), or why it is
     * refused. Peer input: never throws.
     */
    open(buf: Buffer, channel: ChannelId, now?: number): Buffer | Rejection;
    private tag;
}
//# sourceMappingURL=mac.d.ts.map