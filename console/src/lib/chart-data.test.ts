import { describe, expect, it } from 'vitest';
import { gapThresholdMs, withGaps } from './chart-data.ts';

describe('withGaps', () => {
  it('breaks the line where the device sent nothing for longer than the threshold', () => {
    const shaped = withGaps([0, 60, 120, 600, 660], [[1, 2, 3, 4, 5]], 180);
    expect(shaped.ts).toEqual([0, 60, 120, 121, 600, 660]);
    expect(shaped.columns[0]).toEqual([1, 2, 3, null, 4, 5]);
  });

  it('keeps hourly history followed by 5-minute live points one line, and still breaks a silence', () => {
    const hour = 3_600_000;
    const minute = 60_000;
    // Six hours of history an hour apart, then the last half hour every five minutes.
    const ts = [
      ...[0, 1, 2, 3, 4, 5].map((h) => h * hour),
      ...[1, 2, 3, 4, 5, 6].map((k) => 5 * hour + k * 5 * minute),
    ];
    const values = ts.map((_, i) => i);
    // The threshold a 5-minute median gives: fifteen minutes.
    expect(withGaps(ts, [values], 15 * minute).columns[0]).not.toContain(null);
    // Two hours without a point among 5-minute ones is a silence.
    const silent = [...ts, ts.at(-1)! + 2 * hour, ts.at(-1)! + 2 * hour + 5 * minute];
    expect(withGaps(silent, [silent.map((_, i) => i)], 15 * minute).columns[0]).toContain(null);
  });

  it('leaves a series without silences as it is', () => {
    expect(withGaps([0, 60, 120], [[1, 2, 3]], 180)).toEqual({ ts: [0, 60, 120], columns: [[1, 2, 3]] });
  });
});

describe('gapThresholdMs', () => {
  it('is three buckets for aggregated series and ten typical intervals for raw samples', () => {
    expect(gapThresholdMs([0, 60_000, 120_000], 60_000)).toBe(180_000);
    expect(gapThresholdMs([0, 1000, 2000, 3000, 60_000], null)).toBe(10_000);
  });

  it('does not cut hourly data into dots when zoomed to buckets finer than an hour', () => {
    const hourly = [0, 1, 2, 3, 4].map((h) => h * 3_600_000);
    expect(gapThresholdMs(hourly, 5 * 60_000)).toBe(3 * 3_600_000);
  });
});
