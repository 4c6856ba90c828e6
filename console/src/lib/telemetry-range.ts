/**
 * Which time range a device chart shows and how coarse its points are. The server downsamples
 * (GET /api/devices/:id/telemetry?step=), so the browser only ever receives about `targetPoints`
 * buckets per metric: a year of hourly data at the 1-year range is ~730 points, and zooming in asks
 * the server again with a finer step.
 */

export const ranges = {
  '24h': { label: '24 h', ms: 24 * 3_600_000 },
  '7d': { label: '7 days', ms: 7 * 86_400_000 },
  '30d': { label: '30 days', ms: 30 * 86_400_000 },
  '90d': { label: '90 days', ms: 90 * 86_400_000 },
  '1y': { label: '1 year', ms: 365 * 86_400_000 },
} as const;
export type RangeKey = keyof typeof ranges;
export const defaultRange: RangeKey = '7d';

export function isRangeKey(value: string | null): value is RangeKey {
  return value !== null && Object.hasOwn(ranges, value);
}

/** Bucket widths the console asks for: whole minutes, hours or days, so ticks and buckets line up. */
export const stepLadderMs = [
  60_000,
  2 * 60_000,
  5 * 60_000,
  10 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3_600_000,
  2 * 3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  2 * 86_400_000,
  7 * 86_400_000,
] as const;

/** About one point per two pixels of a 1280 px wide chart. */
export const targetPoints = 600;

/** The finest step of the ladder that keeps `spanMs` within `maxPoints` buckets. */
export function chooseStepMs(spanMs: number, maxPoints = targetPoints): number {
  for (const step of stepLadderMs) if (spanMs / step <= maxPoints) return step;
  return Math.ceil(spanMs / maxPoints / 86_400_000) * 86_400_000;
}

/** The step as the API's query string takes it: "5m", "1h", "2d". */
export function stepParam(stepMs: number): string {
  if (stepMs % 86_400_000 === 0) return `${stepMs / 86_400_000}d`;
  if (stepMs % 3_600_000 === 0) return `${stepMs / 3_600_000}h`;
  if (stepMs % 60_000 === 0) return `${stepMs / 60_000}m`;
  return `${Math.max(1, Math.round(stepMs / 1000))}s`;
}

/** Parses `?from=&to=` of a zoomed view; anything unusable falls back to the last `fallback`. */
export function resolveWindow(
  from: string | null,
  to: string | null,
  now: number,
  fallbackMs: number,
): { from: number; to: number } {
  const f = from === null ? Number.NaN : Number(from);
  const t = to === null ? Number.NaN : Number(to);
  if (Number.isInteger(f) && Number.isInteger(t) && f < t && t - f >= 60_000 && t <= now + 86_400_000)
    return { from: f, to: t };
  return { from: now - fallbackMs, to: now };
}
