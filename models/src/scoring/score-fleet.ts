import { catalog, type DeviceModel, type Logger, type Risk, silentLogger } from '@aftercare/core';
import type { DeviceWindow, TelemetryStore } from '@aftercare/ingest';
import * as tf from '@tensorflow/tfjs';
import { attributeBatch, describeDrivers } from '../explain/drivers.ts';
import { FeatureSource, hasEnoughData } from '../features/extract-features.ts';
import { DAY_MS, eventLookbackMs, lookbackMs } from '../features/feature-spec.ts';
import { predictFleet } from '../fleet/fleet-network.ts';
import { applyNormalisation } from '../fleet/normalisation.ts';
import type { ActiveModel, ModelRegistry } from '../registry/model-registry.ts';

// The last-service port is part of scoring's public surface (models/src/index.ts lists this file).
export * from './last-service.ts';

export interface DeviceToScore {
  deviceId: string;
  model: DeviceModel;
  /** Epoch ms; unknown leaves the age feature undefined. */
  installedAt?: number | null;
  /** Epoch ms of the last completed service visit; unknown falls back to the install date. */
  lastServiceAt?: number | null;
}

export interface SkippedDevice {
  deviceId: string;
  reason: string;
  /** Skipped for want of a model, not of data: worth trying again at the next run. */
  retry?: boolean;
}

export interface ScoreDevicesOptions {
  registry: Pick<ModelRegistry, 'active'>;
  store: Pick<TelemetryStore, 'windows' | 'events'>;
  devices: readonly DeviceToScore[];
  /** Epoch ms: the scoring time; features read the look-back ending here. */
  now: number;
  /** Devices read, featurised and predicted together (default 500). */
  batchSize?: number;
  logger?: Logger;
}

export interface ScoreDevicesResult {
  /** One per scored device × failure mode of its device model. */
  risks: Risk[];
  /** Devices that got no score, and why: never a made-up score. */
  skipped: SkippedDevice[];
}

/** Events read per device and scoring run: far more than any feature window holds. */
const eventLimit = 10_000;

