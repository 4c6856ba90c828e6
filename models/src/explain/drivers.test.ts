import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { DAY_MS } from '../features/feature-spec.ts';
import { buildFleetNetwork, LOGITS_LAYER } from '../fleet/fleet-network.ts';
import { attributeBatch, describeDrivers } from './drivers.ts';

const at = Date.UTC(2026, 5, 1);
const features = [
  'discharge_temp_c:mean:7d',
  'discharge_temp_c:slope:7d',
  'discharge_temp_c:mean:1d',
  'vibration_mm_s:mean:14d',
  'power_w:mean:1d',
  'context:age_days_log1p',
  'events:error:7d',
];
const horizonsDays = [1, 3, 7, 14];

/** Discharge temperature rises 1 °C a day; everything else is flat. */
function level(metric: string, from: number): number {
  if (metric === 'discharge_temp_c') return 70 + (from - (at - 14 * DAY_MS)) / DAY_MS;
  if (metric === 'vibration_mm_s') return 1.2;
  return 900;
}

/** A small, repeatable day-to-day scatter (±0.3 of the unit), as real daily means have. */
function wobble(from: number): number {
  return 0.3 * Math.sin((from / DAY_MS) * 2.7);
}

/**
 * Discharge temperature steady at 75 °C, until a fault sets in 9 days before scoring and raises it as
 * the simulator does (quadratically in time, +8 °C when it gives out, at scoring).
 */
function drifting(metric: string, from: number, to: number): number {
  if (metric !== 'discharge_temp_c') return metric === 'vibration_mm_s' ? 1.2 + wobble(from) / 10 : 900;
  const onset = at - 9 * DAY_MS;
  const mid = (from + to) / 2;
  const severity = mid <= onset ? 0 : ((mid - onset) / (at - onset)) ** 2;
  return 75 + wobble(from) + 8 * severity;
}

