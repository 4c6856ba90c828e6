import { catalog, type DeviceModel } from '@aftercare/core';
import type { StoredEvent, TelemetryPoint } from '../store/telemetry-store.ts';

export const minuteMs = 60_000;
export const hourMs = 3_600_000;

/** An hour boundary a few hours back: inside any retention policy and never in the future. */
export function recentHour(hoursAgo = 6, now = Date.now()): number {
  return Math.floor(now / hourMs) * hourMs - hoursAgo * hourMs;
}

/** A metric name from the catalogue, so fixtures fail loudly if the vocabulary changes under them. */
export function catalogMetric(model: DeviceModel, name: string): string {
  if (!catalog[model].metrics.some((m) => m.name === name)) throw new Error(`${model} has no metric ${name}`);
  return name;
}

/**
 * Points at start, start + stepMs, … with one value per index for each metric; `null` leaves the
 * metric out of that sample.
 */
export function samplesOf(
  deviceId: string,
  model: DeviceModel,
  start: number,
  stepMs: number,
  values: Record<string, readonly (number | null)[]>,
): TelemetryPoint[] {
  const length = Math.max(...Object.values(values).map((v) => v.length));
  const points: TelemetryPoint[] = [];
  for (let i = 0; i < length; i++) {
    const metrics: Record<string, number> = {};
    for (const [name, series] of Object.entries(values)) {
      const value = series[i];
      if (value !== null && value !== undefined) metrics[name] = value;
    }
    if (Object.keys(metrics).length > 0) points.push({ deviceId, model, ts: start + i * stepMs, metrics });
  }
  return points;
}

export function eventOf(deviceId: string, ts: number, fields: Partial<StoredEvent> = {}): StoredEvent {
  return { deviceId, model: 'split-ac', ts, type: 'warning', code: 'E1', ...fields };
}
