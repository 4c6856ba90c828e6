import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CmapssUnit, loadCmapss } from './loader.ts';
import {
  fitMinMax,
  INFORMATIVE_SENSORS,
  lastWindows,
  phm08Score,
  rmse,
  rulTargets,
  sensorIndices,
  trainingWindows,
} from './prepare.ts';

const CMAPSS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/cmapss',
);
const sensors = sensorIndices(INFORMATIVE_SENSORS);

/** A unit whose sensor j at cycle c reads c * 10 + j, so windows can be checked by eye. */
function syntheticUnit(unit: number, cycles: number): CmapssUnit {
  return {
    unit,
    rows: Array.from({ length: cycles }, (_, i) => ({
      unit,
      cycle: i + 1,
      settings: [0, 0, 100] as [number, number, number],
      sensors: Array.from({ length: 21 }, (_, j) => (i + 1) * 10 + j),
    })),
  };
}

describe('rulTargets', () => {
  it('is capped at 125, then falls by one per cycle to 0 at failure, on real unit 1 of FD001', async () => {
    const { train } = await loadCmapss(CMAPSS_DIR, 'FD001');
    const unit = train[0]!;
    expect(unit.rows).toHaveLength(192);
    const targets = rulTargets(unit);
    // 192 cycles: true RUL is 191 at cycle 1, so the first 191 - 125 + 1 = 67 cycles sit at the cap.
    expect(targets.slice(0, 67).every((t) => t === 125)).toBe(true);
    expect(targets[67]).toBe(124);
    for (let i = 68; i < targets.length; i++) expect(targets[i]! - targets[i - 1]!).toBe(-1);
    expect(targets.at(-1)).toBe(0);
  });
});

describe('FD001 sensors', () => {
  it('the 7 dropped sensors are (near) constant on train while the 14 kept ones vary', async () => {
    const { train } = await loadCmapss(CMAPSS_DIR, 'FD001');
    const all = Array.from({ length: 21 }, (_, i) => i);
    const { min, max } = fitMinMax(train, all);
    const dropped = all.filter((i) => !sensors.includes(i));
    expect(dropped.map((i) => `s${i + 1}`)).toEqual(['s1', 's5', 's6', 's10', 's16', 's18', 's19']);
    // s6 takes two values (21.60/21.61); every other dropped sensor is exactly constant.
    for (const i of dropped) expect(max[i]! - min[i]!).toBeLessThanOrEqual(0.011);
    for (const i of sensors) expect(max[i]! - min[i]!).toBeGreaterThan(0.011);
  });
});

describe('min-max normalisation', () => {
  it('uses the training stats only: test values outside the train range fall outside [0, 1]', () => {
    const train = [syntheticUnit(1, 40)];
    const test = [syntheticUnit(2, 50)];
    const stats = fitMinMax(train, [0]);
    expect(stats).toEqual({ min: [10], max: [400] });
    const last = lastWindows(test, [0], [0], stats, 30);
    // Test cycle 50 reads 500: (500 - 10) / (400 - 10) on train stats, not 1 as test stats would give.
    expect(last.x[29]).toBeCloseTo(490 / 390, 6);
  });
});

describe('trainingWindows / lastWindows', () => {
  it('makes one window per full span of 30 cycles, labelled with the target at its last cycle', () => {
    const batch = trainingWindows([syntheticUnit(1, 40), syntheticUnit(2, 29)], [0], { min: [0], max: [1] });
    expect(batch.count).toBe(11);
    expect(batch.x[0]).toBe(10);
    expect(batch.x[29]).toBe(300);
    expect(batch.y[0]).toBe(10);
    expect(batch.y[10]).toBe(0);
  });

  it('pads a test unit shorter than the window with its first row at the front', () => {
    const batch = lastWindows([syntheticUnit(1, 5)], [42], [0], { min: [0], max: [1] }, 30);
    expect(Array.from(batch.x.slice(0, 26))).toEqual(new Array(26).fill(10));
    expect(Array.from(batch.x.slice(25))).toEqual([10, 20, 30, 40, 50]);
    expect(Array.from(batch.y)).toEqual([42]);
  });
});

describe('rmse and phm08Score', () => {
  it('rmse of errors 3 and -4 is sqrt(12.5)', () => {
    expect(rmse([13, 6], [10, 10])).toBeCloseTo(Math.sqrt(12.5), 12);
  });

  it('penalises late predictions (exp(d/10) - 1) more than early ones (exp(-d/13) - 1)', () => {
    expect(phm08Score([10], [10])).toBe(0);
    expect(phm08Score([20], [10])).toBeCloseTo(Math.E - 1, 12);
    expect(phm08Score([0], [13])).toBeCloseTo(Math.E - 1, 12);
    expect(phm08Score([20, 0], [10, 13])).toBeCloseTo(2 * (Math.E - 1), 12);
    expect(phm08Score([15], [10])).toBeGreaterThan(phm08Score([5], [10]));
  });
});
