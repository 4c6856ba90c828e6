import { join } from 'node:path';
import type { Config, Logger } from '@aftercare/core';
import {
  createInfluxStore,
  createSqliteStore,
  createWorkerBackedSqliteStore,
  type TelemetryStore,
} from '@aftercare/ingest';

/** The embedded SQLite store unless AFTERCARE_INFLUX_URL names an InfluxDB. */
/** `writes: false` (the API alone) reads SQLite directly instead of starting a writer thread it would not use. */
export function createTelemetryStore(
  config: Config,
  logger: Logger,
  options: { writes: boolean } = { writes: true },
): TelemetryStore {
  if (config.AFTERCARE_INFLUX_URL) {
    return createInfluxStore({
      url: config.AFTERCARE_INFLUX_URL,
      database: config.AFTERCARE_INFLUX_DB,
      token: config.AFTERCARE_INFLUX_TOKEN,
      username: config.AFTERCARE_INFLUX_USERNAME,
      password: config.AFTERCARE_INFLUX_PASSWORD,
      retentionDays: config.AFTERCARE_RETENTION_DAYS,
      logger,
    });
  }
  const sqlite = {
    file: join(config.AFTERCARE_DATA_DIR, 'telemetry.db'),
    retentionDays: config.AFTERCARE_RETENTION_DAYS,
    logger,
  };
  // Writes on their own thread, so ingest keeps reading sockets while SQLite commits.
  return options.writes ? createWorkerBackedSqliteStore(sqlite) : createSqliteStore(sqlite);
}

export function describeStore(config: Config): string {
  return config.AFTERCARE_INFLUX_URL
    ? `InfluxDB ${config.AFTERCARE_INFLUX_URL} (database ${config.AFTERCARE_INFLUX_DB})`
    : `embedded SQLite ${join(config.AFTERCARE_DATA_DIR, 'telemetry.db')}`;
}
