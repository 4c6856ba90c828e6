export { build, type ServiceApp, type ServiceConfig, type ServiceDeps } from './app.ts';
export {
  createDatabase,
  type DatabaseLocation,
  type ServiceDatabase,
  serviceDatabaseFile,
} from './db/database.ts';
export { migrateToLatest, migrationProvider } from './db/migrations.ts';
export type { ApiTokensTable, DevicesTable, ServiceTables } from './db/tables.ts';
export { ForbiddenError, QueryTooLargeError, UnauthorizedError } from './errors.ts';
export { customerScope, type Principal } from './principal.ts';
export {
  type DeviceCredentials,
  type DeviceFilter,
  type DevicePage,
  DeviceRegistry,
  type ProvisionedDevice,
} from './repositories/device-registry.ts';
export {
  type ApiToken,
  hashApiToken,
  type IssuedApiToken,
  type NewApiToken,
  TokenRepository,
} from './repositories/token-repository.ts';
export * from './schemas.ts';
export { type TelemetryRangeLimits, telemetryRangeLimits } from './telemetry-range.ts';
