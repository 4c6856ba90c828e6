export { createSqliteStore, type SqliteStoreOptions, SqliteTelemetryStore } from './sqlite-store.ts';
