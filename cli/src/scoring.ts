import type { Config, Logger } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import {
  type BackendChoice,
  createModelRegistry,
  createScoringJob,
  type DeviceToScore,
  type LastServiceSource,
  type ModelRegistry,
  type RiskSink,
  type ScoringJob,
  scoreDevices,
  withLastService,
} from '@aftercare/models';
import type { DeviceRegistry, ServiceDatabase } from '@aftercare/service';

export interface PlatformScoring {
  job: ScoringJob;
  models: ModelRegistry;
  /** Every registered device, as the scorer takes it. */
  devices(): Promise<DeviceToScore[]>;
  /** When each device was last serviced, where the service database is at hand. */
  lastService: LastServiceSource | undefined;
  stop(): Promise<void>;
}

const registryPage = 1_000;

/** Every registered device by id, read page by page: what the scorer needs to know beside telemetry. */
async function devicesById(registry: DeviceRegistry): Promise<Map<string, DeviceToScore>> {
  const byId = new Map<string, DeviceToScore>();
  for (let offset = 0; ; offset += registryPage) {
    const page = await registry.list({ limit: registryPage, offset });
    for (const device of page) {
      const installedAt = device.installedAt ? Date.parse(device.installedAt) : Number.NaN;
      byId.set(device.id, {
        deviceId: device.id,
        model: device.model,
        ...(Number.isFinite(installedAt) ? { installedAt } : {}),
      });
    }
    if (page.length < registryPage) return byId;
  }
}

/**
 * Last services from the service database: a device's newest ticket that a technician resolved
 * (repairs, maintenance visits; installations and fixes done remotely, which clear the technician,
 * do not count), as the simulator's repairs are the services the models were trained with.
 */
export function serviceRecordsLastService(db: ServiceDatabase): LastServiceSource {
  return {
    async lastServiceAt(deviceIds, asOf) {
      const rows = await db
        .selectFrom('tickets')
        .select((eb) => ['device_id', eb.fn.max<number>('resolved_at').as('at')])
        .where('resolved_at', 'is not', null)
        .where('resolved_at', '<=', asOf)
        .where('technician_id', 'is not', null)
        .where('kind', '!=', 'installation')
        .groupBy('device_id')
        .execute();
      const wanted = new Set(deviceIds);
      return new Map(rows.filter((r) => wanted.has(r.device_id)).map((r) => [r.device_id, Number(r.at)]));
    },
  };
}

/**
 * The scheduled scoring of `pnpm start`: every AFTERCARE_SCORING_CRON the devices with fresh telemetry
 * are scored by the active model of their device model, the risks are written to the telemetry
 * store and handed to the service side through `sink`. Devices whose model has no active version
 * yet are skipped with that reason (never scored by something made up).
 */
export function startScoring(options: {
  config: Config;
  store: TelemetryStore;
  registry: DeviceRegistry;
  sink: RiskSink;
  logger: Logger;
  backend: BackendChoice;
  /** When each device was last serviced (the service database); without it the feature counts from install. */
  lastService?: LastServiceSource;
}): PlatformScoring {
  const { config, store, registry, logger } = options;
  const models = createModelRegistry({ dataDir: config.AFTERCARE_DATA_DIR, logger });
  const job = createScoringJob({
    cron: config.AFTERCARE_SCORING_CRON,
    store,
    sink: options.sink,
    logger,
    backend: options.backend.name,
    score: async (ids, now) => {
      const known = await devicesById(registry);
      const listed = ids.flatMap((id) => known.get(id) ?? []);
      const devices = options.lastService ? await withLastService(listed, options.lastService, now) : listed;
      const unknown = ids.filter((id) => !known.has(id));
      const result = await scoreDevices({
        registry: models,
        store,
        devices,
        now,
        batchSize: config.AFTERCARE_SCORING_BATCH,
        logger,
      });
      return {
        ...result,
        skipped: [
          ...result.skipped,
          ...unknown.map((deviceId) => ({ deviceId, reason: 'not in the device registry' })),
        ],
      };
    },
  });
  job.start();
  return {
    job,
    models,
    devices: async () => [...(await devicesById(registry)).values()],
    lastService: options.lastService,
    async stop() {
      await job.stop();
      models.close();
    },
  };
}