function days(n: number): string {
  return n === 1 ? 'day' : `${n} days`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** End of the newest bucket that holds data (capped at `now`); null when the window is empty. */
function newestData(window: DeviceWindow, stepMs: number, now: number): number | null {
  for (let i = window.ts.length - 1; i >= 0; i--) {
    for (const values of Object.values(window.values)) {
      if (values[i] !== null && values[i] !== undefined) return Math.min(window.ts[i]! + stepMs, now);
    }
  }
  return null;
}

async function scoreBatch(
  active: ActiveModel,
  batch: readonly DeviceToScore[],
  options: ScoreDevicesOptions,
  result: ScoreDevicesResult,
): Promise<void> {
  const { metadata, model, version } = active;
  const spec = metadata.featureSpec;
  const now = options.now;
  const windows = await options.store.windows({
    deviceIds: batch.map((d) => d.deviceId),
    metrics: spec.metrics,
    from: now - lookbackMs(spec),
    to: now,
    stepMs: spec.stepMs,
  });
  const byId = new Map(windows.map((w) => [w.deviceId, w]));
  const events = await Promise.all(
    batch.map((d) =>
      options.store.events({
        deviceId: d.deviceId,
        from: now - eventLookbackMs(spec),
        to: now,
        types: spec.eventTypes,
        limit: eventLimit,
      }),
    ),
  );
  const width = spec.features.length;
  const rows: { device: DeviceToScore; source: FeatureSource; dataUntil: number }[] = [];
  const raw = new Float64Array(batch.length * width);
  batch.forEach((device, i) => {
    const window = byId.get(device.deviceId);
    const dataUntil = window ? newestData(window, spec.stepMs, now) : null;
    if (!window || dataUntil === null) {
      result.skipped.push({
        deviceId: device.deviceId,
        reason: `no telemetry in the ${Math.max(...spec.horizonsDays)} days before scoring`,
      });
      return;
    }
    const source = new FeatureSource(spec, window, {
      installedAt: device.installedAt ?? null,
      serviceTimes:
        device.lastServiceAt === null || device.lastServiceAt === undefined ? [] : [device.lastServiceAt],
      events: events[i]!,
    });
    const coverage = source.fill(now, raw, rows.length * width);
    if (!hasEnoughData(spec, coverage)) {
      result.skipped.push({
        deviceId: device.deviceId,
        reason:
          `too little data: ${percent(coverage.overall)} of hourly readings over ${Math.max(...spec.horizonsDays)} days ` +
          `and ${percent(coverage.recent)} over the last ${days(Math.min(...spec.horizonsDays))}; ` +
          `scoring needs ${percent(spec.minCoverage)} of both`,
      });
      return;
    }
    rows.push({ device, source, dataUntil });
  });
  if (rows.length === 0) return;
  const targets = metadata.targets.length;
  // Drivers compare a machine that cycles on and off by its running hours, as the catalogue asks.
  const running = catalog[metadata.deviceModel].running;
  const scaled = applyNormalisation(metadata.normalisation, raw, rows.length);
  const prediction = predictFleet(model, scaled, rows.length, width);
  const attributions = attributeBatch(model, scaled, rows.length, width, targets);
  rows.forEach(({ device, source, dataUntil }, r) => {
    metadata.targets.forEach((target, k) => {
      const pFail = Math.min(1, Math.max(0, prediction.pFail[r * targets + k]!));
      const daysLeft = prediction.daysLeftFraction[r * targets + k]! * metadata.daysLeft.scaleDays;
      result.risks.push({
        deviceId: device.deviceId,
        model: metadata.deviceModel,
        component: target.component,
        failureMode: target.failureMode,
        pFail,
        // Days left are stated only when the model sees the failure coming (its alert threshold).
        daysLeft: pFail >= target.threshold ? Math.min(metadata.horizonDays, Math.max(0, daysLeft)) : null,
        horizonDays: metadata.horizonDays,
        modelVersion: version,
        scoredAt: now,
        dataUntil,
        drivers: describeDrivers({
          deviceModel: metadata.deviceModel,
          features: spec.features,
          horizonsDays: spec.horizonsDays,
          contributions: attributions[k]!.subarray(r * width, (r + 1) * width),
          at: now,
          level: running
            ? (metric, from, to) => source.runningLevel(metric, from, to, running)
            : (metric, from, to) => source.level(metric, from, to),
        }),
      });
    });
  });
}

/**
 * Scores devices with their device model's active fleet model: per batch, one `windows()` read of
 * the look-back the model's feature spec needs (hourly), the recent events, the features of the
 * saved spec, one forward pass and one attribution pass, then one `Risk` per device × failure
 * mode. Devices without enough data (the spec's `minCoverage`, both over the whole look-back and
 * over the last day) or without an active model are returned in `skipped` with the reason.
 */
export async function scoreDevices(options: ScoreDevicesOptions): Promise<ScoreDevicesResult> {
  const log = (options.logger ?? silentLogger).child({ component: 'fleet-scoring' });
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const result: ScoreDevicesResult = { risks: [], skipped: [] };
  const byModel = new Map<DeviceModel, DeviceToScore[]>();
  for (const device of options.devices) {
    let list = byModel.get(device.model);
    if (!list) {
      list = [];
      byModel.set(device.model, list);
    }
    list.push(device);
  }
  const started = performance.now();
  for (const [deviceModel, devices] of byModel) {
    let active: ActiveModel | null;
    try {
      active = await options.registry.active(deviceModel);
    } catch (err) {
      log.error({ err, deviceModel }, 'active model could not be loaded');
      // Why, in the registry's one line (a damaged active.json names itself): what to mend.
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      const reason = `model for ${deviceModel} could not be loaded: ${why}`;
      for (const d of devices) result.skipped.push({ deviceId: d.deviceId, reason });
      continue;
    }
    if (!active) {
      for (const d of devices) {
        result.skipped.push({
          deviceId: d.deviceId,
          reason: `no active model version for ${deviceModel}`,
          retry: true,
        });
      }
      continue;
    }
    for (let i = 0; i < devices.length; i += batchSize) {
      await scoreBatch(active, devices.slice(i, i + batchSize), options, result);
    }
  }
  log.debug(
    {
      devices: options.devices.length,
      risks: result.risks.length,
      skipped: result.skipped.length,
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    },
    'devices scored',
  );
  return result;
}

/** The look-back a device model's active model reads, for callers that pick devices with fresh data. */
export function scoringLookbackDays(active: ActiveModel): number {
  return lookbackMs(active.metadata.featureSpec) / DAY_MS;
}

/** Tensors alive in the tfjs engine: a scoring loop that leaked would show here (tests and benches watch it). */
export function liveTensorCount(): number {
  return tf.memory().numTensors;
}
