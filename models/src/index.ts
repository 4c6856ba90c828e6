export * from './backend.ts';
export * from './cmapss/benchmark.ts';
export * from './cmapss/loader.ts';
export * from './cmapss/prepare.ts';
export * from './cmapss/rul-model.ts';
export * from './model-io.ts';
