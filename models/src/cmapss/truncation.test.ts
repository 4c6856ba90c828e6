import { describe, expect, it } from 'vitest';
import { BASELINE_RUL_CONFIG } from './config.ts';
import { heldOutWindows } from './ensemble.ts';
import type { CmapssUnit } from './loader.ts';
import { fitMinMax, INFORMATIVE_SENSORS, lastWindows, sensorIndices } from './prepare.ts';
import {
  CUT_RUL_RANGE,
  cutPoints,
  rulTruncationPoints,
  truncatedWindows,
  truncationPoints,
} from './truncation.ts';

const sensors = sensorIndices(INFORMATIVE_SENSORS);

function unit(id: number, cycles: number): CmapssUnit {
  return {
    unit: id,
    rows: Array.from({ length: cycles }, (_, i) => ({
      unit: id,
      cycle: i + 1,
      settings: [0, 0, 100] as [number, number, number],
      sensors: Array.from({ length: 21 }, (_, j) => (i + 1) * 10 + j),
    })),
  };
}

describe('truncationPoints', () => {
  it('cuts each unit once per stratum of its life, before failure and after minCycles', () => {
    const units = [unit(1, 200), unit(2, 130)];
    const cuts = truncationPoints(units, 5, 30, 7);
    expect(cuts).toHaveLength(10);
    for (const [u, life] of [
      [0, 200],
      [1, 130],
    ] as const) {
      const own = cuts.filter((c) => c.unit === u);
      expect(own).toHaveLength(5);
      // One cut in each fifth of cycles 30..life−1, in order, and the RUL is what is left.
      const span = life - 30;
      own.forEach((c, k) => {
        expect(c.cycles).toBeGreaterThanOrEqual(30 + Math.floor((k * span) / 5));
        expect(c.cycles).toBeLessThan(30 + Math.floor(((k + 1) * span) / 5));
        expect(c.rul).toBe(life - c.cycles);
        expect(c.rul).toBeGreaterThanOrEqual(1);
      });
    }
  });

  it('is repeatable from the seed and differs between seeds', () => {
    const units = [unit(1, 200), unit(2, 180)];
    expect(truncationPoints(units, 8, 30, 1)).toEqual(truncationPoints(units, 8, 30, 1));
    expect(truncationPoints(units, 8, 30, 1)).not.toEqual(truncationPoints(units, 8, 30, 2));
  });

  it('gives a short unit no more cuts than it has candidate lengths', () => {
    const cuts = truncationPoints([unit(1, 33)], 10, 30, 3);
    expect(cuts.map((c) => c.cycles)).toEqual([30, 31, 32]);
  });
});

describe('rulTruncationPoints', () => {
  it('draws the RUL left at each cut from 5..150, bounded so that every cut keeps minCycles', () => {
    const units = [unit(1, 362), unit(2, 200), unit(3, 128)];
    const cuts = rulTruncationPoints(units, 10, 30, 11);
    expect(cuts).toHaveLength(30);
    for (const [u, life] of [
      [0, 362],
      [1, 200],
      [2, 128],
    ] as const) {
      for (const c of cuts.filter((t) => t.unit === u)) {
        expect(c.rul).toBeGreaterThanOrEqual(CUT_RUL_RANGE.min);
        expect(c.rul).toBeLessThanOrEqual(Math.min(CUT_RUL_RANGE.max, life - 30));
        expect(c.cycles).toBe(life - c.rul);
        expect(c.cycles).toBeGreaterThanOrEqual(30);
      }
    }
  });

  it('puts one cut in each equal stratum of the RUL range, in order', () => {
    // Life 200, 30 kept at least: RUL 5..150 (146 candidates), tenths of 14 or 15 RULs each.
    const cuts = rulTruncationPoints([unit(1, 200)], 10, 30, 4);
    cuts.forEach((c, k) => {
      expect(c.rul).toBeGreaterThanOrEqual(5 + Math.floor((k * 146) / 10));
      expect(c.rul).toBeLessThan(5 + Math.floor(((k + 1) * 146) / 10));
    });
    // A shorter life narrows the range, not the count: life 100 leaves RUL 5..70.
    const short = rulTruncationPoints([unit(1, 100)], 10, 30, 4);
    expect(short).toHaveLength(10);
    expect(Math.max(...short.map((c) => c.rul))).toBeLessThanOrEqual(70);
    expect(short[9]!.rul).toBeGreaterThanOrEqual(5 + Math.floor((9 * 66) / 10));
  });

  it('is repeatable from the seed and differs between seeds', () => {
    const units = [unit(1, 200), unit(2, 180)];
    expect(rulTruncationPoints(units, 8, 30, 1)).toEqual(rulTruncationPoints(units, 8, 30, 1));
    expect(rulTruncationPoints(units, 8, 30, 1)).not.toEqual(rulTruncationPoints(units, 8, 30, 2));
  });

  it('gives a unit barely longer than minCycles one cut per RUL it can leave', () => {
    expect(rulTruncationPoints([unit(1, 33)], 10, 30, 3).map((c) => c.rul)).toEqual([1, 2, 3]);
    expect(rulTruncationPoints([unit(1, 30)], 10, 30, 3)).toEqual([]);
  });

  it("is what cutPoints('rul') gives; cutPoints('life') gives the cycle-spread cuts", () => {
    const units = [unit(1, 200)];
    expect(cutPoints('rul', units, 5, 30, 9)).toEqual(rulTruncationPoints(units, 5, 30, 9));
    expect(cutPoints('life', units, 5, 30, 9)).toEqual(truncationPoints(units, 5, 30, 9));
  });
});

