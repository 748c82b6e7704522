/** The current event-loop turn's number. */
export declare function loopTurn(): number;
//# sourceMappingURL=loop-turn.d.ts.map