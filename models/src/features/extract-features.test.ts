import type { DeviceWindow } from '@aftercare/ingest';
import { describe, expect, it } from 'vitest';
import { extractFeatures, FeatureSource, hasEnoughData } from './extract-features.ts';
import { DAY_MS, defaultFeatureSpec, type FeatureSpec, featureNames, HOUR_MS } from './feature-spec.ts';

const t0 = Date.UTC(2026, 0, 1);

/** A window of `hours` hourly buckets from t0 with the given series per metric. */
function windowOf(hours: number, series: Record<string, (i: number) => number | null>): DeviceWindow {
  const ts = Array.from({ length: hours }, (_, i) => t0 + i * HOUR_MS);
  const values: DeviceWindow['values'] = {};
  for (const [metric, f] of Object.entries(series)) values[metric] = ts.map((_, i) => f(i));
  return { deviceId: 'dev-1', ts, values };
}

function spec(metrics: string[], extra: Partial<FeatureSpec> = {}): FeatureSpec {
  return {
    ...defaultFeatureSpec('split-ac', { horizonsDays: [1, 7], eventCodes: ['ac.start_failure'] }),
    metrics,
    ...extra,
  };
}

function feature(s: FeatureSpec, values: Float64Array, name: string): number {
  const index = featureNames(s).indexOf(name);
  if (index < 0) throw new Error(`no feature ${name}`);
  return values[index]!;
}

