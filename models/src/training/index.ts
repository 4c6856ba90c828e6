export * from './fit.ts';
export * from './fleet-speed.ts';
export * from './lr-schedule.ts';
export * from './progress.ts';
export * from './random.ts';
export * from './wasm-matmul.ts';
