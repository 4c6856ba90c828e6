import { ValidationError } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { QueryTooLargeError } from './errors.ts';
import { assertRawSeriesSize, resolveTelemetryRange } from './telemetry-range.ts';

const now = Date.UTC(2025, 10, 26, 12);
const hour = 3_600_000;

describe('resolveTelemetryRange', () => {
  it('defaults to the 24 hours up to now, raw', () => {
    expect(resolveTelemetryRange({}, now)).toEqual({ from: now - 24 * hour, to: now, stepMs: null });
  });

  it('counts the default window back from an explicit end', () => {
    expect(resolveTelemetryRange({ to: now - hour, step: 60_000 }, now)).toEqual({
      from: now - 25 * hour,
      to: now - hour,
      stepMs: 60_000,
    });
  });

  it('refuses a start that is not before the end, including a start after now with no end', () => {
    expect(() => resolveTelemetryRange({ from: now + hour }, now)).toThrow(ValidationError);
    expect(() => resolveTelemetryRange({ from: now, to: now }, now)).toThrow(
      /querystring.from: must be before to/,
    );
  });

  it('refuses more buckets than the limit and names a step that fits', () => {
    const query = { from: now - 7 * 24 * hour, to: now, step: 1000 };
    expect(() => resolveTelemetryRange(query, now)).toThrow(QueryTooLargeError);
    expect(() => resolveTelemetryRange(query, now)).toThrow(/raise step to at least 31s/);
    expect(resolveTelemetryRange({ ...query, step: 31_000 }, now).stepMs).toBe(31_000);
  });
});

describe('assertRawSeriesSize', () => {
  it('refuses a raw series longer than the limit and suggests a step', () => {
    const range = { from: now - hour, to: now, stepMs: null };
    const limits = { defaultWindowMs: hour, maxPointsPerSeries: 3 };
    expect(() => assertRawSeriesSize([{ metric: 'power_w', ts: [1, 2, 3] }], range, limits)).not.toThrow();
    expect(() => assertRawSeriesSize([{ metric: 'power_w', ts: [1, 2, 3, 4] }], range, limits)).toThrow(
      /power_w has 4 raw samples.*pass step=1200s/,
    );
  });
});
