import { describe, expect, it } from 'vitest';
import { BASELINE_RUL_CONFIG } from './config.ts';
import { heldOutWindows } from './ensemble.ts';
import type { CmapssUnit } from './loader.ts';
import { fitMinMax, INFORMATIVE_SENSORS, lastWindows, sensorIndices } from './prepare.ts';
import { truncatedWindows, truncationPoints } from './truncation.ts';

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
});
