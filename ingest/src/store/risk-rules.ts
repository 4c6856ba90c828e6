import {
  type ComponentTrend,
  maxRiskTrendBuckets,
  metricNameSchema,
  type Risk,
  type RiskTrendPoint,
  riskSchema,
  ValidationError,
} from '@aftercare/core';
import { StoreRejectedError } from '../errors.ts';
import { checkRange } from './input-rules.ts';
import type { RiskQuery, RiskTrendQuery } from './telemetry-store.ts';

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

function checkComponent(component: string | undefined): void {
  if (component !== undefined && !metricNameSchema.safeParse(component).success) {
    throw new ValidationError(`component "${String(component).slice(0, 80)}" is not snake_case`);
  }
}

/** Checks a history query and returns its effective limit. */
export function checkRiskQuery(query: RiskQuery): number {
  checkRange(query.from, query.to);
  checkComponent(query.component);
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

export function checkRiskTrendQuery(query: RiskTrendQuery): void {
  checkRange(query.from, query.to);
  checkComponent(query.component);
  if (!Number.isInteger(query.stepMs) || query.stepMs < 1000)
    throw new ValidationError('stepMs must be a whole number of milliseconds, at least 1000');
  if ((query.to - query.from) / query.stepMs > maxRiskTrendBuckets)
    throw new ValidationError(
      `the range holds more than ${maxRiskTrendBuckets} buckets of ${query.stepMs} ms: ask for a wider step`,
    );
}

/** A bucket of one component as an adapter reads it: its figures, its last score and how many it holds. */
export interface TrendRow extends RiskTrendPoint {
  component: string;
  lastAt: number;
  scores: number;
}

/** Buckets of several reads merged (highest pFail, fewest days left), in the port's order. */
export function mergeTrends(
  rows: readonly TrendRow[],
  /** Each component's first score ever (else, unknown, its first bucket). */
  firstEver: ReadonlyMap<string, number>,
): ComponentTrend[] {
  const byComponent = new Map<string, Map<number, RiskTrendPoint>>();
  const spanOf = new Map<string, { lastScoredAt: number; scores: number }>();
  for (const { component, ts, pFail, daysLeft, lastAt, scores } of rows) {
    const span = spanOf.get(component);
    if (!span) spanOf.set(component, { lastScoredAt: lastAt, scores });
    else {
      span.lastScoredAt = Math.max(span.lastScoredAt, lastAt);
      span.scores += scores;
    }
    let buckets = byComponent.get(component);
    if (!buckets) {
      buckets = new Map();
      byComponent.set(component, buckets);
    }
    const seen = buckets.get(ts);
    if (!seen) buckets.set(ts, { ts, pFail, daysLeft });
    else {
      seen.pFail = Math.max(seen.pFail, pFail);
      if (daysLeft !== null)
        seen.daysLeft = seen.daysLeft === null ? daysLeft : Math.min(seen.daysLeft, daysLeft);
    }
  }
  return [...byComponent.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([component, buckets]) => {
      const points = [...buckets.values()].sort((a, b) => a.ts - b.ts);
      return {
        component,
        firstScoredAt: firstEver.get(component) ?? points[0]!.ts,
        ...spanOf.get(component)!,
        points,
      };
    });
}
