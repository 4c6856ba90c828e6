import { catalog, type DeviceModel } from '@aftercare/core';
import type { DeviceWindow } from '@aftercare/ingest';
import { bucketRange } from '../features/extract-features.ts';
import { DAY_MS } from '../features/feature-spec.ts';
import { SeriesIndex } from '../features/series-index.ts';
import type { FailureTarget } from './labels.ts';

/**
 * The alarm rules an IoT platform offers out of the box, as the bar a model must clear. For each
 * failure mode, on each of its catalogue signature metrics, in the signature's direction:
 * - `sigma`: the last day's mean is more than k standard deviations beyond the unit's own trailing
 *   baseline (the daily means of the `baselineDays` before it);
 * - `range`: the last day's mean is beyond the catalogue's healthy range by more than k × its width.
 * The score of a mode is the largest over its signature metrics; k (and the rule) is tuned per mode
 * on the validation fleet, exactly as the model's threshold is.
 */
export type BaselineRuleKind = 'sigma' | 'range';

export interface BaselineRule {
  kind: BaselineRuleKind;
  threshold: number;
}

export const baselineDays = 13;
/** Fewer trailing days with data than this and the sigma rule stays silent. */
const minBaselineDays = 5;

export interface BaselineScores {
  sigma: Float64Array;
  range: Float64Array;
}

/** Per target, both rules' scores at each time (NaN where the rule cannot be evaluated). */
export function baselineScores(
  model: DeviceModel,
  targets: readonly FailureTarget[],
  window: DeviceWindow,
  stepMs: number,
  times: readonly number[],
): BaselineScores[] {
  const spec = catalog[model];
  const ts0 = window.ts[0] ?? 0;
  const n = window.ts.length;
  const indices = new Map<string, SeriesIndex>();
  const indexOf = (metric: string) => {
    let index = indices.get(metric);
    if (!index) {
      index = new SeriesIndex(window.values[metric] ?? new Array(n).fill(null), 1);
      indices.set(metric, index);
    }
    return index;
  };
  const dailyMean = (index: SeriesIndex, end: number) => {
    const [lo, hi] = bucketRange(ts0, stepMs, n, end - DAY_MS, end);
    return index.mean(lo, hi);
  };
  return targets.map((target) => {
    const mode = spec.failureModes.find((m) => m.id === target.failureMode)!;
    const sigma = new Float64Array(times.length).fill(Number.NaN);
    const range = new Float64Array(times.length).fill(Number.NaN);
    for (const signature of mode.signature) {
      const metric = spec.metrics.find((m) => m.name === signature.metric)!;
      const [low, high] = metric.healthy;
      const width = high - low;
      const dir = signature.direction === 'up' ? 1 : -1;
      const index = indexOf(signature.metric);
      times.forEach((t, i) => {
        const current = dailyMean(index, t);
        if (Number.isNaN(current)) return;
        const beyond = dir === 1 ? (current - high) / width : (low - current) / width;
        if (!(range[i]! >= beyond)) range[i] = beyond;
        const days: number[] = [];
        for (let d = 1; d <= baselineDays; d++) {
          const m = dailyMean(index, t - d * DAY_MS);
          if (!Number.isNaN(m)) days.push(m);
        }
        if (days.length < minBaselineDays) return;
        const mean = days.reduce((a, b) => a + b, 0) / days.length;
        const sd = Math.sqrt(days.reduce((a, b) => a + (b - mean) ** 2, 0) / (days.length - 1));
        // A floor of 1 % of the healthy range: a flat baseline must not turn noise into an alarm.
        const z = (dir * (current - mean)) / Math.max(sd, 0.01 * width);
        if (!(sigma[i]! >= z)) sigma[i] = z;
      });
    }
    return { sigma, range };
  });
}
