import { catalog, type DeviceModel, failureMode as findFailureMode, metricSpec } from '@aftercare/core';
import type { HourlySeries } from './running-days.ts';
import { signatureShift } from './signature-shift.ts';
import { DAY_MS, HOUR_MS } from './work.ts';

/*
 * Whether a device's telemetry shows that a remote fix it answered `ok` to really cleared the fault,
 * within hours rather than days. The failure models read 1 to 14 days of telemetry and 1 and 7 days of
 * firmware errors, so their risk keeps the fault's days for hours to days after the fault is gone (a
 * purifier whose controller was reset scored above 90 % for the next 6 hours and fell below p_close
 * between 12 and 24 hours later): waiting for the score keeps a visit booked that the fix made
 * needless. The failure mode's signature metrics (the catalogue's `signature`) show it at once:
 *   baseline = mean of the hourly means in the `baselineDays` before the degradation began (and
 *              before the degraded hours, when the ticket does not say when it began);
 *   degraded = mean of the last `degradedHours` hourly means before the hour of the answer;
 *   after    = mean of the complete hours after the hour of the answer (at least `minHoursAfter`);
 *   a metric was degraded when it had moved the signature's way by more than three robust standard
 *   deviations of the baseline's means over `degradedHours` (and at least 2 % of it); it recovered
 *   when it came back by at least `recoveryFraction` of that move.
 * Cleared: at least half of the degraded metrics recovered. A machine that cycles (the catalogue's
 * `running`) is judged on the hours it ran. When no signature metric was measurably degraded the
 * telemetry cannot tell (`unmeasurable`): only the risk falling below p_close can.
 */

export interface RemoteRecoveryOptions {
  baselineDays?: number;
  degradedHours?: number;
  minHoursAfter?: number;
  recoveryFraction?: number;
}

export const defaultRemoteRecovery = {
  baselineDays: 7,
  degradedHours: 6,
  minHoursAfter: 2,
  recoveryFraction: 0.5,
} as const;

export interface RemoteRecoveryInput {
  model: DeviceModel;
  failureMode: string;
  /** When the device answered `ok` to the remote fix. */
  answeredAt: number;
  /** When the degradation began (an estimate: the ticket's evidence). */
  onsetAt: number;
  /** Hourly means (bucket = the hour's start) covering the baseline up to `now`. */
  hourly: HourlySeries;
  now: number;
}

export interface RecoveredMetric {
  metric: string;
  direction: 'up' | 'down';
  baseline: number | null;
  degraded: number | null;
  after: number | null;
  hoursAfter: number;
  degradedBeforeFix: boolean;
  /** Share of the degradation undone: 0 nothing, 1 back at baseline; null when not measurable. */
  recoveredFraction: number | null;
  recovered: boolean;
}

export interface RemoteRecovery {
  outcome: 'cleared' | 'not_cleared' | 'wait' | 'unmeasurable';
  reason: string;
  metrics: RecoveredMetric[];
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

const shown = (value: number) => Number(value.toPrecision(3)).toString();

export function judgeRemoteRecovery(
  input: RemoteRecoveryInput,
  options: RemoteRecoveryOptions = {},
): RemoteRecovery {
  const o = { ...defaultRemoteRecovery, ...options };
  const mode = findFailureMode(input.model, input.failureMode);
  if (!mode)
    return {
      outcome: 'unmeasurable',
      reason: `${input.model} has no failure mode ${input.failureMode}`,
      metrics: [],
    };
  const running = catalog[input.model].running;
  const gate = running ? input.hourly.values[running.metric] : undefined;
  const answerHour = Math.floor(input.answeredAt / HOUR_MS) * HOUR_MS;
  // The baseline ends where the degradation began, and at the latest where the degraded hours start.
  const baselineTo = Math.min(input.onsetAt, answerHour - o.degradedHours * HOUR_MS);
  const baselineFrom = baselineTo - o.baselineDays * DAY_MS;

  const metrics = mode.signature.map(({ metric, direction }): RecoveredMetric => {
    const values = input.hourly.values[metric] ?? [];
    const hours: { ts: number; value: number }[] = [];
    input.hourly.ts.forEach((ts, i) => {
      const value = values[i];
      if (value === null || value === undefined) return;
      if (running) {
        const on = gate?.[i];
        if (on === null || on === undefined || on <= running.above) return;
      }
      hours.push({ ts, value });
    });
    const baseValues = hours.filter((h) => h.ts >= baselineFrom && h.ts < baselineTo).map((h) => h.value);
    const baseline = mean(baseValues);
    const degraded = mean(
      hours
        .filter((h) => h.ts < answerHour && h.ts >= baselineTo)
        .slice(-o.degradedHours)
        .map((h) => h.value),
    );
    // Complete hours wholly after the answer: the hour it came in still holds readings from before.
    const afterValues = hours
      .filter((h) => h.ts >= answerHour + HOUR_MS && h.ts + HOUR_MS <= input.now)
      .map((h) => h.value);
    const after = mean(afterValues);
    let shift = { moved: false, recoveredFraction: null as number | null };
    if (baseline !== null && degraded !== null) {
      // The noise is the baseline's means over as many hours as the degraded level's: a day's rhythm
      // (meals, draws, defrosts) moves hours more than it moves a few hours together.
      const blocks: number[] = [];
      for (let i = 0; i + o.degradedHours <= baseValues.length; i += o.degradedHours)
        blocks.push(mean(baseValues.slice(i, i + o.degradedHours))!);
      const noise = blocks.length >= 4 ? blocks : baseValues;
      shift = signatureShift({ direction, baseline, degraded, after, noise });
    }
    const { moved: degradedBeforeFix, recoveredFraction } = shift;
    return {
      metric,
      direction,
      baseline,
      degraded,
      after,
      hoursAfter: afterValues.length,
      degradedBeforeFix,
      recoveredFraction,
      recovered:
        afterValues.length >= o.minHoursAfter &&
        recoveredFraction !== null &&
        recoveredFraction >= o.recoveryFraction,
    };
  });

  const degraded = metrics.filter((m) => m.degradedBeforeFix);
  if (degraded.length === 0)
    return {
      outcome: 'unmeasurable',
      reason: `no signature reading of ${mode.label.toLowerCase()} (${mode.signature.map((s) => s.metric).join(', ')}) was measurably off its level before the fault began, so only the risk falling below the closing threshold can show the fix worked`,
      metrics,
    };
  const hoursAfter = Math.min(...degraded.map((m) => m.hoursAfter));
  if (hoursAfter < o.minHoursAfter)
    return {
      outcome: 'wait',
      reason: `${hoursAfter} of the ${o.minHoursAfter} complete hours of telemetry after the answer needed to judge the fix`,
      metrics,
    };
  const describe = (m: RecoveredMetric) => {
    const unit = metricSpec(input.model, m.metric)?.unit ?? '';
    const u = unit ? ` ${unit}` : '';
    return `${m.metric} ${shown(m.degraded!)} → ${shown(m.after!)}${u} (${shown(m.baseline!)}${u} before the fault began)`;
  };
  const recovered = degraded.filter((m) => m.recovered);
  if (recovered.length * 2 >= degraded.length)
    return {
      outcome: 'cleared',
      reason: `${recovered.map(describe).join(', ')} over the ${hoursAfter} h since`,
      metrics,
    };
  return {
    outcome: 'not_cleared',
    reason: `the signature readings did not come back: ${degraded.map(describe).join(', ')} over the ${hoursAfter} h since`,
    metrics,
  };
}
