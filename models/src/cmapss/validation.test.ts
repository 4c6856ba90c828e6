import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import type { CmapssUnit } from './loader.ts';
import { tinyRulConfig } from './test-config.ts';
import { validateRulConfig } from './validation.ts';

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

describe('validateRulConfig', () => {
  beforeAll(async () => {
    await initBackend('wasm', () => {});
  });

  it('holds out the same training units for every configuration and trains on the others only', async () => {
    const units = Array.from({ length: 10 }, (_, i) => unit(i + 1, 40 + 3 * i));
    const config = tinyRulConfig();
    const options = { holdoutFraction: 0.2, holdoutSeed: 3, truncations: 4, minCycles: 8 };
    const a = await validateRulConfig(units, config, options);
    const b = await validateRulConfig(units, { ...config, seed: 99 }, options);
    expect(a.holdoutUnits).toHaveLength(2);
    expect(b.holdoutUnits).toEqual(a.holdoutUnits);
    expect(a.trainUnits).toBe(8);
    expect(a.usedUnits).toHaveLength(8);
    expect(a.usedUnits.some((u) => a.holdoutUnits.includes(u))).toBe(false);
    expect(a.memberRmseCapped).toHaveLength(2);
    expect(a.epochs).toEqual([2, 2]);
    // Scored as the test set is: one prediction per cut, 4 cuts for each of the 2 held-out units.
    expect(a.cuts).toBe(8);
    for (const v of [a.rmseCapped, a.rmseTrue, a.scorePer100, a.rmseAllWindows]) expect(v).toBeGreaterThan(0);
    expect(a.lateCuts).toBeGreaterThan(0);
    expect(a.lateCuts).toBeLessThanOrEqual(a.cuts);
  });
});
