import { describe, expect, it } from 'vitest';
import { chooseStepMs, ranges, resolveWindow, stepParam, targetPoints } from './telemetry-range.ts';

describe('chooseStepMs', () => {
  it('keeps every range within the points a chart can draw', () => {
    for (const { ms } of Object.values(ranges))
      expect(ms / chooseStepMs(ms)).toBeLessThanOrEqual(targetPoints);
  });

  it('draws a year of hourly data as about two points a day, and zooms down to minutes', () => {
    expect(chooseStepMs(ranges['1y'].ms)).toBe(86_400_000);
    expect(chooseStepMs(ranges['24h'].ms)).toBe(5 * 60_000);
    expect(chooseStepMs(3_600_000)).toBe(60_000);
  });

  it('stays within the API limit of 20,000 points for spans past the ladder', () => {
    const tenYears = 3650 * 86_400_000;
    expect(tenYears / chooseStepMs(tenYears)).toBeLessThanOrEqual(targetPoints);
  });
});

describe('stepParam', () => {
  it('writes steps as the API reads them', () => {
    expect(stepParam(60_000)).toBe('1m');
    expect(stepParam(3 * 3_600_000)).toBe('3h');
    expect(stepParam(2 * 86_400_000)).toBe('2d');
    expect(stepParam(1500)).toBe('2s');
  });
});

describe('resolveWindow', () => {
  const now = 1_764_000_000_000;
  it('takes a zoomed window from the URL', () => {
    expect(resolveWindow(String(now - 7_200_000), String(now - 3_600_000), now, 86_400_000)).toEqual({
      from: now - 7_200_000,
      to: now - 3_600_000,
    });
  });

  it('falls back to the range for missing, reversed or tiny windows', () => {
    const fallback = { from: now - 86_400_000, to: now };
    expect(resolveWindow(null, null, now, 86_400_000)).toEqual(fallback);
    expect(resolveWindow(String(now), String(now - 1000), now, 86_400_000)).toEqual(fallback);
    expect(resolveWindow(String(now - 1000), String(now), now, 86_400_000)).toEqual(fallback);
    expect(resolveWindow('abc', String(now), now, 86_400_000)).toEqual(fallback);
  });
});
