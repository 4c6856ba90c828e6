import { expect } from 'vitest';
import type { TelemetryPoint, TelemetryStore } from '../../store/telemetry-store.ts';
import { catalogMetric, minuteMs, samplesOf } from '../telemetry-fixtures.ts';

export const current = catalogMetric('split-ac', 'compressor_current_a');
export const discharge = catalogMetric('split-ac', 'discharge_temp_c');
export const power = catalogMetric('split-ac', 'power_w');
export const cabinet = catalogMetric('refrigerator', 'cabinet_temp_c');
export const duty = catalogMetric('refrigerator', 'compressor_duty_pct');

// Ten minutes of one split AC; the expected aggregates in the suites are worked out by hand from these.
export const currents = [6.1, 6.3, 6.2, 6.8, 7.0, 6.4, 6.6, 6.5, 6.9, 7.1];
export const discharges = [71.5, 72.0, 73.25, 74.0, 72.5, 75.5, 76.0, 74.5, 77.0, 78.5];

/** What every section of the contract shares; `store` is a fresh, initialised store in each test. */
export interface ContractContext {
  readonly store: TelemetryStore;
  /** An hour boundary a few hours ago. */
  t0: number;
  /** t0 plus that many minutes. */
  at: (minutes: number) => number;
  /** `currents` and `discharges`, one sample a minute from t0. */
  tenMinutes: (deviceId?: string) => TelemetryPoint[];
}

export function tenMinutesOf(t0: number) {
  return (deviceId = 'ac-0001') =>
    samplesOf(deviceId, 'split-ac', t0, minuteMs, { [current]: currents, [discharge]: discharges });
}

/** Aggregates compare to 9 decimals: engines sum floating point in different orders. */
export function expectValues(
  actual: readonly (number | null)[] | undefined,
  expected: readonly (number | null)[],
) {
  expect(actual, 'series length').toHaveLength(expected.length);
  expected.forEach((value, i) => {
    if (value === null) expect(actual![i], `index ${i}`).toBeNull();
    else expect(actual![i], `index ${i}`).toBeCloseTo(value, 9);
  });
}