describe('extractFeatures', () => {
  const s = spec(['a']);
  const at = t0 + 14 * DAY_MS;

  it('gives a linear ramp its slope per day, its mean and its extremes', () => {
    // 0.5 per hour: 12 per day. The last day holds hours 312..335.
    const { values } = extractFeatures(s, windowOf(14 * 24, { a: (i) => 10 + 0.5 * i }), {}, at);
    expect(feature(s, values, 'a:slope:1d')).toBeCloseTo(12, 9);
    expect(feature(s, values, 'a:slope:7d')).toBeCloseTo(12, 9);
    expect(feature(s, values, 'a:mean:1d')).toBeCloseTo(10 + (0.5 * (312 + 335)) / 2, 9);
    expect(feature(s, values, 'a:min:1d')).toBe(10 + 0.5 * 312);
    expect(feature(s, values, 'a:max:7d')).toBe(10 + 0.5 * 335);
    expect(feature(s, values, 'a:min:7d')).toBe(10 + 0.5 * 168);
    // The std of 24 evenly spaced points 0.5 apart: 0.5 * sqrt((24² − 1) / 12).
    expect(feature(s, values, 'a:std:1d')).toBeCloseTo(0.5 * Math.sqrt((24 * 24 - 1) / 12), 9);
  });

  it('gives a constant series a std and slope of exactly zero, however large its level', () => {
    const { values } = extractFeatures(s, windowOf(14 * 24, { a: () => 987_654.321 }), {}, at);
    expect(feature(s, values, 'a:std:7d')).toBe(0);
    expect(feature(s, values, 'a:slope:7d')).toBe(0);
    expect(feature(s, values, 'a:mean:7d')).toBe(987_654.321);
    expect(feature(s, values, 'a:delta_mean:1d')).toBe(0);
  });

  it('ignores missing buckets instead of counting them as zeros', () => {
    const full = extractFeatures(s, windowOf(14 * 24, { a: (i) => 3 + 0.1 * i }), {}, at);
    const gappy = extractFeatures(
      s,
      windowOf(14 * 24, { a: (i) => (i % 3 === 0 ? null : 3 + 0.1 * i) }),
      {},
      at,
    );
    expect(feature(s, gappy.values, 'a:slope:7d')).toBeCloseTo(feature(s, full.values, 'a:slope:7d'), 9);
    expect(feature(s, gappy.values, 'a:min:1d')).toBeCloseTo(3 + 0.1 * 313, 9);
    expect(gappy.coverage.recent).toBeCloseTo(2 / 3, 9);
    expect(full.coverage).toEqual({ overall: 1, recent: 1 });
  });

  it('leaves a value undefined (NaN) where there is nothing to compute it from', () => {
    const { values, coverage } = extractFeatures(
      s,
      windowOf(14 * 24, { a: (i) => (i < 300 ? 1 : null) }),
      {},
      at,
    );
    expect(feature(s, values, 'a:mean:1d')).toBeNaN();
    expect(feature(s, values, 'a:slope:1d')).toBeNaN();
    expect(feature(s, values, 'a:mean:7d')).toBe(1);
    expect(coverage.recent).toBe(0);
    expect(hasEnoughData(s, coverage)).toBe(false);
  });

  it('measures the shift of the recent level against the longest horizon, the unit’s own baseline', () => {
    // Level 50 for six days, then 56 for the last day: the 7-day mean is 50 + 6/7.
    const { values } = extractFeatures(s, windowOf(14 * 24, { a: (i) => (i >= 13 * 24 ? 56 : 50) }), {}, at);
    expect(feature(s, values, 'a:delta_mean:1d')).toBeCloseTo(6 - 6 / 7, 9);
  });

  it('counts a window that is shorter than the longest horizon as missing data', () => {
    const { coverage } = extractFeatures(s, windowOf(24, { a: () => 1 }), {}, t0 + DAY_MS);
    expect(coverage).toEqual({ overall: 1 / 7, recent: 1 });
    expect(hasEnoughData(s, coverage)).toBe(false);
  });

  it('reads device age, time since the last service, and recent events by type and by code', () => {
    const ctx = {
      installedAt: at - 99 * DAY_MS,
      serviceTimes: [at - 30 * DAY_MS, at - 3 * DAY_MS, at + DAY_MS],
      events: [
        { ts: at - 2 * HOUR_MS, type: 'error', code: 'ac.start_failure' },
        { ts: at - 3 * DAY_MS, type: 'error', code: 'ac.low_pressure' },
        { ts: at - 8 * DAY_MS, type: 'error', code: 'ac.start_failure' },
        { ts: at - HOUR_MS, type: 'info', code: 'repaired' },
        { ts: at, type: 'error', code: 'ac.start_failure' },
      ],
    };
    const { values } = extractFeatures(s, windowOf(14 * 24, { a: () => 1 }), ctx, at);
    expect(feature(s, values, 'context:age_days_log1p')).toBeCloseTo(Math.log1p(99), 12);
    expect(feature(s, values, 'context:since_service_days_log1p')).toBeCloseTo(Math.log1p(3), 12);
    expect(feature(s, values, 'events:error:1d')).toBe(1);
    expect(feature(s, values, 'events:error:7d')).toBe(2);
    expect(feature(s, values, 'events:warning:7d')).toBe(0);
    expect(feature(s, values, 'events:code=ac.start_failure:7d')).toBe(1);
  });

  it('takes the install date as the last service when none is known, and leaves unknown age undefined', () => {
    const known = extractFeatures(s, windowOf(14 * 24, { a: () => 1 }), { installedAt: at - 9 * DAY_MS }, at);
    expect(feature(s, known.values, 'context:since_service_days_log1p')).toBeCloseTo(Math.log1p(9), 12);
    const unknown = extractFeatures(s, windowOf(14 * 24, { a: () => 1 }), {}, at);
    expect(feature(s, unknown.values, 'context:age_days_log1p')).toBeNaN();
  });

  it('gives one value per named feature, the same read once or from a prepared source', () => {
    const w = windowOf(30 * 24, { a: (i) => Math.sin(i / 5) * 3, b: (i) => (i % 7 === 0 ? null : i % 11) });
    const s2 = spec(['a', 'b']);
    const source = new FeatureSource(s2, w, {});
    for (const point of [t0 + 10 * DAY_MS, t0 + 20 * DAY_MS + 5 * HOUR_MS]) {
      const once = extractFeatures(s2, w, {}, point);
      expect(once.values).toHaveLength(featureNames(s2).length);
      expect(Array.from(source.at(point).values)).toEqual(Array.from(once.values));
    }
  });

  it('refuses a window that is not on the spec’s hourly grid', () => {
    const w = windowOf(48, { a: () => 1 });
    w.ts[10] = w.ts[10]! + 1;
    expect(() => extractFeatures(s, w, {}, at)).toThrow(/grid/);
  });
});

describe('FeatureSource.runningLevel', () => {
  it('averages a metric over the hours the machine ran only', () => {
    // The compressor runs every other hour; the fan reads 900 rpm running and 0 standing.
    const s = spec(['compressor_current_a', 'condenser_fan_rpm']);
    const source = new FeatureSource(
      s,
      windowOf(48, {
        compressor_current_a: (i) => (i % 2 === 0 ? 6 : 0.2),
        condenser_fan_rpm: (i) => (i % 2 === 0 ? 900 : 0),
      }),
    );
    const running = { metric: 'compressor_current_a', above: 1 };
    expect(source.level('condenser_fan_rpm', t0, t0 + DAY_MS)).toBe(450);
    expect(source.runningLevel('condenser_fan_rpm', t0, t0 + DAY_MS, running)).toBe(900);
    expect(source.runningLevel('condenser_fan_rpm', t0 + 2 * DAY_MS, t0 + 3 * DAY_MS, running)).toBeNaN();
  });
});
