import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type DeviceModel, type Logger, type Risk } from '@aftercare/core';
import { type DeviceSpec, generateHistory, historySpecs } from '@aftercare/device-sim';
import {
  createSqliteStore,
  type StoredEvent,
  type TelemetryPoint,
  type TelemetryStore,
} from '@aftercare/ingest';
import { createModelRegistry, initBackend, scoreDevices, trainFleetModels } from '@aftercare/models';
import { simulatedHistories } from '../models/sim-history.ts';
import { measured } from './measured.ts';
import { benchRiskHandling, riskHandlingRows } from './risk-handling.ts';
import { type BenchRow, fmt } from './table.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

export interface BenchDevice {
  deviceId: string;
  model: DeviceModel;
  installedAt: number;
}

/** Scores the devices as of `now`, reading what it needs from `store` (the models' batch scorer). */
export type BenchScorer = (
  devices: readonly BenchDevice[],
  now: number,
  store: TelemetryStore,
) => Promise<{ risks: readonly Risk[]; skipped: readonly unknown[] }>;

export interface ScoringBenchOptions {
  score: BenchScorer;
  /** Default 10,000. */
  devices?: number;
  /** Hourly history written before the run; at least the models' look-back. Default 15 days. */
  historyDays?: number;
  seed?: number;
  /** Points per store write while filling. Default 50,000. */
  writeBatch?: number;
  /** Devices per windows() call in the reference read, as the scorer batches them. Default 512. */
  readBatch?: number;
  progress?: (message: string) => void;
  logger?: Logger;
}

export interface ScoringBenchReport {
  devices: number;
  samples: number;
  events: number;
  fillSeconds: number;
  compactSeconds: number;
  /** The scoring run over every device: wall-clock, and CPU time of this process. */
  scoreSeconds: number;
  scoreCpuSeconds: number;
  devicesPerS: number;
  devicesScored: number;
  risks: number;
  skipped: number;
  /** Highest RSS seen during the run minus RSS just before it. */
  peakRssAddedBytes: number;
  rssBeforeBytes: number;
  /** The reference: the same devices' hourly windows over the look-back, read and dropped. */
  windowsSeconds: number;
  windowsCpuSeconds: number;
  windowsDevicesPerS: number;
  windowsPeakRssAddedBytes: number;
  /** What the run gave, for the service side to be measured on (`benchRiskHandling`). */
  scored: { risks: readonly Risk[]; specs: readonly DeviceSpec[]; now: number };
}

/** Writes the fleet's hourly history (samples and events) through the store in big batches. */
async function fill(
  store: TelemetryStore,
  options: Required<Pick<ScoringBenchOptions, 'writeBatch'>> & {
    history: Parameters<typeof generateHistory>[0];
  },
) {
  let points: TelemetryPoint[] = [];
  let events: StoredEvent[] = [];
  let samples = 0;
  let eventCount = 0;
  for (const tick of generateHistory(options.history)) {
    points.push({
      deviceId: tick.deviceId,
      model: tick.model,
      ts: tick.sample.ts,
      metrics: tick.sample.metrics,
    });
    for (const event of tick.events) events.push({ ...event, deviceId: tick.deviceId, model: tick.model });
    if (points.length >= options.writeBatch) {
      await store.write(points);
      samples += points.length;
      points = [];
    }
    if (events.length >= options.writeBatch) {
      await store.writeEvents(events);
      eventCount += events.length;
      events = [];
    }
  }
  await store.write(points);
  await store.writeEvents(events);
  return { samples: samples + points.length, events: eventCount + events.length };
}

/**
 * The scoring benchmark: a fresh SQLite store in a temp directory filled with `devices` simulated
 * devices' recent hourly history, then one scoring run over all of them, measured for time and
 * added memory, beside a plain windows() read of the same data as the reference.
 */
