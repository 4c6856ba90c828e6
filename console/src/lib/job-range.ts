import { ranges } from './telemetry-range.ts';

/** The chart ranges a technician's job offers: a visit looks back days or weeks, not a year. */
export const jobRanges = ['24h', '7d', '30d', '90d'] as const;
export type JobRangeKey = (typeof jobRanges)[number];

const dayMs = 86_400_000;

export function isJobRange(value: string | null): value is JobRangeKey {
  return (jobRanges as readonly (string | null)[]).includes(value);
}

/**
 * The smallest range that still holds each driver's trend: `overDays` before the score, up to now
 * (a job scored days ago looks back that much further). A week at least: a visit's usual view.
 */
export function trendRange(
  evidence: { scoredAt: number; drivers: readonly { overDays: number }[] } | null,
  now: number,
): JobRangeKey {
  if (!evidence || evidence.drivers.length === 0) return '7d';
  const longest = Math.max(...evidence.drivers.map((d) => d.overDays));
  const span = now - evidence.scoredAt + (longest + 1) * dayMs;
  return jobRanges.find((key) => key !== '24h' && ranges[key].ms >= span) ?? '90d';
}
