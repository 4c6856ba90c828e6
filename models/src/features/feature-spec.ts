import { catalog, type DeviceModel, deviceModels } from '@aftercare/core';
import { z } from 'zod';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Statistics computed for every metric over every horizon. */
export const metricStats = ['mean', 'slope', 'std', 'min', 'max'] as const;
export type MetricStat = (typeof metricStats)[number];

/**
 * What a fleet model reads, as plain JSON saved with the model: training and scoring both build
 * their inputs from this one object, so they cannot disagree about columns, horizons or order.
 */
export const featureSpecSchema = z.strictObject({
  version: z.literal(1),
  deviceModel: z.enum(deviceModels),
  /** Bucket width of the telemetry windows the features are computed from. */
  stepMs: z.number().int().positive(),
  metrics: z.array(z.string().min(1)).min(1),
  /**
   * Ascending horizons ending at the scoring time. The longest is also the baseline that shorter
   * horizons' levels are compared against (`delta`), and the look-back scoring must read.
   */
  horizonsDays: z.array(z.number().positive()).min(1),
  /** Windows over which error/warning events are counted, ending at the scoring time. */
  eventWindowsDays: z.array(z.number().positive()).min(1),
  eventTypes: z.array(z.string().min(1)),
  /** Firmware codes counted one by one (learnt from the training fleet: the codes it raised). */
  eventCodes: z.array(z.string().min(1)),
  /**
   * Share of (metric, bucket) cells that must hold data, over the longest and over the shortest
   * horizon, before a device may be scored (and before a training point is used).
   */
  minCoverage: z.number().min(0).max(1),
});
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

export interface FeatureSpecOptions {
  horizonsDays?: number[];
  eventWindowsDays?: number[];
  eventTypes?: string[];
  eventCodes?: string[];
  minCoverage?: number;
  stepMs?: number;
}

/** The default specification for a device model: every catalogue metric of it, hourly buckets. */
export function defaultFeatureSpec(deviceModel: DeviceModel, options: FeatureSpecOptions = {}): FeatureSpec {
  const horizonsDays = [...(options.horizonsDays ?? [1, 3, 7, 14])].sort((a, b) => a - b);
  return featureSpecSchema.parse({
    version: 1,
    deviceModel,
    stepMs: options.stepMs ?? HOUR_MS,
    metrics: catalog[deviceModel].metrics.map((m) => m.name),
    horizonsDays,
    eventWindowsDays: [...(options.eventWindowsDays ?? [1, 7])].sort((a, b) => a - b),
    eventTypes: options.eventTypes ?? ['error', 'warning'],
    eventCodes: options.eventCodes ?? [],
    minCoverage: options.minCoverage ?? 0.5,
  });
}

/** How far back scoring must read telemetry: the longest horizon. */
export function lookbackMs(spec: FeatureSpec): number {
  return Math.max(...spec.horizonsDays) * DAY_MS;
}

/** How far back scoring must read events. */
export function eventLookbackMs(spec: FeatureSpec): number {
  return Math.max(...spec.eventWindowsDays) * DAY_MS;
}

/** Context features: device age and time since the last service (or install), as log(1 + days). */
export const contextFeatureNames = ['context:age_days_log1p', 'context:since_service_days_log1p'] as const;

/** Column names in input order; the name's first segment is the metric (or `context`/`events`). */
export function featureNames(spec: FeatureSpec): string[] {
  const names: string[] = [];
  const longest = spec.horizonsDays[spec.horizonsDays.length - 1]!;
  for (const metric of spec.metrics) {
    for (const h of spec.horizonsDays) {
      for (const stat of metricStats) names.push(`${metric}:${stat}:${h}d`);
      if (h !== longest) names.push(`${metric}:delta_mean:${h}d`);
    }
    names.push(`${metric}:day_z:${longest}d`);
  }
  names.push(...contextFeatureNames);
  for (const w of spec.eventWindowsDays) {
    for (const type of spec.eventTypes) names.push(`events:${type}:${w}d`);
  }
  // Per-code counts come last: their vocabulary is learnt after the rest of a training row is built.
  for (const w of spec.eventWindowsDays) {
    for (const code of spec.eventCodes) names.push(`events:code=${code}:${w}d`);
  }
  return names;
}

/** Columns before the per-code event counts. */
export function columnsBeforeCodes(spec: FeatureSpec): number {
  return featureNames(spec).length - spec.eventWindowsDays.length * spec.eventCodes.length;
}
