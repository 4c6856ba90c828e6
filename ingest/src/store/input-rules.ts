import { deviceIdSchema, metricNameSchema, ValidationError } from '@aftercare/core';
import { StoreRejectedError } from '../errors.ts';
import type { StoredEvent, TelemetryPoint } from './telemetry-store.ts';

// What every TelemetryStore adapter accepts; the contract suite holds each adapter to it. An adapter
// whose schema reserves names (InfluxDB's time column and tags) adds them.

/** Above this, one query would build arrays nobody can chart or score. */
export const maxBuckets = 100_000;
const maxTextLength = 16 * 1024;

export interface InputRules {
  assertStorablePoints(points: readonly TelemetryPoint[]): void;
  assertStorableEvents(events: readonly StoredEvent[]): void;
  checkMetricNames(metrics: readonly string[] | undefined): void;
}

/** The rules for a store whose schema reserves `reservedNames` (none for SQLite). */
export function inputRules(reservedNames: ReadonlySet<string> = new Set()): InputRules {
  const goodNames = new Set<string>();
  const isMetricName = (name: string): boolean => {
    if (goodNames.has(name)) return true;
    if (!metricNameSchema.safeParse(name).success || reservedNames.has(name)) return false;
    if (goodNames.size < 10_000) goodNames.add(name);
    return true;
  };
  const metricProblem = reservedNames.size > 0 ? 'is not snake_case or is reserved' : 'is not snake_case';
  return {
    assertStorablePoints: (points) => assertStorablePoints(points, isMetricName, metricProblem),
    assertStorableEvents,
    checkMetricNames: (metrics) => {
      for (const name of metrics ?? []) {
        if (!isMetricName(name))
          throw new ValidationError(`metric "${String(name).slice(0, 80)}" is not snake_case`);
      }
    },
  };
}

function isTimestamp(ts: unknown): ts is number {
  return typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0;
}

function isTag(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

/** The whole batch is refused when one point is bad, so a rejected write never stores half a batch. */
function assertStorablePoints(
  points: readonly TelemetryPoint[],
  isMetricName: (name: string) => boolean,
  metricProblem: string,
): void {
  for (const [index, point] of points.entries()) {
    const at = `point ${index} (${String(point.deviceId).slice(0, 64)} @ ${point.ts})`;
    if (!deviceIdSchema.safeParse(point.deviceId).success)
      throw new StoreRejectedError(`${at}: invalid device id`);
    if (!isTag(point.model)) throw new StoreRejectedError(`${at}: model must be 1–64 characters`);
    if (!isTimestamp(point.ts))
      throw new StoreRejectedError(`${at}: ts must be a non-negative integer (epoch ms)`);
    for (const [name, value] of Object.entries(point.metrics)) {
      if (!isMetricName(name))
        throw new StoreRejectedError(`${at}: metric "${name.slice(0, 80)}" ${metricProblem}`);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new StoreRejectedError(`${at}: ${name} is not a finite number`);
      }
    }
  }
}

function assertStorableEvents(events: readonly StoredEvent[]): void {
  for (const [index, event] of events.entries()) {
    const at = `event ${index} (${String(event.deviceId).slice(0, 64)} @ ${event.ts})`;
    if (!deviceIdSchema.safeParse(event.deviceId).success)
      throw new StoreRejectedError(`${at}: invalid device id`);
    if (!isTag(event.model)) throw new StoreRejectedError(`${at}: model must be 1–64 characters`);
    if (!isTimestamp(event.ts))
      throw new StoreRejectedError(`${at}: ts must be a non-negative integer (epoch ms)`);
    if (!isTag(event.type) || !isTag(event.code))
      throw new StoreRejectedError(`${at}: type and code must be 1–64 characters`);
    const text = [event.message, event.component, event.failureMode, event.commandId];
    if (text.some((v) => v !== undefined && (typeof v !== 'string' || v.length > maxTextLength))) {
      throw new StoreRejectedError(
        `${at}: text fields must be strings of at most ${maxTextLength} characters`,
      );
    }
    if (event.data !== undefined && JSON.stringify(event.data).length > maxTextLength) {
      throw new StoreRejectedError(`${at}: data exceeds ${maxTextLength} characters as JSON`);
    }
  }
}

export function checkRange(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new ValidationError('from and to must be epoch milliseconds');
}

/** Bucket starts floor(from / step) * step, … below `to`: the alignment of InfluxDB's GROUP BY time(). */
export function bucketStarts(from: number, to: number, stepMs: number): number[] {
  if (!Number.isSafeInteger(stepMs) || stepMs <= 0)
    throw new ValidationError('stepMs must be a positive integer');
  checkRange(from, to);
  const first = Math.floor(from / stepMs) * stepMs;
  const count = to > first ? Math.ceil((to - first) / stepMs) : 0;
  if (count > maxBuckets)
    throw new ValidationError(`${count} buckets exceeds ${maxBuckets}; use a larger step`);
  return Array.from({ length: count }, (_, i) => first + i * stepMs);
}
