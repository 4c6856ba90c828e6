// The contract suite (./contract.ts) imports vitest, so it stays out of this production barrel.
export * from './influx/index.ts';
export * from './sqlite/index.ts';
