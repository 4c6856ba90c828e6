import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { BASELINE_RUL_CONFIG } from './config.ts';
import type { CmapssUnit } from './loader.ts';
import { tailEstimates, validateRulConfig } from './validation.ts';

function unit(id: number, cycles: number): CmapssUnit {
  return {
    unit: id,
    rows: Array.from({ length: cycles }, (_, i) => ({
      unit: id,
      cycle: i + 1,
      settings: [0, 0, 100] as [number, number, number],
      sensors: Array.from({ length: 21 }, (_, j) => j + (i / cycles) * ((j % 4) + 1)),
    })),
  };
}

describe('tailEstimates', () => {
  it('averages shifted predictions of the same unit only', () => {
    const predicted = Float32Array.from([50, 49, 48, 30, 29]);
    const batch = {
      x: new Float32Array(0),
      y: new Float32Array(5),
      count: 5,
      windowLength: 1,
      features: 0,
      unitIndex: Int32Array.from([0, 0, 0, 1, 1]),
    };
    expect(Array.from(tailEstimates(predicted, batch, 3, 125))).toEqual([50, 49, 48, 30, 29]);
    // Unit 1's first window has no earlier one: it stands alone rather than borrowing unit 0's.
    const noisy = Float32Array.from([50, 51, 45, 30, 29]);
    expect(Array.from(tailEstimates(noisy, batch, 2, 125))).toEqual([50, 50, 47.5, 30, 29]);
  });
});

describe('validateRulConfig', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('holds out the same training units for every configuration and trains on the others only', async () => {
    const units = Array.from({ length: 10 }, (_, i) => unit(i + 1, 30 + 3 * i));
    const config = {
      ...BASELINE_RUL_CONFIG,
      windowLength: 8,
      minCycles: 8,
      architecture: { kind: 'mlp' as const, hidden: [8], dropout: 0 },
      members: 2,
      epochs: 2,
      patience: 2,
      batchSize: 64,
    };
    const a = await validateRulConfig(units, config, { holdoutFraction: 0.2, holdoutSeed: 3 });
    const b = await validateRulConfig(
      units,
      { ...config, seed: 99 },
      { holdoutFraction: 0.2, holdoutSeed: 3 },
    );
    expect(a.holdoutUnits).toHaveLength(2);
    expect(b.holdoutUnits).toEqual(a.holdoutUnits);
    expect(a.trainUnits).toBe(8);
    expect(a.usedUnits).toHaveLength(8);
    expect(a.usedUnits.some((u) => a.holdoutUnits.includes(u))).toBe(false);
    expect(a.memberRmseCapped).toHaveLength(2);
    expect(a.epochs).toEqual([2, 2]);
    for (const v of [a.rmseCapped, a.rmseLate, ...Object.values(a.rmseCappedByTail)])
      expect(v).toBeGreaterThan(0);
    expect(Object.keys(a.rmseCappedByTail)).toEqual(['1', '3', '5', '10']);
    expect(a.rmseCappedByTail[1]).toBeCloseTo(a.rmseCapped, 4);
  });
});