export async function benchScoring(options: ScoringBenchOptions): Promise<ScoringBenchReport> {
  const deviceCount = options.devices ?? 10_000;
  const historyDays = options.historyDays ?? 15;
  const readBatch = options.readBatch ?? 512;
  const progress = options.progress ?? (() => {});
  const now = Math.floor(Date.now() / hourMs) * hourMs;
  const history = {
    seed: options.seed ?? 11,
    devices: deviceCount,
    from: now - historyDays * dayMs,
    to: now,
    idPrefix: 'bench-',
  };
  const specs = historySpecs(history);
  const devices: BenchDevice[] = specs.map((spec) => ({
    deviceId: spec.id,
    model: spec.model,
    installedAt: spec.installedAt,
  }));
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-scoring-'));
  const file = join(dir, 'telemetry.db');
  const storeOptions = { file, retentionDays: 3650, ...(options.logger ? { logger: options.logger } : {}) };
  try {
    progress(
      `scoring: writing ${deviceCount.toLocaleString('en')} devices × ${historyDays} days of hourly history`,
    );
    const filling = createSqliteStore(storeOptions);
    await filling.init();
    const fillStarted = performance.now();
    const written = await fill(filling, { writeBatch: options.writeBatch ?? 50_000, history });
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    // The platform compacts every 10 minutes, so a scoring run finds all but the newest hour rolled up.
    progress('scoring: compacting (hourly rollup), as the platform does every 10 minutes');
    const compactStarted = performance.now();
    await filling.compact(now);
    const compactSeconds = (performance.now() - compactStarted) / 1000;
    await filling.close();

    // A fresh connection, as the scoring process would have.
    const store = createSqliteStore(storeOptions);
    await store.init();
    try {
      progress('scoring: reference windows() read of every device');
      const ids = devices.map((d) => d.deviceId);
      const reference = await measured(async () => {
        let buckets = 0;
        for (let i = 0; i < ids.length; i += readBatch) {
          const windows = await store.windows({
            deviceIds: ids.slice(i, i + readBatch),
            from: now - (historyDays - 1) * dayMs,
            to: now + hourMs,
            stepMs: hourMs,
          });
          buckets += windows.reduce((sum, w) => sum + w.ts.length, 0);
        }
        return buckets;
      });

      progress(`scoring: one run over ${deviceCount.toLocaleString('en')} devices`);
      const run = await measured(() => options.score(devices, now, store));
      return {
        devices: deviceCount,
        samples: written.samples,
        events: written.events,
        fillSeconds,
        compactSeconds,
        scoreSeconds: run.seconds,
        scoreCpuSeconds: run.cpuSeconds,
        devicesPerS: deviceCount / run.seconds,
        devicesScored: new Set(run.value.risks.map((r) => r.deviceId)).size,
        risks: run.value.risks.length,
        skipped: run.value.skipped.length,
        peakRssAddedBytes: run.added,
        rssBeforeBytes: run.before,
        windowsSeconds: reference.seconds,
        windowsCpuSeconds: reference.cpuSeconds,
        windowsDevicesPerS: deviceCount / reference.seconds,
        windowsPeakRssAddedBytes: reference.added,
        scored: { risks: run.value.risks, specs, now },
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FleetScoringBenchOptions {
  devices?: number;
  /** Also hand the run's risks to the service's risk automation (`benchRiskHandling`). Default true. */
  service?: boolean;
  /** Devices per scoring batch (AFTERCARE_SCORING_BATCH). Default 512. */
  batchSize?: number;
  progress?: (message: string) => void;
  logger?: Logger;
}

/**
 * The bench rows for scoring: fleet models trained quickly on a small simulated fleet (all four
 * device models), then `benchScoring` with the models' real batch scorer over 10,000 devices.
 */
export async function scoringBenchRows(options: FleetScoringBenchOptions = {}): Promise<BenchRow[]> {
  const progress = options.progress ?? (() => {});
  const batchSize = options.batchSize ?? 512;
  const backend = await initBackend('node', () => {});
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-bench-models-'));
  const registry = createModelRegistry({ dataDir, ...(options.logger ? { logger: options.logger } : {}) });
  try {
    progress(`scoring: training fleet models on a small simulated fleet (${backend.name})`);
    const from = Date.UTC(2025, 0, 1);
    const trained = await trainFleetModels({
      histories: () => simulatedHistories({ seed: 1, devices: 80, days: 90, from, failureRate: 6 }),
      validation: () => simulatedHistories({ seed: 2, devices: 40, days: 60, from, failureRate: 6 }),
      epochs: 4,
      hiddenUnits: [32],
      backend: backend.name,
    });
    for (const model of trained) await registry.save(model, { activate: true });
    const report = await benchScoring({
      ...(options.devices !== undefined ? { devices: options.devices } : {}),
      readBatch: batchSize,
      progress,
      ...(options.logger ? { logger: options.logger } : {}),
      score: (devices, now, store) => scoreDevices({ registry, store, devices, now, batchSize }),
    });
    const fleet = `${report.devices.toLocaleString('en')} simulated devices, 15 days hourly (${report.samples.toLocaleString('en')} samples), SQLite`;
    const service =
      options.service === false
        ? []
        : riskHandlingRows(
            await benchRiskHandling({
              ...report.scored,
              // The demo network is stocked for a few hundred devices: at 10,000, parts that cannot
              // reach a job in time are expected, and a warning each would bury the table.
              logger: createLogger({ level: 'error' }),
              progress,
            }),
            report.scoreSeconds,
          );
    return [
      {
        what: `fleet scoring: one run over every device (${backend.name})`,
        data: `${fleet}, batches of ${batchSize}`,
        figure: `${fmt.rate(report.devicesPerS)} devices/s, ${report.scoreSeconds.toFixed(1)} s (${report.scoreCpuSeconds.toFixed(1)} s CPU)`,
        reference: `aim < 60 s; ${report.devicesScored.toLocaleString('en')} scored, ${report.skipped} skipped, ${report.risks.toLocaleString('en')} risks; store windows() alone ${fmt.rate(report.windowsDevicesPerS)} devices/s, ${report.windowsSeconds.toFixed(1)} s (${report.windowsCpuSeconds.toFixed(1)} s CPU)`,
      },
      {
        what: `fleet scoring: memory the run adds (${backend.name})`,
        data: fleet,
        figure: `+${fmt.mb(report.peakRssAddedBytes)} peak RSS`,
        reference: `aim < 500 MB; ${fmt.mb(report.rssBeforeBytes)} RSS before; windows() alone +${fmt.mb(report.windowsPeakRssAddedBytes)}`,
      },
      ...service,
    ];
  } finally {
    registry.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
