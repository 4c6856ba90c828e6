import type { DeviceWindow } from '@aftercare/ingest';
import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../features/extract-features.ts';
import { DAY_MS, featureNames, HOUR_MS } from '../features/feature-spec.ts';
import { scoringPoints, TrainingSetBuilder } from './dataset.ts';
import type { LabelledDeviceHistory } from './labelled-history.ts';

const t0 = Date.UTC(2026, 0, 1);
const days = 60;

/** A purifier whose membrane pressure climbs from day 30 until the membrane fails on day 40. */
function purifier(deviceId = 'wp-1'): LabelledDeviceHistory {
  const ts = Array.from({ length: days * 24 }, (_, i) => t0 + i * HOUR_MS);
  const metrics = [
    'tds_in_ppm',
    'tds_out_ppm',
    'membrane_pressure_kpa',
    'flow_lpm',
    'pump_current_a',
    'uv_intensity_pct',
    'filter_liters_total',
  ];
  const values: DeviceWindow['values'] = {};
  for (const metric of metrics) values[metric] = ts.map((_, i) => 100 + (i % 24));
  values.membrane_pressure_kpa = ts.map((t) => 500 + Math.max(0, (t - t0) / DAY_MS - 30) * 10);
  // The pump current has a two-day gap.
  values.pump_current_a = ts.map((t) => (t >= t0 + 20 * DAY_MS && t < t0 + 22 * DAY_MS ? null : 0.7));
  return {
    deviceId,
    model: 'water-purifier',
    installedAt: t0 - 100 * DAY_MS,
    window: { deviceId, ts, values },
    events: [
      ...Array.from({ length: 6 }, (_, i) => ({
        ts: t0 + (36 + i / 2) * DAY_MS,
        type: 'error',
        code: 'wp.low_flow',
      })),
      { ts: t0 + 10 * DAY_MS, type: 'error', code: 'wp.rare' },
      { ts: t0 + 40 * DAY_MS, type: 'info', code: 'repaired' },
    ],
    failures: [
      {
        component: 'ro_membrane',
        failureMode: 'membrane_fouling',
        onsetAt: t0 + 30 * DAY_MS,
        failedAt: t0 + 40 * DAY_MS,
        repairedAt: t0 + 42 * DAY_MS,
      },
    ],
    services: [{ at: t0 + 42 * DAY_MS }],
  };
}

describe('TrainingSetBuilder', () => {
  const builder = new TrainingSetBuilder('water-purifier', 14, { everyHours: 24 });
  builder.add(purifier());
  const set = builder.finish(5);
  const fouling = set.targets.findIndex((t) => t.failureMode === 'membrane_fouling');

  it('samples daily from a full look-back to the last time whose label is known, skipping down time', () => {
    const times = Array.from(set.times);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(t0 + 14 * DAY_MS);
    expect(Math.max(...times)).toBeLessThanOrEqual(t0 + (days - 14) * DAY_MS);
    expect(times.some((t) => t >= t0 + 40 * DAY_MS && t <= t0 + 42 * DAY_MS)).toBe(false);
    expect(times.length).toBeGreaterThan(25);
  });

  it('labels a failure mode 1 in the 14 days before it fails, with the days left as a share of them', () => {
    set.times.forEach((t, r) => {
      const left = (t0 + 40 * DAY_MS - t) / DAY_MS;
      const positive = left > 0 && left <= 14;
      expect(set.fails[r * set.targets.length + fouling]).toBe(positive ? 1 : 0);
      expect(set.daysLeft[r * set.targets.length + fouling]).toBeCloseTo(positive ? left / 14 : -1, 6);
    });
    expect(set.positives.membrane_fouling).toBe(14);
    expect(set.positives.uv_lamp_ageing).toBe(0);
  });

  it('learns the firmware codes the fleet raised often enough and builds rows exactly as scoring will', () => {
    expect(set.spec.eventCodes).toEqual(['wp.low_flow']);
    const history = purifier();
    const context = {
      installedAt: history.installedAt!,
      serviceTimes: [t0 + 42 * DAY_MS],
      events: history.events,
    };
    set.times.forEach((t, r) => {
      const { values } = extractFeatures(set.spec, history.window, context, t);
      const row = Array.from(set.x.subarray(r * set.width, (r + 1) * set.width));
      expect(row).toEqual(Array.from(Float32Array.from(values)));
    });
    expect(set.width).toBe(featureNames(set.spec).length);
  });
});

describe('scoringPoints', () => {
  it('scores every 12 hours outside down time and says which times can be judged', () => {
    const builder = new TrainingSetBuilder('water-purifier', 14);
    builder.add(purifier());
    const spec = builder.finish(5).spec;
    const points = scoringPoints(spec, purifier(), 14, 12);
    expect(points.times[0]).toBe(t0 + 14 * DAY_MS);
    expect(points.times[1]! - points.times[0]!).toBe(12 * HOUR_MS);
    expect(Array.from(points.times).some((t) => t >= t0 + 40 * DAY_MS && t <= t0 + 42 * DAY_MS)).toBe(false);
    expect(points.judge).toEqual({
      judgeUntil: t0 + (days - 14) * DAY_MS,
      countFrom: t0 + 28 * DAY_MS,
      countUntil: t0 + days * DAY_MS,
    });
    expect(points.failedAt[points.targets.findIndex((t) => t.failureMode === 'membrane_fouling')]).toEqual([
      t0 + 40 * DAY_MS,
    ]);
    const labelled = Array.from(points.labelled);
    expect(labelled.filter((l) => l === 0).length).toBeGreaterThan(0);
  });
});
