import { catalog, type DeviceModel } from '@aftercare/core';
import type { DeviceWindow } from '@aftercare/ingest';
import { DAY_MS } from '../features/feature-spec.ts';
import { assumedRepairDays, type LabelledDeviceHistory, type RecordedFailure } from './labelled-history.ts';

/** One output of a fleet model: a catalogue failure mode and the component it takes down. */
export interface FailureTarget {
  failureMode: string;
  component: string;
}

/** The outputs of a device model's fleet model, in catalogue order. */
export function failureTargets(model: DeviceModel): FailureTarget[] {
  return catalog[model].failureModes.map((m) => ({ failureMode: m.id, component: m.component }));
}

export interface DownPeriod {
  from: number;
  to: number;
}

/**
 * When the device is failed and waiting for (or in) repair: from each failure until its repair.
 * Predictions there are moot (the failure is known), so such times are neither trained nor judged.
 */
export function downPeriods(failures: readonly RecordedFailure[]): DownPeriod[] {
  return failures
    .map((f) => ({ from: f.failedAt, to: f.repairedAt ?? f.failedAt + assumedRepairDays * DAY_MS }))
    .sort((a, b) => a.from - b.from);
}

export function isDown(periods: readonly DownPeriod[], t: number): boolean {
  for (const p of periods) {
    if (p.from > t) return false;
    if (t <= p.to) return true;
  }
  return false;
}

/** End of the data a window holds: its last bucket's end. */
export function windowEnd(window: DeviceWindow, stepMs: number): number {
  return window.ts.length > 0 ? window.ts[window.ts.length - 1]! + stepMs : 0;
}

/**
 * Times to read features at: every `everyMs` (on the hour grid, shifted by `offsetMs`) from the
 * first time that has the whole look-back inside the window, to the window's end.
 */
export function samplePoints(
  window: DeviceWindow,
  stepMs: number,
  lookbackMs: number,
  everyMs: number,
  offsetMs = 0,
): number[] {
  if (window.ts.length === 0) return [];
  const first = window.ts[0]! + lookbackMs + offsetMs;
  const end = windowEnd(window, stepMs);
  const points: number[] = [];
  for (let t = first; t <= end; t += everyMs) points.push(t);
  return points;
}

/** A small deterministic offset per device, so daily training points do not all fall on one hour. */
export function pointOffsetMs(deviceId: string, everyMs: number, stepMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < deviceId.length; i++) h = Math.imul(h ^ deviceId.charCodeAt(i), 16777619);
  const slots = Math.max(1, Math.floor(everyMs / stepMs));
  return ((h >>> 0) % slots) * stepMs;
}

/**
 * The label of each target at `t`: 1 when a failure of that mode comes within `horizonDays`
 * (t < failedAt ≤ t + H), with its days left; otherwise 0 and NaN.
 */
export function labelsAt(
  failures: readonly RecordedFailure[],
  targets: readonly FailureTarget[],
  t: number,
  horizonDays: number,
): { fails: Uint8Array; daysLeft: Float64Array } {
  const fails = new Uint8Array(targets.length);
  const daysLeft = new Float64Array(targets.length).fill(Number.NaN);
  const horizonMs = horizonDays * DAY_MS;
  targets.forEach((target, k) => {
    for (const f of failures) {
      if (f.failureMode !== target.failureMode || f.failedAt <= t || f.failedAt > t + horizonMs) continue;
      const left = (f.failedAt - t) / DAY_MS;
      if (fails[k] === 0 || left < daysLeft[k]!) daysLeft[k] = left;
      fails[k] = 1;
    }
  });
  return { fails, daysLeft };
}

/** Labels are known up to the window's end minus the horizon: a later failure might lie past the data. */
export function labelledUntil(history: LabelledDeviceHistory, stepMs: number, horizonDays: number): number {
  return windowEnd(history.window, stepMs) - horizonDays * DAY_MS;
}
