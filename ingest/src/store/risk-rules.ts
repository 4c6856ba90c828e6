import { metricNameSchema, type Risk, riskSchema, ValidationError } from '@aftercare/core';
import { StoreRejectedError } from '../errors.ts';
import { checkRange } from './input-rules.ts';
import type { RiskQuery } from './telemetry-store.ts';

// What every adapter accepts for the `risk` series; the contract suite holds each adapter to it.

export const defaultRiskLimit = 10_000;
export const maxRiskLimit = 100_000;

/** The whole batch is refused when one risk is bad, so a rejected write never stores half a run. */
export function assertStorableRisks(risks: readonly Risk[]): void {
  for (const [index, risk] of risks.entries()) {
    const parsed = riskSchema.safeParse(risk);
    if (parsed.success) continue;
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'risk';
    const device = String((risk as { deviceId?: unknown } | null)?.deviceId ?? '?').slice(0, 64);
    const component = String((risk as { component?: unknown } | null)?.component ?? '?').slice(0, 64);
    throw new StoreRejectedError(`risk ${index} (${device}/${component}): ${where}: ${issue.message}`);
  }
}

/** Checks a history query and returns its effective limit. */
export function checkRiskQuery(query: RiskQuery): number {
  checkRange(query.from, query.to);
  if (query.component !== undefined && !metricNameSchema.safeParse(query.component).success) {
    throw new ValidationError(`component "${String(query.component).slice(0, 80)}" is not snake_case`);
  }
  const limit = query.limit ?? defaultRiskLimit;
  if (!Number.isInteger(limit) || limit < 0)
    throw new ValidationError('limit must be a non-negative integer');
  return Math.min(limit, maxRiskLimit);
}

/** The port's order for risks: time, then device, then component. */
export function byTimeDeviceComponent(a: Risk, b: Risk): number {
  return a.scoredAt - b.scoredAt || byDeviceComponent(a, b);
}

export function byDeviceComponent(a: Risk, b: Risk): number {
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.component < b.component ? -1 : a.component > b.component ? 1 : 0;
}

/** Keeps the `limit` most recent of risks already sorted oldest first. */
export function mostRecent(sorted: Risk[], limit: number): Risk[] {
  return sorted.length > limit ? sorted.slice(sorted.length - limit) : sorted;
}
