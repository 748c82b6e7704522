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