describe('truncatedWindows', () => {
  it('builds for each cut the window a test unit of that length gets, with the RUL at the cut capped', () => {
    const units = [unit(1, 200), unit(2, 90)];
    const stats = fitMinMax(units, sensors);
    const options = { windowLength: 10, stride: 2, cap: 125, minCycles: 10 };
    const cuts = [
      { unit: 0, cycles: 40, rul: 160 },
      { unit: 1, cycles: 85, rul: 5 },
    ];
    const batch = truncatedWindows(units, cuts, sensors, stats, options);
    expect(Array.from(batch.y)).toEqual([125, 5]);
    expect(Array.from(batch.trueRul!)).toEqual([160, 5]);
    expect(Array.from(batch.unitIndex!)).toEqual([0, 1]);
    // The same inputs as the test path builds from a unit that stopped at the cut.
    const asTest = lastWindows(
      [{ unit: 1, rows: units[0]!.rows.slice(0, 40) }],
      [160],
      sensors,
      stats,
      options,
    );
    const size = 10 * sensors.length;
    expect(Array.from(batch.x.subarray(0, size))).toEqual(Array.from(asTest.x));
  });
});

describe('heldOutWindows (what a member early-stops on)', () => {
  it('scores the last window before seeded cuts by default, every window when truncations is 0', () => {
    const units = [unit(1, 120), unit(2, 90)];
    const stats = fitMinMax(units, sensors);
    const config = { ...BASELINE_RUL_CONFIG, validationTruncations: 4 };
    const cut = heldOutWindows(units, sensors, stats, config, 5);
    expect(cut.count).toBe(8);
    expect(cut).toEqual(heldOutWindows(units, sensors, stats, config, 5));
    const every = heldOutWindows(units, sensors, stats, { ...config, validationTruncations: 0 }, 5);
    expect(every.count).toBe(120 - 30 + 1 + (90 - 30 + 1));
  });

  it("cuts by the RUL left when validationCuts is 'rul'", () => {
    const units = [unit(1, 300), unit(2, 90)];
    const stats = fitMinMax(units, sensors);
    const config = { ...BASELINE_RUL_CONFIG, validationTruncations: 4, validationCuts: 'rul' as const };
    const cut = heldOutWindows(units, sensors, stats, config, 5);
    expect(cut.count).toBe(8);
    for (const rul of cut.trueRul!) {
      expect(rul).toBeGreaterThanOrEqual(5);
      expect(rul).toBeLessThanOrEqual(150);
    }
    expect(cut.y).toEqual(heldOutWindows(units, sensors, stats, config, 5).y);
    expect(cut.y).not.toEqual(
      heldOutWindows(units, sensors, stats, { ...config, validationCuts: 'life' }, 5).y,
    );
  });
});
