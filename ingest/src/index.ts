export * from './errors.ts';
export * from './pipeline/ingest.ts';
export * from './pipeline/write-queue.ts';
export * from './presence.ts';
export * from './rejection-log.ts';
export * from './sources/mqtt-subscriber.ts';
export * from './store/index.ts';
export * from './store/telemetry-store.ts';
