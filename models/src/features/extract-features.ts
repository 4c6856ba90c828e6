import type { DeviceWindow } from '@aftercare/ingest';
import { DAY_MS, type FeatureSpec, featureNames, metricStats } from './feature-spec.ts';
import { SeriesIndex } from './series-index.ts';

/** A device event as the features see it (the store's events and the simulator's both fit). */
export interface FeatureEvent {
  ts: number;
  type: string;
  code: string;
}

/** What the features know about a device besides its telemetry; unknowns are left out. */
export interface FeatureContext {
  installedAt?: number | null;
  /** Completed services and repairs (epoch ms, any order): the latest at or before `at` counts. */
  serviceTimes?: readonly number[];
  events?: readonly FeatureEvent[];
}

export interface Coverage {
  /** Share of (metric, bucket) cells holding data over the longest horizon. */
  overall: number;
  /** The same over the shortest horizon: is the data fresh? */
  recent: number;
}

export interface FeatureVector {
  /** In `featureNames(spec)` order; NaN where a value is undefined (no data, one point, unknown age). */
  values: Float64Array;
  coverage: Coverage;
}

function lowerBound(sorted: readonly number[] | Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bucket indices [lo, hi) of a grid from `ts0` whose buckets start in [from, to). */
export function bucketRange(
  ts0: number,
  stepMs: number,
  buckets: number,
  from: number,
  to: number,
): [number, number] {
  const lo = Math.ceil((from - ts0) / stepMs);
  const hi = Math.ceil((to - ts0) / stepMs);
  return [Math.min(Math.max(lo, 0), buckets), Math.min(Math.max(hi, 0), buckets)];
}

function countIn(sorted: Float64Array, from: number, to: number): number {
  return lowerBound(sorted, to) - lowerBound(sorted, from);
}

/** Counts of a device's events in the spec's windows ending at a time: by type, then by code. */
export class EventCounter {
  private readonly byType: Float64Array[];
  private readonly byCode: Float64Array[];

  constructor(
    private readonly spec: FeatureSpec,
    events: readonly FeatureEvent[],
  ) {
    const sortedTimes = (keep: (e: FeatureEvent) => boolean) =>
      Float64Array.from(events.filter(keep).map((e) => e.ts)).sort();
    this.byType = spec.eventTypes.map((type) => sortedTimes((e) => e.type === type));
    this.byCode = spec.eventCodes.map((code) =>
      sortedTimes((e) => e.code === code && spec.eventTypes.includes(e.type)),
    );
  }

  fillTypes(at: number, out: Float64Array | Float32Array, offset: number): number {
    let k = offset;
    for (const w of this.spec.eventWindowsDays) {
      for (const times of this.byType) out[k++] = countIn(times, at - w * DAY_MS, at);
    }
    return k;
  }

  fillCodes(at: number, out: Float64Array | Float32Array, offset: number): number {
    let k = offset;
    for (const w of this.spec.eventWindowsDays) {
      for (const times of this.byCode) out[k++] = countIn(times, at - w * DAY_MS, at);
    }
    return k;
  }
}

/**
 * One device's telemetry and context, indexed once so features can be read at many times cheaply
 * (training reads a year at daily points, scoring one point). `extractFeatures` is this with one point.
 */
export class FeatureSource {
  readonly width: number;
  private readonly ts0: number;
  private readonly buckets: number;
  private readonly series: SeriesIndex[];
  private readonly serviceTimes: Float64Array;
  private readonly installedAt: number | null;
  private readonly events: EventCounter;

  constructor(
    private readonly spec: FeatureSpec,
    private readonly window: DeviceWindow,
    context: FeatureContext = {},
  ) {
    this.width = featureNames(spec).length;
    this.buckets = window.ts.length;
    this.ts0 = window.ts[0] ?? 0;
    for (let i = 1; i < window.ts.length; i++) {
      if (window.ts[i]! - window.ts[i - 1]! !== spec.stepMs) {
        throw new RangeError(
          `window ${window.deviceId} is not on a ${spec.stepMs} ms grid at bucket ${i} (features need the spec's step)`,
        );
      }
    }
    const maxRange = Math.ceil((Math.max(...spec.horizonsDays) * DAY_MS) / spec.stepMs);
    const empty: null[] = new Array(this.buckets).fill(null);
    this.series = spec.metrics.map((metric) => new SeriesIndex(window.values[metric] ?? empty, maxRange));
    this.serviceTimes = Float64Array.from(context.serviceTimes ?? []).sort();
    this.installedAt = context.installedAt ?? null;
    this.events = new EventCounter(spec, context.events ?? []);
  }

  private range(at: number, days: number): [number, number] {
    return bucketRange(this.ts0, this.spec.stepMs, this.buckets, at - days * DAY_MS, at);
  }

  /** Mean of a spec metric over [from, to) (NaN without data there). */
  level(metric: string, from: number, to: number): number {
    const index = this.spec.metrics.indexOf(metric);
    if (index < 0) return Number.NaN;
    const [lo, hi] = bucketRange(this.ts0, this.spec.stepMs, this.buckets, from, to);
    return this.series[index]!.mean(lo, hi);
  }

  /**
   * Mean of a metric over [from, to) in the hours the machine ran (`running.metric` above
   * `running.above`; NaN without any): a stopped compressor or fan hides a fault in all-hour means.
   */
  runningLevel(metric: string, from: number, to: number, running: { metric: string; above: number }): number {
    const values = this.window.values[metric];
    const gates = this.window.values[running.metric];
    if (!values || !gates) return this.level(metric, from, to);
    const [lo, hi] = bucketRange(this.ts0, this.spec.stepMs, this.buckets, from, to);
    let sum = 0;
    let n = 0;
    for (let i = lo; i < hi; i++) {
      const gate = gates[i];
      const value = values[i];
      if (gate === null || gate === undefined || gate <= running.above) continue;
      if (value === null || value === undefined) continue;
      sum += value;
      n++;
    }
    return n > 0 ? sum / n : Number.NaN;
  }

  /** Share of cells with data over `days` ending at `at`; buckets the window lacks count as empty. */
  coverage(at: number, days: number): number {
    const [lo, hi] = this.range(at, days);
    const expected = ((days * DAY_MS) / this.spec.stepMs) * this.series.length;
    let present = 0;
    for (const s of this.series) present += s.count(lo, hi);
    return expected > 0 ? Math.min(1, present / expected) : 0;
  }

  /**
   * How unusual the last day's mean is for this unit: its distance from the mean of the daily means
   * of the earlier days in the longest horizon, in their standard deviations (floored at 1 % of
   * their level, so a flat series does not turn noise into a signal). NaN with fewer than 3 days.
   */
  private dayZ(series: SeriesIndex, at: number, longestDays: number): number {
    const [lo, hi] = this.range(at, 1);
    const today = series.mean(lo, hi);
    if (Number.isNaN(today)) return Number.NaN;
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (let d = 1; d < longestDays; d++) {
      const [dlo, dhi] = this.range(at - d * DAY_MS, 1);
      const m = series.mean(dlo, dhi);
      if (Number.isNaN(m)) continue;
      n++;
      sum += m;
      sq += m * m;
    }
    if (n < 3) return Number.NaN;
    const mean = sum / n;
    const sd = Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1)));
    return (today - mean) / Math.max(sd, 0.01 * Math.abs(mean), 1e-6);
  }

  /** Writes the features at `at` into `out` from `offset`; returns the coverage. */
  fill(at: number, out: Float64Array | Float32Array, offset = 0): Coverage {
    const { horizonsDays } = this.spec;
    const longest = horizonsDays[horizonsDays.length - 1]!;
    const perDay = DAY_MS / this.spec.stepMs;
    let k = offset;
    for (const series of this.series) {
      const [llo, lhi] = this.range(at, longest);
      const baselineMean = series.mean(llo, lhi);
      for (const h of horizonsDays) {
        const [lo, hi] = this.range(at, h);
        const s = series.stats(lo, hi);
        for (const stat of metricStats) {
          out[k++] =
            stat === 'mean'
              ? s.mean
              : stat === 'slope'
                ? s.slopePerBucket * perDay
                : stat === 'std'
                  ? s.std
                  : stat === 'min'
                    ? s.min
                    : s.max;
        }
        if (h !== longest) out[k++] = s.mean - baselineMean;
      }
      out[k++] = this.dayZ(series, at, longest);
    }
    const days = (t: number | null) => (t === null || t > at ? Number.NaN : Math.log1p((at - t) / DAY_MS));
    out[k++] = days(this.installedAt);
    const lastService = lowerBound(this.serviceTimes, at + 1) - 1;
    const since = lastService >= 0 ? this.serviceTimes[lastService]! : this.installedAt;
    out[k++] = days(since ?? null);
    k = this.events.fillTypes(at, out, k);
    this.events.fillCodes(at, out, k);
    return {
      overall: this.coverage(at, longest),
      recent: this.coverage(at, horizonsDays[0]!),
    };
  }

  at(at: number): FeatureVector {
    const values = new Float64Array(this.width);
    const coverage = this.fill(at, values);
    return { values, coverage };
  }
}

/**
 * The features of one device at time `at`, from an hourly (spec.stepMs) window with gaps: per
 * metric and horizon ending at `at` the level (mean), trend (least-squares slope per day),
 * variability (std), extremes (min, max) and the shift of each shorter horizon's level against the
 * longest one (the unit's own baseline, which takes away the spread between units) and the last
 * day's z-score against the unit's earlier daily means; then device age
 * and time since the last service (log(1 + days)); then counts of error/warning events, in total and
 * per known code. Missing values are ignored, never filled in; the coverage tells how much was there.
 */
export function extractFeatures(
  spec: FeatureSpec,
  window: DeviceWindow,
  context: FeatureContext,
  at: number,
): FeatureVector {
  return new FeatureSource(spec, window, context).at(at);
}

/** True when the coverage is enough to trust a score (both over the baseline and recently). */
export function hasEnoughData(spec: FeatureSpec, coverage: Coverage): boolean {
  return coverage.overall >= spec.minCoverage && coverage.recent >= spec.minCoverage;
}
