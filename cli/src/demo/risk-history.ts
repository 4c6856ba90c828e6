import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import {
  type DeviceToScore,
  type LastServiceSource,
  type ModelRegistry,
  scoreDevices,
  withLastService,
} from '@aftercare/models';
import { z } from 'zod';

const DAY_MS = 86_400_000;

export interface RiskHistoryBackfill {
  /** How many instants were scored, a step apart from the first to the last. */
  instants: number;
  risks: number;
  seconds: number;
}

/**
 * Scores the fleet as the models would have at each instant from `from` to `until` (every `stepMs`),
 * on the telemetry stored up to then and the services done by then, and writes those risks to the
 * store with their own time. Nothing is handed to the service side: these are the risk history a
 * device's page draws, not risks to act on now. A device without data at an instant is skipped there,
 * as the live scoring skips it; nothing is made up.
 */
export async function backfillRiskHistory(options: {
  store: Pick<TelemetryStore, 'windows' | 'events' | 'writeRisks'>;
  models: Pick<ModelRegistry, 'active'>;
  devices: readonly DeviceToScore[];
  lastService?: LastServiceSource | undefined;
  from: number;
  until: number;
  stepMs?: number;
  batchSize?: number;
  logger: Logger;
}): Promise<RiskHistoryBackfill> {
  const step = options.stepMs ?? DAY_MS;
  const started = performance.now();
  const instants: number[] = [];
  for (let at = options.from; at <= options.until; at += step) instants.push(at);
  let risks = 0;
  let reported = 0;
  for (const [i, at] of instants.entries()) {
    const devices = options.lastService
      ? await withLastService(options.devices, options.lastService, at)
      : options.devices;
    const result = await scoreDevices({
      registry: options.models,
      store: options.store,
      devices,
      now: at,
      batchSize: options.batchSize ?? 500,
    });
    if (result.risks.length > 0) await options.store.writeRisks(result.risks);
    risks += result.risks.length;
    // A line a tenth of the way: the first start's log says how far the history has come.
    const tenth = Math.floor(((i + 1) * 10) / instants.length);
    if (tenth > reported) {
      reported = tenth;
      options.logger.info(
        { done: i + 1, of: instants.length, risks, at: new Date(at).toISOString() },
        `risk history: ${tenth * 10}% scored`,
      );
    }
  }
  return {
    instants: instants.length,
    risks,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

const markerFile = 'risk-history.json';
const markerSchema = z.object({
  version: z.literal(1),
  from: z.number(),
  until: z.number(),
  instants: z.number(),
  risks: z.number(),
  seconds: z.number(),
});

/**
 * Days of risk history the demo's first start scores at most: the device page's 90-day view, whole,
 * where the store keeps risks that long (the embedded store's daily rollup does; InfluxDB's go with
 * raw telemetry, after AFTERCARE_RETENTION_DAYS).
 */
export const demoRiskHistoryDays = 90;

/**
 * The demo's risk history, once per data directory: the models' daily scores over the last
 * `demoRiskHistoryDays` days of the demo history, up to a day before it ends (the live scoring takes
 * over from there). A marker in the data directory says it was done; a later start skips it.
 */
export async function ensureDemoRiskHistory(options: {
  dataDir: string;
  store: Pick<TelemetryStore, 'windows' | 'events' | 'writeRisks'>;
  models: Pick<ModelRegistry, 'active'>;
  devices: () => Promise<readonly DeviceToScore[]>;
  lastService?: LastServiceSource | undefined;
  historyUntil: number;
  days?: number;
  logger: Logger;
}): Promise<RiskHistoryBackfill | null> {
  const marker = join(options.dataDir, markerFile);
  // A marker that is missing, unreadable or not ours means the history is scored (again).
  const done = await readFile(marker, 'utf8')
    .then((text) => markerSchema.safeParse(JSON.parse(text)).success)
    .catch(() => false);
  if (done) return null;
  const log = options.logger.child({ component: 'risk-history' });
  const until = options.historyUntil - DAY_MS;
  const from = until - ((options.days ?? demoRiskHistoryDays) - 1) * DAY_MS;
  log.info(
    { from: new Date(from).toISOString(), until: new Date(until).toISOString() },
    'scoring the demo history day by day, so that risk charts have a past (first start with models)',
  );
  const result = await backfillRiskHistory({
    store: options.store,
    models: options.models,
    devices: await options.devices(),
    lastService: options.lastService,
    from,
    until,
    logger: log,
  });
  await writeFile(marker, `${JSON.stringify({ version: 1, from, until, ...result })}\n`);
  log.info(result, 'risk history of the demo written');
  return result;
}
