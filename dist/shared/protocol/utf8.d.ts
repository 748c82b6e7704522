export declare class Utf8Validator {
    /**
     * A code point split at the end of the last chunk. Its continuation bytes are checked as
     * they arrive, so only the lead byte (which constrains the second byte) and the counts
     * need keeping: nothing is copied.
     */
    private lead;
    private carried;
    /** Total length of the carried code point's sequence (2-4), meaningful while carried > 0. */
    private needed;
    /** Sticky until reset(): once the bytes can't be UTF-8, nothing appended can fix them. */
    private failed;
    /** The carry as plain data (a connection moving to another process mid-message). */
    state(): [lead: number, carried: number, needed: number, failed: boolean];
    /** Takes over state(): the validator goes on as if it had seen the same bytes. */
    setState(s: readonly [number, number, number, boolean]): void;
    /** Feed the next bytes; returns false as soon as the bytes seen so far can't be a prefix of valid UTF-8. */
    push(chunk: Buffer): boolean;
    /** End of message: false if a code point is left incomplete. Resets for the next message. */
    end(): boolean;
    reset(): void;
    /** Add a continuation byte to the carried code point if it keeps it a valid prefix. */
    private append;
    private fail;
}
//# sourceMappingURL=utf8.d.ts.map