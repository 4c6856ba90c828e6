import { ValidationError } from '@aftercare/core';
import { QueryTooLargeError } from './errors.ts';

export interface TelemetryRangeInput {
  from?: number | undefined;
  to?: number | undefined;
  step?: number | undefined;
}

export interface TelemetryRange {
  from: number;
  to: number;
  stepMs: number | null;
}

export interface TelemetryRangeLimits {
  /** Window when `from` is not given. */
  defaultWindowMs: number;
  /** Most points one series may hold: a chart is a few thousand pixels wide. */
  maxPointsPerSeries: number;
}

export const telemetryRangeLimits: TelemetryRangeLimits = {
  defaultWindowMs: 24 * 3_600_000,
  maxPointsPerSeries: 20_000,
};

/** The smallest whole-second step that keeps `spanMs` within the point limit, as the query accepts it. */
function smallestStep(spanMs: number, maxPoints: number): string {
  return `${Math.max(1, Math.ceil(spanMs / maxPoints / 1000))}s`;
}

/**
 * Fills in the defaults of a telemetry query (up to now, the last 24 hours) and refuses ranges that
 * would produce more points than anyone can draw, naming the step that would work.
 */
export function resolveTelemetryRange(
  input: TelemetryRangeInput,
  now: number,
  limits: TelemetryRangeLimits = telemetryRangeLimits,
): TelemetryRange {
  const to = input.to ?? now;
  const from = input.from ?? to - limits.defaultWindowMs;
  if (from >= to) {
    throw new ValidationError(
      `querystring.from: must be before to (${new Date(from).toISOString()} is not before ${new Date(to).toISOString()})`,
    );
  }
  const stepMs = input.step ?? null;
  if (stepMs !== null) {
    const buckets = Math.ceil((to - from) / stepMs);
    if (buckets > limits.maxPointsPerSeries) {
      throw new QueryTooLargeError(
        `querystring.step: this range at this step gives ${buckets} points per metric, more than the ` +
          `${limits.maxPointsPerSeries} allowed; raise step to at least ${smallestStep(to - from, limits.maxPointsPerSeries)} or narrow the range`,
      );
    }
  }
  return { from, to, stepMs };
}

/** Raw queries cannot be sized beforehand, so their result is checked against the same limit. */
export function assertRawSeriesSize(
  series: readonly { metric: string; ts: readonly number[] }[],
  range: TelemetryRange,
  limits: TelemetryRangeLimits = telemetryRangeLimits,
): void {
  const largest = series.find((s) => s.ts.length > limits.maxPointsPerSeries);
  if (largest) {
    throw new QueryTooLargeError(
      `querystring.step: ${largest.metric} has ${largest.ts.length} raw samples in this range, more than the ` +
        `${limits.maxPointsPerSeries} allowed; pass step=${smallestStep(range.to - range.from, limits.maxPointsPerSeries)} or more, or narrow the range`,
    );
  }
}
