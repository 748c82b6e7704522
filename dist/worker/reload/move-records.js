export {};
//# sourceMappingURL=move-records.js.map