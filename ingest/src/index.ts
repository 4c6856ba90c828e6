export * from './errors.ts';
export * from './presence.ts';
export * from './rejection-log.ts';
export * from './store/telemetry-store.ts';
