export { createSqliteStore, type SqliteStoreOptions, SqliteTelemetryStore } from './sqlite-store.ts';
export { createWorkerBackedSqliteStore, WorkerBackedSqliteStore } from './worker-backed-store.ts';
