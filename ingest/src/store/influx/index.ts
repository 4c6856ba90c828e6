export { createInfluxStore, type InfluxStoreOptions, InfluxTelemetryStore } from './influx-store.ts';
export { retentionPolicyName } from './retention.ts';
