import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../features/feature-spec.ts';
import { candidateThresholds, chooseThreshold, type TargetSeries } from './thresholds.ts';

const t0 = Date.UTC(2026, 0, 1);
const judge = { judgeUntil: t0 + 100 * DAY_MS, countFrom: t0, countUntil: t0 + 120 * DAY_MS };

/** Daily scores for 60 days: a ramp to 0.9 over the 10 days before a failure on day 40, noise at 0.3 on day 20. */
function device(): TargetSeries {
  const times = Array.from({ length: 60 }, (_, d) => t0 + d * DAY_MS);
  const scores = times.map((_, d) =>
    d >= 30 && d < 40 ? 0.5 + (0.4 * (d - 30)) / 9 : d === 20 ? 0.3 : 0.05,
  );
  return {
    times,
    scores,
    down: [{ from: t0 + 40 * DAY_MS, to: t0 + 42 * DAY_MS }],
    failedAt: [t0 + 40 * DAY_MS],
    judge,
  };
}

describe('chooseThreshold', () => {
  it('takes the lowest threshold that is as accurate as the best, for the longest lead', () => {
    const series = [device(), device()];
    const chosen = chooseThreshold(series, [0.2, 0.4, 0.6, 0.8], 14)!;
    // 0.2 also alarms on day 20's noise; 0.4–0.8 catch both failures without a false alarm.
    expect(chosen.threshold).toBe(0.4);
    expect(chosen.figures).toMatchObject({ precision: 1, recall: 1, medianLeadDays: 10 });
  });

  it('offers candidates from the scores’ upper quantiles', () => {
    const candidates = candidateThresholds([device()], 10);
    expect(candidates[0]).toBe(0.05);
    expect(candidates.at(-1)).toBeCloseTo(0.9, 9);
    expect([...candidates].sort((a, b) => a - b)).toEqual(candidates);
  });
});
