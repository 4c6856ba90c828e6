import { type DeviceModel, failureMode, ValidationError } from '@aftercare/core';
import { median, signatureShift } from './signature-shift.ts';
import { DAY_MS } from './work.ts';

/**
 * After a ticket is resolved, telemetry says whether the repair really fixed the device: the failure
 * mode's signature metrics should move back toward where they were before the degradation began, and the
 * model's risk should fall. A repair with no measurable effect within the agreed days is flagged for
 * review: that is what makes "creative" reporting of service work visible.
 *
 * Per signature metric (catalogue `signature`, with the direction it moves as the failure develops):
 *   baseline  = median of the daily values in the `baselineDays` before onset;
 *   degraded  = median of the last `degradedDays` daily values before the repair;
 *   after     = median of the latest `degradedDays` daily values from `settleDays` after the repair
 *               until the end of the observation period (or now);
 *   the metric was degraded when it had moved, in its signature direction, by more than three robust
 *   standard deviations of the baseline (and at least 2 % of it); it recovered when it came back by at
 *   least `recoveryFraction` of that move.
 * Verified: at least half of the degraded metrics recovered, and the risk fell by `riskDropFraction`
 * of its last value before the repair (skipped when the device has no risk scores before the repair).
 */

export interface DailyValue {
  /** Start of the day, epoch ms. */
  day: number;
  /** The day's mean. */
  value: number;
}

export interface ResolvedTicket {
  ticketId: string;
  model: DeviceModel;
  failureMode: string;
  resolvedAt: number;
  /** Days agreed for the repair to show in telemetry. */
  observationDays: number;
}

export interface FixVerificationInput {
  ticket: ResolvedTicket;
  /** When the degradation began: e.g. the first alarming score minus its drivers' `overDays`. */
  onsetAt: number;
  /** The device's daily series by metric name; at least the failure mode's signature metrics. */
  series: Readonly<Record<string, readonly DailyValue[]>>;
  risk: readonly { at: number; pFail: number }[];
  now: number;
}

export interface FixVerificationOptions {
  baselineDays?: number;
  degradedDays?: number;
  settleDays?: number;
  recoveryFraction?: number;
  riskDropFraction?: number;
}

export const defaultFixVerification = {
  baselineDays: 7,
  degradedDays: 3,
  settleDays: 1,
  recoveryFraction: 0.5,
  riskDropFraction: 0.5,
} as const;

export interface MetricRecovery {
  metric: string;
  direction: 'up' | 'down';
  baseline: number | null;
  degraded: number | null;
  after: number | null;
  degradedAtRepair: boolean;
  /** Share of the degradation undone: 0 = nothing, 1 = back at baseline; null when not measurable. */
  recoveredFraction: number | null;
  recovered: boolean;
}

export interface FixVerification {
  outcome: 'verified' | 'flag_for_review' | 'pending';
  reason: string;
  metrics: MetricRecovery[];
  riskBefore: number | null;
  riskAfter: number | null;
  /** When the observation period ends (epoch ms). */
  observationEndsAt: number;
}

export function verifyFix(
  input: FixVerificationInput,
  options: FixVerificationOptions = {},
): FixVerification {
  const o = { ...defaultFixVerification, ...options };
  const { ticket, now } = input;
  const mode = failureMode(ticket.model, ticket.failureMode);
  if (!mode)
    throw new ValidationError(`${ticket.model} has no failure mode ${ticket.failureMode}`, ['failureMode']);
  const observationEndsAt = ticket.resolvedAt + ticket.observationDays * DAY_MS;
  const afterFrom = ticket.resolvedAt + o.settleDays * DAY_MS;
  const afterTo = Math.min(now, observationEndsAt);

  const metrics = mode.signature.map(({ metric, direction }): MetricRecovery => {
    const points = [...(input.series[metric] ?? [])].sort((a, b) => a.day - b.day);
    const between = (from: number, to: number) =>
      points.filter((p) => p.day >= from && p.day < to).map((p) => p.value);
    const baseValues = between(input.onsetAt - o.baselineDays * DAY_MS, input.onsetAt);
    const baseline = median(baseValues);
    const degraded = median(
      between(ticket.resolvedAt - o.degradedDays * DAY_MS, ticket.resolvedAt).slice(-o.degradedDays),
    );
    const after = median(
      points
        .filter((p) => p.day >= afterFrom && p.day <= afterTo)
        .map((p) => p.value)
        .slice(-o.degradedDays),
    );
    const { moved: degradedAtRepair, recoveredFraction } =
      baseline !== null && degraded !== null
        ? signatureShift({ direction, baseline, degraded, after, noise: baseValues })
        : { moved: false, recoveredFraction: null };
    return {
      metric,
      direction,
      baseline,
      degraded,
      after,
      degradedAtRepair,
      recoveredFraction,
      recovered: recoveredFraction !== null && recoveredFraction >= o.recoveryFraction,
    };
  });

  const riskBefore =
    [...input.risk].filter((r) => r.at <= ticket.resolvedAt).sort((a, b) => b.at - a.at)[0]?.pFail ?? null;
  const riskAfter =
    [...input.risk].filter((r) => r.at >= afterFrom && r.at <= afterTo).sort((a, b) => b.at - a.at)[0]
      ?.pFail ?? null;
  const riskFell =
    riskBefore === null ? true : riskAfter !== null && riskAfter <= riskBefore * (1 - o.riskDropFraction);

  const degradedMetrics = metrics.filter((m) => m.degradedAtRepair);
  const recovered = degradedMetrics.filter((m) => m.recovered);
  const metricsRecovered = degradedMetrics.length > 0 && recovered.length * 2 >= degradedMetrics.length;
  const result = { metrics, riskBefore, riskAfter, observationEndsAt };
  if (metricsRecovered && riskFell) {
    return {
      ...result,
      outcome: 'verified',
      reason: `${recovered.map((m) => m.metric).join(', ')} recovered and the risk fell`,
    };
  }
  if (now < observationEndsAt) {
    return { ...result, outcome: 'pending', reason: 'still inside the observation period' };
  }
  const hasData = metrics.some((m) => m.after !== null);
  const reason = !hasData
    ? 'no telemetry after the repair'
    : degradedMetrics.length === 0
      ? 'no degradation was measurable before the repair'
      : !metricsRecovered
        ? `signature metrics did not recover (${degradedMetrics.map((m) => `${m.metric} ${Math.round((m.recoveredFraction ?? 0) * 100)}%`).join(', ')})`
        : `the risk did not fall (${riskBefore} → ${riskAfter ?? 'no score'})`;
  return { ...result, outcome: 'flag_for_review', reason };
}
