import {
  catalog,
  type DeviceModel,
  failureMode,
  metricSpec,
  type Risk,
  type RiskDriver,
} from '@aftercare/core';
import {
  DAY_MS,
  type DeviceSpec,
  type FleetRun,
  fleetSpecs,
  generateHistory,
  HOUR_MS,
  provisionDevices,
  runFleet,
} from '@aftercare/device-sim';
import type { TelemetryPoint } from '@aftercare/ingest';
import type { RunningPlatform } from '../src/platform.ts';

/**
 * A small simulated fleet with a history, for the console's browser tests: devices provisioned through
 * the API, two weeks of hourly telemetry from the simulator written through the store port (what
 * `pnpm sim history` produces), the devices then streaming live over MQTT so they are online, and
 * failures planted on one device of each model so that the telemetry really drifts.
 *
 * Risks: until the platform runs the models' scoring job, this factory scores the planted failures
 * from the simulator's own ground truth (onset and failure time) and writes them through the store's
 * risk port, as the scoring job will. Their model version says so: `test-fixture`.
 */

export interface PlantedFailure {
  deviceId: string;
  model: DeviceModel;
  failureMode: string;
  component: string;
  onsetAt: number;
  failedAt: number;
}

export interface ConsoleFleet {
  specs: readonly DeviceSpec[];
  planted: PlantedFailure[];
  /** The one planted failure that has already happened (the device counts as failed). */
  failed: PlantedFailure;
  risks: Risk[];
  stop(): Promise<void>;
}

/** One failure per model: three developing (days before failure differ), one already failed. */
const plans: Record<DeviceModel, { mode: string; onsetDaysAgo: number; failsInDays: number }> = {
  'split-ac': { mode: 'compressor_wear', onsetDaysAgo: 10, failsInDays: 3 },
  refrigerator: { mode: 'door_gasket_leak', onsetDaysAgo: 9, failsInDays: 9 },
  'water-purifier': { mode: 'membrane_fouling', onsetDaysAgo: 7, failsInDays: 18 },
  'washing-machine': { mode: 'drain_pump_clog', onsetDaysAgo: 12, failsInDays: -1 },
};

const scoringEveryMs = 3 * HOUR_MS;
const horizonDays = 14;

export async function seedConsoleFleet(
  platform: RunningPlatform,
  options: {
    devices?: number;
    historyDays?: number;
    seed?: number;
    now?: number;
    /** The customer (already created at the service) who owns the device at this index, if any. */
    ownerOf?: (index: number) => string | undefined;
  } = {},
): Promise<ConsoleFleet> {
  const now = options.now ?? Date.now();
  const seed = options.seed ?? 11;
  const from = now - (options.historyDays ?? 14) * DAY_MS;
  const planted: PlantedFailure[] = [];
  const specs = fleetSpecs({ seed, devices: options.devices ?? 12, start: from, failureRate: 0 }).map(
    (unowned, index) => {
      const owner = options.ownerOf?.(index);
      const spec = owner ? { ...unowned, customerId: owner } : unowned;
      if (planted.some((p) => p.model === spec.model)) return spec;
      const plan = plans[spec.model];
      const mode = failureMode(spec.model, plan.mode)!;
      const failure = {
        deviceId: spec.id,
        model: spec.model,
        failureMode: mode.id,
        component: mode.component,
        onsetAt: now - plan.onsetDaysAgo * DAY_MS,
        failedAt: now + plan.failsInDays * DAY_MS,
      };
      planted.push(failure);
      return {
        ...spec,
        failures: [{ failureMode: mode.id, onsetAt: failure.onsetAt, failedAt: failure.failedAt }],
      };
    },
  );

  const httpUrl = platform.httpUrl!;
  const provisioned = await provisionDevices(httpUrl, platform.adminToken, specs);

  // History up to the last full hour, hourly, as the simulator generates it.
  const historyTo = Math.floor(now / HOUR_MS) * HOUR_MS;
  const values = new Map<string, { ts: number[]; metrics: Record<string, number>[] }>();
  let batch: TelemetryPoint[] = [];
  for (const tick of generateHistory({ seed, devices: specs, from, to: historyTo, intervalMs: HOUR_MS })) {
    const ts = typeof tick.sample.ts === 'number' ? tick.sample.ts : Date.parse(tick.sample.ts);
    batch.push({ deviceId: tick.deviceId, model: tick.model, ts, metrics: tick.sample.metrics });
    const series = values.get(tick.deviceId) ?? { ts: [], metrics: [] };
    series.ts.push(ts);
    series.metrics.push(tick.sample.metrics);
    values.set(tick.deviceId, series);
    if (batch.length >= 5_000) {
      await platform.store.write(batch);
      batch = [];
    }
  }
  if (batch.length) await platform.store.write(batch);

  const risks = scoreFromGroundTruth(specs, planted, values, from, now);
  await platform.store.writeRisks(risks);

  // Then live: one sample a minute from now on, so the devices are connected and online.
  const fleet: FleetRun = runFleet({
    mqttUrl: platform.mqttUrl,
    devices: provisioned.devices,
    start: historyTo + 60_000,
    speed: 1,
    intervalMs: 60_000,
  });

  return {
    specs,
    planted,
    failed: planted.find((p) => p.failedAt <= now)!,
    risks,
    stop: () => fleet.stop(),
  };
}