describe('describeDrivers', () => {
  it('ranks metrics by their share of the attribution pushing the risk up, and words their change', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays,
      contributions: [2, 3, 1, 2, -4, 1, 1],
      at,
      level,
    });
    // Positive attribution: discharge 6, vibration 2, context 1, events 1 (power pushes down).
    expect(drivers[0]!.weight).toBeCloseTo(0.6, 12);
    // A steady rise over the whole look-back: the last day's level against the first day's.
    expect(drivers[0]).toMatchObject({
      metric: 'discharge_temp_c',
      label: 'Discharge temperature',
      unit: '°C',
      overDays: 13,
      direction: 'up',
    });
    expect(drivers[0]!.change).toBeCloseTo(13, 9);
    expect(drivers[0]!.text).toBe('Discharge temperature +13 °C over 13 days (70 → 83 °C)');
  });

  it('words the change of a percentage in points', () => {
    const drivers = describeDrivers({
      deviceModel: 'refrigerator',
      features: ['compressor_duty_pct:mean:7d'],
      horizonsDays,
      contributions: [1],
      at,
      // The compressor runs more every day, from half the time to all of it.
      level: (_metric, from) => 48 + 4 * ((from - (at - 14 * DAY_MS)) / DAY_MS),
    });
    expect(drivers[0]!.text).toBe('Compressor duty cycle +52 points over 13 days (48 → 100 %)');
  });

  it('does not present a metric that held steady as a reason', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays,
      // Vibration carries more of the attribution than discharge temperature, yet stayed at 1.2 mm/s.
      contributions: [1, 1, 0, 5, 0, 0, 0],
      at,
      level,
    });
    expect(drivers.map((d) => d.metric)).toEqual(['discharge_temp_c']);
  });

  it('describes a drift by its change since it began, not by the last two days', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays,
      // The attribution sits on the one-day level.
      contributions: [0, 0, 4, 0, 0, 0, 0],
      at,
      level: drifting,
    });
    expect(drivers).toHaveLength(1);
    const [discharge] = drivers;
    const injected = drifting('discharge_temp_c', at - DAY_MS, at) - 75 - wobble(at - DAY_MS);
    expect(discharge!.direction).toBe('up');
    // The fault shows from a few days after its onset (9 days back): a quadratic rise hides early.
    expect(discharge!.overDays).toBeGreaterThanOrEqual(5);
    expect(discharge!.overDays).toBeLessThanOrEqual(9);
    expect(discharge!.change).toBeGreaterThan(0.8 * injected);
    expect(discharge!.change).toBeLessThan(1.2 * injected);
    expect(discharge!.text).toMatch(
      /^Discharge temperature \+\d\.\d °C over \d days \(7\d\.\d → 8\d\.\d °C\)$/,
    );
  });

  it('names the strongest metrics as normal when none of them moved', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays,
      contributions: [0, 0, 0, 3, 0, 1, 0],
      at,
      level: (metric) => (metric === 'vibration_mm_s' ? 1.2 : 900),
    });
    expect(drivers).toEqual([
      expect.objectContaining({
        metric: 'vibration_mm_s',
        direction: 'steady',
        text: 'Vibration normal at 1.2 mm/s, no measurable change over 13 days',
      }),
    ]);
  });

  it('leaves out a metric with a negligible share of the attribution, however it moved', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays,
      contributions: [0, 0, 0.3, 0, 0, 9.7, 0],
      at,
      level,
    });
    expect(drivers).toEqual([]);
  });

  it('words a running total by its level against the usual range, not by its growth with use', () => {
    const litres = (from: number) => 1600 + 22 * ((from - (at - 14 * DAY_MS)) / DAY_MS);
    const input = {
      deviceModel: 'water-purifier' as const,
      features: ['filter_liters_total:mean:14d', 'pump_current_a:mean:1d'],
      horizonsDays,
      contributions: [3, 1],
      at,
    };
    const pumpWears = describeDrivers({
      ...input,
      level: (metric, from, to) =>
        metric === 'filter_liters_total'
          ? litres(from)
          : 0.68 + 0.25 * Math.max(0, ((from + to) / 2 - (at - 8 * DAY_MS)) / (8 * DAY_MS)) ** 2,
    });
    expect(pumpWears.map((d) => d.metric)).toEqual(['pump_current_a']);
    expect(pumpWears[0]!.text).toMatch(
      /^Booster pump current \+0\.2\d A over \d days \(0\.6\d → 0\.\d\d A\)$/,
    );
    const nothingElse = describeDrivers({
      ...input,
      level: (metric, from) => (metric === 'filter_liters_total' ? litres(from) : 0.68),
    });
    expect(nothingElse[0]!.text).toBe('Litres through filters normal at 1886 L (usual up to 6000 L)');
  });

  it('names no driver when nothing pushes the risk up', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays,
      contributions: [-1, -1, -1, 0, 0, 0, 0],
      at,
      level,
    });
    expect(drivers).toEqual([]);
  });
});

describe('attributeBatch', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('gives gradient × input of each failure mode’s logit, row by row', () => {
    // No hidden layer: logit_k = Σ_i w_ik x_i + b_k, so the attribution of feature i is w_ik x_i.
    const model = buildFleetNetwork({ inputs: 3, targets: 2, hiddenUnits: [] });
    const w = [
      [1, -2],
      [0.5, 0],
      [3, 1],
    ];
    model.getLayer(LOGITS_LAYER).setWeights([tf.tensor2d(w), tf.tensor1d([0.1, -0.3])]);
    const x = Float32Array.from([1, 2, -1, 0.5, 0, 2]);
    const [first, second] = attributeBatch(model, x, 2, 3, 2);
    expect(Array.from(first!)).toEqual([1, 1, -3, 0.5, 0, 6]);
    expect(Array.from(second!)).toEqual([-2, 0, -1, -1, 0, 2]);
    model.dispose();
  });
});
