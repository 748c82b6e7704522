/** Types shared by the master's dispatcher and the app API (dispatch hook). */
export {};
//# sourceMappingURL=dispatch-types.js.map