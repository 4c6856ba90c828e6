import { describe, expect, it } from 'vitest';
import { measureMovement } from './movement.ts';

/** Fourteen daily means: `base` with a repeatable ±`scatter`, plus `drift(day)`. */
function days(base: number, scatter: number, drift: (day: number) => number = () => 0): number[] {
  return Array.from({ length: 14 }, (_, d) => base + scatter * Math.sin(d * 2.3 + 1) + drift(d));
}

describe('measureMovement', () => {
  it('sizes a drift from the level before it began to the last day, over the days since', () => {
    // Steady at 0.7 A until day 5, then up by 0.03 A a day: +0.24 A on the last day (day 13).
    const daily = days(0.7, 0.005, (d) => Math.max(0, d - 5) * 0.03);
    const m = measureMovement(daily, 0.4);
    expect(m).toMatchObject({ measurable: true, moved: true, overDays: 8 });
    expect(m.before).toBeCloseTo(0.7, 2);
    expect(m.change).toBeCloseTo(0.24, 1);
    expect(m.now).toBe(daily[13]);
  });

  it('reads a steady trend over the whole look-back', () => {
    const m = measureMovement(
      days(70, 0, (d) => d),
      25,
    );
    expect(m).toMatchObject({ moved: true, overDays: 13, before: 70, now: 83, change: 13 });
  });

  it('calls a level that only scatters from day to day not moved', () => {
    for (const scatter of [0.01, 0.3, 5]) {
      const m = measureMovement(days(50, scatter), 100);
      expect(m.measurable).toBe(true);
      expect(m.moved, `scatter ${scatter}`).toBe(false);
    }
  });

  it('calls a change too small for the healthy range not moved, however clean', () => {
    // +0.005 A on a 0.4 A wide range: a sensor's last digit.
    const m = measureMovement(
      days(0.7, 0, (d) => (d > 10 ? 0.005 : 0)),
      0.4,
    );
    expect(m.moved).toBe(false);
  });

  it('does not size a change without data on the last day or with too few days', () => {
    const noToday = days(1, 0.1);
    noToday[13] = Number.NaN;
    expect(measureMovement(noToday, 1).measurable).toBe(false);
    const sparse = Array.from({ length: 14 }, (_, d) => (d % 5 === 3 ? 1 + d : Number.NaN));
    expect(measureMovement(sparse, 1).measurable).toBe(false);
  });
});
