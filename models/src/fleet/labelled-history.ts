import type { DeviceModel } from '@aftercare/core';
import type { DeviceWindow } from '@aftercare/ingest';
import type { FeatureEvent } from '../features/extract-features.ts';

/** A failure that really happened (the simulator's ground truth, or a confirmed field repair). */
export interface RecordedFailure {
  component: string;
  failureMode: string;
  /** When the degradation started to show. */
  onsetAt: number;
  /** When the component stopped working. */
  failedAt: number;
  /** When it was repaired; unknown (null/absent) means `assumedRepairDays` after the failure. */
  repairedAt?: number | null;
}

/**
 * One device's past as plain data, what training and evaluation learn from: an hourly telemetry
 * window (as the store's `windows()` returns it), firmware events, the failures that happened and
 * the services it had. The models package never sees where it came from (simulator or field).
 */
export interface LabelledDeviceHistory {
  deviceId: string;
  model: DeviceModel;
  installedAt?: number | null;
  window: DeviceWindow;
  events: readonly FeatureEvent[];
  failures: readonly RecordedFailure[];
  /** Completed services and repairs. */
  services?: readonly { at: number }[];
}

/** Days a failed component is assumed down when its repair time is not recorded. */
export const assumedRepairDays = 4;

export type HistorySource =
  | (() => Iterable<LabelledDeviceHistory> | AsyncIterable<LabelledDeviceHistory>)
  | Iterable<LabelledDeviceHistory>
  | AsyncIterable<LabelledDeviceHistory>;

/** Iterates a source of histories: a factory (called once per pass) or an iterable. */
export async function* eachHistory(source: HistorySource): AsyncGenerator<LabelledDeviceHistory> {
  const iterable = typeof source === 'function' ? source() : source;
  for await (const history of iterable as AsyncIterable<LabelledDeviceHistory>) yield history;
}
