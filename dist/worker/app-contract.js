export {};
//# sourceMappingURL=app-contract.js.map