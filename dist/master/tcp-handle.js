export {};
//# sourceMappingURL=tcp-handle.js.map