function meanAround(
  series: { ts: number[]; metrics: Record<string, number>[] },
  metric: string,
  at: number,
): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < series.ts.length; i++) {
    const value = series.metrics[i]![metric];
    if (value !== undefined && Math.abs(series.ts[i]! - at) <= 12 * HOUR_MS) {
      sum += value;
      n++;
    }
  }
  return n ? sum / n : null;
}

function driversAt(
  model: DeviceModel,
  planted: PlantedFailure,
  series: { ts: number[]; metrics: Record<string, number>[] } | undefined,
  at: number,
): RiskDriver[] {
  if (!series) return [];
  const mode = failureMode(model, planted.failureMode)!;
  const overDays = Math.max(1, Math.round((at - planted.onsetAt) / DAY_MS));
  const drivers: RiskDriver[] = [];
  for (const [index, signature] of mode.signature.entries()) {
    const spec = metricSpec(model, signature.metric)!;
    const then = meanAround(series, signature.metric, planted.onsetAt);
    const recent = meanAround(series, signature.metric, at - 12 * HOUR_MS);
    if (then === null || recent === null) continue;
    const change = Math.round((recent - then) * 100) / 100;
    const direction = Math.abs(change) < 1e-9 ? 'steady' : change > 0 ? 'up' : 'down';
    const shown = Math.abs(change) >= 10 ? Math.round(change) : Math.round(change * 10) / 10;
    drivers.push({
      metric: signature.metric,
      label: spec.label,
      unit: spec.unit,
      change,
      overDays,
      direction,
      weight: Math.round((0.6 / (index + 1)) * 100) / 100,
      text: `${spec.label} ${shown >= 0 ? '+' : '−'}${Math.abs(shown)} ${spec.unit} over ${overDays} days`,
    });
  }
  return drivers;
}

/** Risk scores every few hours over the history: rising towards a planted failure, low elsewhere. */
function scoreFromGroundTruth(
  specs: readonly DeviceSpec[],
  planted: readonly PlantedFailure[],
  values: Map<string, { ts: number[]; metrics: Record<string, number>[] }>,
  from: number,
  now: number,
): Risk[] {
  const risks: Risk[] = [];
  for (let at = Math.ceil(from / scoringEveryMs) * scoringEveryMs; at <= now; at += scoringEveryMs) {
    for (const [deviceIndex, spec] of specs.entries()) {
      const components = new Map(catalog[spec.model].failureModes.map((m) => [m.component, m]));
      for (const [componentIndex, mode] of [...components.values()].entries()) {
        const plant = planted.find((p) => p.deviceId === spec.id && p.component === mode.component);
        // A small, steady background score that differs per device and component.
        let pFail = 0.02 + ((deviceIndex * 7 + componentIndex * 3) % 10) / 100;
        let daysLeft: number | null = null;
        let drivers: RiskDriver[] = [];
        if (plant && at >= plant.onsetAt) {
          const progress = Math.min(1, (at - plant.onsetAt) / (plant.failedAt - plant.onsetAt));
          pFail = Math.min(0.98, 0.06 + 0.92 * progress ** 1.3);
          daysLeft = Math.max(0, Math.round(((plant.failedAt - at) / DAY_MS) * 10) / 10);
          drivers = driversAt(spec.model, plant, values.get(spec.id), at);
        }
        risks.push({
          deviceId: spec.id,
          model: spec.model,
          component: mode.component,
          failureMode: mode.id,
          pFail: Math.round(pFail * 1000) / 1000,
          daysLeft: daysLeft !== null && daysLeft > horizonDays * 2 ? null : daysLeft,
          horizonDays,
          modelVersion: 'test-fixture',
          scoredAt: at,
          dataUntil: at,
          drivers,
        });
      }
    }
  }
  return risks;
}
