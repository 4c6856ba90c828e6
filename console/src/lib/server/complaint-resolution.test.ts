import { describe, expect, it } from 'vitest';
import { resolutionFigure } from './complaint-resolution.ts';

const day = 86_400_000;
const now = Date.UTC(2026, 10, 29, 12);

describe("the feedback desk's complaint resolution figure", () => {
  it('is the mean over the complaints closed in the last 90 days, whenever their jobs were', () => {
    const closed = [
      { resolvedAt: now - 1 * day, tookHours: 10 },
      { resolvedAt: now - 30 * day, tookHours: 30 },
      // Closed before the period: not counted.
      { resolvedAt: now - 120 * day, tookHours: 500 },
    ];
    expect(resolutionFigure(closed, now)).toEqual({ meanHours: 20, complaints: 2 });
  });

  it('says there is none when nothing was closed in the period', () => {
    expect(resolutionFigure([{ resolvedAt: now - 200 * day, tookHours: 4 }], now)).toEqual({
      meanHours: null,
      complaints: 0,
    });
    expect(resolutionFigure([], now)).toEqual({ meanHours: null, complaints: 0 });
  });
});
