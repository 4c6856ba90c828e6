import type { DeviceModel } from '@aftercare/core';
import {
  DeviceSimulator,
  type DeviceSpec,
  firstSampleAt,
  type HistoryOptions,
  HOUR_MS,
  historySpecs,
  simulateDevice,
} from '@aftercare/device-sim';
import type { StoredEvent, TelemetryPoint, TelemetryStore } from '@aftercare/ingest';
import type { LabelledDeviceHistory, RecordedFailure } from '@aftercare/models';

const DAY_MS = 86_400_000;

/** Where simulated training and evaluation fleets start unless told otherwise: a whole year follows. */
export const defaultHistoryStart = Date.UTC(2025, 0, 1);

export interface SimulatedHistoryOptions {
  seed: number;
  /** A number builds a fleet (as `pnpm sim history` does); pass specs to simulate known devices. */
  devices: number | readonly DeviceSpec[];
  days: number;
  from?: number;
  failureRate?: number;
  models?: Partial<Record<DeviceModel, number>>;
  idPrefix?: string;
}

/**
 * One simulated device's past as a `LabelledDeviceHistory`: hourly telemetry laid out as the
 * store's `windows()` returns it (bucket = the sample's hour), its firmware events, its ground-truth
 * failures with their repair times, and its repairs as services. Failures already under way when
 * the range starts are included, so their down time is known too.
 */
export function deviceHistory(spec: DeviceSpec, from: number, to: number): LabelledDeviceHistory {
  const sim = new DeviceSimulator(spec, from);
  const failures = new Map<string, RecordedFailure>();
  const key = (mode: string, failedAt: number) => `${mode}@${failedAt}`;
  for (const open of sim.openFailures()) {
    failures.set(key(open.failureMode, open.failedAt), {
      component: open.component,
      failureMode: open.failureMode,
      onsetAt: open.onsetAt,
      failedAt: open.failedAt,
      repairedAt: null,
    });
  }
  const ts: number[] = [];
  const values: Record<string, (number | null)[]> = {};
  const events: { ts: number; type: string; code: string }[] = [];
  const repairs: { at: number; failureMode: string | undefined }[] = [];
  for (let t = firstSampleAt(from, HOUR_MS); t <= to; t += HOUR_MS) {
    const tick = sim.step(t, HOUR_MS);
    const i = ts.length;
    ts.push(t);
    for (const [metric, value] of Object.entries(tick.sample.metrics)) {
      let series = values[metric];
      if (!series) {
        series = new Array(i).fill(null);
        values[metric] = series;
      }
      series.push(value);
    }
    for (const series of Object.values(values)) if (series.length === i) series.push(null);
    for (const e of tick.events) {
      if (e.type === 'failure') continue;
      events.push({ ts: e.ts, type: e.type, code: e.code });
      if (e.type === 'info' && e.code === 'repaired') repairs.push({ at: e.ts, failureMode: e.failureMode });
    }
    for (const truth of tick.groundTruth) {
      const k = key(truth.failureMode, truth.failedAt);
      if (!failures.has(k)) {
        failures.set(k, {
          component: truth.component,
          failureMode: truth.failureMode,
          onsetAt: truth.onsetAt,
          failedAt: truth.failedAt,
          repairedAt: null,
        });
      }
    }
  }
  for (const failure of failures.values()) {
    const repair = repairs.find((r) => r.failureMode === failure.failureMode && r.at >= failure.failedAt);
    failure.repairedAt = repair?.at ?? null;
  }
  return {
    deviceId: spec.id,
    model: spec.model,
    installedAt: spec.installedAt,
    window: { deviceId: spec.id, ts, values },
    events,
    failures: [...failures.values()].sort((a, b) => a.failedAt - b.failedAt),
    services: [...new Set(repairs.map((r) => r.at))].sort((a, b) => a - b).map((at) => ({ at })),
  };
}

/** The specs of a simulated fleet, as `simulatedHistories` builds it. */
export function simulatedFleetSpecs(options: SimulatedHistoryOptions): readonly DeviceSpec[] {
  const from = options.from ?? defaultHistoryStart;
  const history: HistoryOptions = {
    seed: options.seed,
    devices: options.devices,
    from,
    to: from + options.days * DAY_MS,
    ...(options.failureRate !== undefined ? { failureRate: options.failureRate } : {}),
    ...(options.models ? { models: options.models } : {}),
    ...(options.idPrefix !== undefined ? { idPrefix: options.idPrefix } : {}),
  };
  return historySpecs(history);
}

/**
 * A simulated fleet's histories, device by device: one device's year is in memory at a time
 * (about 80,000 numbers for nine metrics), so a fleet of any size streams through.
 */
export function* simulatedHistories(options: SimulatedHistoryOptions): Generator<LabelledDeviceHistory> {
  const from = options.from ?? defaultHistoryStart;
  const to = from + options.days * DAY_MS;
  for (const spec of simulatedFleetSpecs(options)) yield deviceHistory(spec, from, to);
}

/**
 * Writes simulated devices' telemetry and events into a store, device by device in batches, as
 * ingest would have stored them: what scoring reads in tests, demos and benchmarks.
 */
export async function writeSimulatedTelemetry(
  store: Pick<TelemetryStore, 'write' | 'writeEvents'>,
  specs: readonly DeviceSpec[],
  from: number,
  to: number,
  options: { intervalMs?: number; batchSize?: number } = {},
): Promise<{ samples: number; events: number }> {
  const batchSize = options.batchSize ?? 5_000;
  let points: TelemetryPoint[] = [];
  let events: StoredEvent[] = [];
  let samples = 0;
  let eventCount = 0;
  const flush = async () => {
    if (points.length > 0) await store.write(points);
    if (events.length > 0) await store.writeEvents(events);
    samples += points.length;
    eventCount += events.length;
    points = [];
    events = [];
  };
  for (const spec of specs) {
    for (const tick of simulateDevice(spec, from, to, options.intervalMs ?? HOUR_MS)) {
      points.push({
        deviceId: tick.deviceId,
        model: tick.model,
        ts: tick.sample.ts,
        metrics: tick.sample.metrics,
      });
      for (const e of tick.events) events.push({ ...e, deviceId: tick.deviceId, model: tick.model });
      if (points.length >= batchSize) await flush();
    }
  }
  await flush();
  return { samples, events: eventCount };
}
