import { describe, expect, it } from 'vitest';
import { applyNormalisation, clipSigmas, fitNormalisation } from './normalisation.ts';

describe('fitNormalisation / applyNormalisation', () => {
  // Three rows of two features; the second feature has a gap.
  const x = Float64Array.from([1, 10, 2, Number.NaN, 3, 30]);

  it('fits mean and sample std per feature, ignoring undefined values', () => {
    const norm = fitNormalisation(x, 3, 2);
    expect(norm.mean).toEqual([2, 20]);
    expect(norm.std[0]).toBeCloseTo(1, 12);
    expect(norm.std[1]).toBeCloseTo(Math.sqrt(200), 12);
    expect(norm.min).toEqual([1, 10]);
    expect(norm.max).toEqual([3, 30]);
  });

  it('scales to z-scores, puts undefined features at the training mean and clips outliers', () => {
    const norm = fitNormalisation(x, 3, 2);
    const scaled = applyNormalisation(norm, Float64Array.from([3, Number.NaN, 1000, 20]), 2);
    expect(scaled[0]).toBeCloseTo(1, 6);
    expect(scaled[1]).toBe(0);
    expect(scaled[2]).toBe(clipSigmas);
    expect(scaled[3]).toBe(0);
  });

  it('gives a feature that never varied a scale of 1, so it stays finite', () => {
    const norm = fitNormalisation(Float64Array.from([5, 5, 5]), 3, 1);
    expect(norm.std).toEqual([1]);
    expect(Array.from(applyNormalisation(norm, Float64Array.from([6]), 1))).toEqual([1]);
  });
});
