import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CmapssUnit, loadCmapss } from './loader.ts';
import {
  combineTail,
  fitMinMax,
  INFORMATIVE_SENSORS,
  lastWindows,
  phm08Score,
  rmse,
  rulTargets,
  sensorIndices,
  trainingWindows,
  unitFeatures,
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
    const last = lastWindows(test, [0], [0], stats, { windowLength: 30 });
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
    const batch = lastWindows([syntheticUnit(1, 5)], [42], [0], { min: [0], max: [1] }, { windowLength: 30 });
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

describe('window options', () => {
  it('smoothing is causal exponential smoothing of the normalised sensors, per unit', () => {
    const unit = syntheticUnit(1, 4); // sensor 0 reads 10, 20, 30, 40
    const rows = unitFeatures(unit, [0], { min: [0], max: [100] }, 0.5);
    for (const [t, v] of [0.1, 0.15, 0.225, 0.3125].entries()) expect(rows[t]![0]).toBeCloseTo(v, 12);
    expect(unitFeatures(unit, [0], { min: [0], max: [100] }).map((r) => r[0])).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(() => unitFeatures(unit, [0], { min: [0], max: [1] }, 0)).toThrow(/smoothing/);
  });

  it('cycleScale appends the cycles observed so far, scaled and clipped at 1, to train and test windows alike', () => {
    const unit = syntheticUnit(1, 6);
    const rows = unitFeatures(unit, [0], { min: [0], max: [100] }, 0.5, 4);
    expect(rows.map((r) => r[1])).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
    const stats = { min: [0], max: [100] };
    const options = { windowLength: 3, minCycles: 1, cycleScale: 4 };
    const train = trainingWindows([unit], [0], stats, options);
    expect(train.features).toBe(2);
    // The window ending at cycle 2 is padded with cycle 1 at the front.
    expect(Array.from(train.x.subarray(6, 12)).filter((_, i) => i % 2 === 1)).toEqual([0.25, 0.25, 0.5]);
    const test = lastWindows([{ unit: 1, rows: unit.rows.slice(0, 2) }], [4], [0], stats, options);
    expect(Array.from(test.x)).toEqual(Array.from(train.x.subarray(6, 12)));
  });

  it('minCycles below the window adds front-padded windows from that cycle on, with uncapped truth', () => {
    const batch = trainingWindows(
      [syntheticUnit(1, 40)],
      [0],
      { min: [0], max: [1] },
      {
        windowLength: 30,
        minCycles: 25,
        cap: 20,
      },
    );
    expect(batch.count).toBe(16);
    // The first window ends at cycle 25: five copies of cycle 1 then cycles 1..25.
    expect(Array.from(batch.x.slice(0, 6))).toEqual([10, 10, 10, 10, 10, 10]);
    expect(batch.x[29]).toBe(250);
    expect(batch.trueRul![0]).toBe(15);
    expect(batch.y[0]).toBe(15);
    expect(batch.trueRul![15]).toBe(0);
    expect(Array.from(batch.unitIndex!)).toEqual(new Array(16).fill(0));
  });

  it('stride makes each step the mean of that many cycles, padding before the first cycle', () => {
    const batch = trainingWindows(
      [syntheticUnit(1, 12)],
      [0],
      { min: [0], max: [1] },
      {
        windowLength: 4,
        stride: 3,
        minCycles: 12,
      },
    );
    expect(batch.count).toBe(1);
    // Cycles 1..12 read 10..120: steps average (10,20,30), (40,50,60), (70,80,90), (100,110,120).
    expect(Array.from(batch.x)).toEqual([20, 50, 80, 110]);
    // Cycles 1..7 read 10..70; the last step averages cycles 6–7, the first pads cycle 0 with cycle 1.
    const last = lastWindows(
      [syntheticUnit(1, 7)],
      [3],
      [0],
      { min: [0], max: [1] },
      { windowLength: 4, stride: 2 },
    );
    expect(Array.from(last.x)).toEqual([10, 25, 45, 65]);
  });

  it('lastWindows with a tail gives the windows ending at the last cycles, last first', () => {
    const batch = lastWindows(
      [syntheticUnit(1, 35), syntheticUnit(2, 31)],
      [7, 9],
      [0],
      { min: [0], max: [1] },
      { windowLength: 30 },
      3,
    );
    expect(batch.count).toBe(6);
    expect([0, 1, 2].map((k) => batch.x[k * 30 + 29])).toEqual([350, 340, 330]);
    expect(batch.x[5 * 30]).toBe(10); // unit 2, window ending at cycle 29: padded with cycle 1
    expect(Array.from(batch.y)).toEqual([7, 7, 7, 9, 9, 9]);
    expect(Array.from(batch.unitIndex!)).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('combineTail', () => {
  it('shifts the prediction k cycles back by k and averages', () => {
    // Window ending 1 cycle earlier said 41 then: 40 now; 2 earlier said 45: 43 now.
    expect(Array.from(combineTail([40, 41, 45], 1, 3))).toEqual([41]);
  });

  it('does not count down from a prediction at the cap, and never goes below zero', () => {
    expect(combineTail([125, 125, 125], 1, 3, 125)[0]).toBe(125);
    expect(combineTail([0, 0, 0], 1, 3, 125)[0]).toBe(0);
  });

  it('tail 1 is the last window alone', () => {
    expect(Array.from(combineTail([3, 7], 2, 1))).toEqual([3, 7]);
  });
});
