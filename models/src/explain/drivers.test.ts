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

/** Discharge temperature rises 1 °C a day; everything else is flat. */
function level(metric: string, from: number): number {
  if (metric === 'discharge_temp_c') return 70 + (from - (at - 14 * DAY_MS)) / DAY_MS;
  if (metric === 'vibration_mm_s') return 1.2;
  return 900;
}

describe('describeDrivers', () => {
  it('ranks metrics by their share of the attribution pushing the risk up, and words their change', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays: [1, 3, 7, 14],
      contributions: [2, 3, 1, 2, -4, 1, 1],
      at,
      level,
    });
    expect(drivers.map((d) => d.metric)).toEqual(['discharge_temp_c', 'vibration_mm_s']);
    // Positive attribution: discharge 6, vibration 2, context 1, events 1 (power pushes down).
    expect(drivers[0]!.weight).toBeCloseTo(0.6, 12);
    expect(drivers[1]!.weight).toBeCloseTo(0.2, 12);
    // Most of discharge's attribution sits on the 7-day horizon: the last day against 7 days' first.
    expect(drivers[0]).toMatchObject({
      label: 'Discharge temperature',
      unit: '°C',
      overDays: 6,
      direction: 'up',
    });
    expect(drivers[0]!.change).toBeCloseTo(6, 9);
    expect(drivers[0]!.text).toBe('Discharge temperature +6.0 °C over 6 days');
    expect(drivers[1]!.text).toBe('Vibration steady at 1.2 mm/s over 13 days');
  });

  it('names no driver when nothing pushes the risk up', () => {
    const drivers = describeDrivers({
      deviceModel: 'split-ac',
      features,
      horizonsDays: [1, 3, 7, 14],
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
