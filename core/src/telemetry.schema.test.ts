import { describe, expect, it } from 'vitest';
import {
  fastTelemetrySamplesForTest,
  parseTelemetryPayload,
  telemetryLimits,
  telemetrySampleSchema,
} from './telemetry.schema.ts';

const now = Date.UTC(2026, 10, 26, 12, 0, 0);
const sample = { ts: now - 60_000, seq: 7, metrics: { compressor_current_a: 6.1, discharge_temp_c: 71.5 } };

describe('parseTelemetryPayload', () => {
  it('accepts one sample with epoch milliseconds', () => {
    const result = parseTelemetryPayload(JSON.stringify(sample), now);
    expect(result).toEqual({ ok: true, value: [sample] });
  });

  it('accepts an array of samples and ISO 8601 timestamps', () => {
    const iso = { ts: '2026-11-26T11:59:00.000Z', metrics: { power_w: 1200 } };
    const result = parseTelemetryPayload(JSON.stringify([sample, iso]), now);
    expect(result.ok && result.value.map((s) => s.ts)).toEqual([now - 60_000, now - 60_000]);
  });

  it.each([
    ['not json', '{"ts":', 'invalid_json'],
    ['missing metrics', JSON.stringify({ ts: now }), 'invalid_schema'],
    ['a string value', JSON.stringify({ ts: now, metrics: { power_w: '12' } }), 'invalid_schema'],
    ['an unknown field', JSON.stringify({ ...sample, extra: 1 }), 'invalid_schema'],
    ['camelCase metric', JSON.stringify({ ts: now, metrics: { powerW: 1 } }), 'bad_metric_name'],
    [
      'a metric name of 65 characters',
      JSON.stringify({ ts: now, metrics: { [`a${'b'.repeat(64)}`]: 1 } }),
      'bad_metric_name',
    ],
    ['an overflowing number', `{"ts":${now},"metrics":{"power_w":1e999}}`, 'non_finite'],
    [
      'a timestamp 6 minutes ahead',
      JSON.stringify({ ts: now + 6 * 60_000, metrics: { power_w: 1 } }),
      'future_timestamp',
    ],
    [
      'a timestamp beyond what a Date can hold (regression: it threw)',
      JSON.stringify({ ts: 9e15, metrics: { power_w: 1 } }),
      'future_timestamp',
    ],
    [
      'an ISO timestamp past year 9999',
      JSON.stringify({ ts: '+275760-09-13T00:00:00.001Z', metrics: { power_w: 1 } }),
      'invalid_schema',
    ],
    ['a timestamp in 1970', JSON.stringify({ ts: 1000, metrics: { power_w: 1 } }), 'ancient_timestamp'],
    ['a fractional timestamp', JSON.stringify({ ts: now + 0.5, metrics: { power_w: 1 } }), 'invalid_schema'],
    ['an empty array', '[]', 'invalid_schema'],
    ['no metrics at all', JSON.stringify({ ts: now, metrics: {} }), 'invalid_schema'],
    ['a bare number', '42', 'invalid_schema'],
    ['null', 'null', 'invalid_schema'],
  ])('rejects %s with a reason', (_name, payload, reason) => {
    const result = parseTelemetryPayload(payload, now);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail.length).toBeGreaterThan(0);
    }
  });

  it('accepts a timestamp up to five minutes ahead, for device clocks that run fast', () => {
    expect(
      parseTelemetryPayload(JSON.stringify({ ts: now + 4 * 60_000, metrics: { power_w: 1 } }), now).ok,
    ).toBe(true);
  });

  it('rejects payloads over the size limit before parsing them', () => {
    const big = Buffer.alloc(telemetryLimits.maxPayloadBytes + 1, 32);
    expect(parseTelemetryPayload(big, now)).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('bounds samples per message and metrics per sample', () => {
    const many = Array.from({ length: telemetryLimits.maxSamplesPerMessage + 1 }, () => sample);
    expect(parseTelemetryPayload(JSON.stringify(many), now)).toMatchObject({
      ok: false,
      reason: 'too_many_samples',
    });
    const metrics = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`m${i}`, i]));
    expect(parseTelemetryPayload(JSON.stringify({ ts: now, metrics }), now)).toMatchObject({
      ok: false,
      reason: 'too_many_metrics',
    });
  });

  it('names the offending sample of an array', () => {
    const result = parseTelemetryPayload(
      JSON.stringify([sample, { ts: now, metrics: { power_w: 'x' } }]),
      now,
    );
    expect(!result.ok && result.detail).toMatch(/^\[1\]/);
  });
});

describe('the hand-written fast path', () => {
  it('takes the ordinary device payload itself (otherwise it would be no fast path at all)', () => {
    const sample = { ts: now - 1000, seq: 3, metrics: { power_w: 1200 } };
    expect(fastTelemetrySamplesForTest([sample], telemetryLimits, now)).toEqual([sample]);
  });

  // Variants around a valid sample: every field missing, mistyped, out of range or extra.
  const base = { ts: now - 1000, seq: 3, metrics: { power_w: 1200, vibration_mm_s: 1.2 } };
  const variants: unknown[] = [
    base,
    { ts: base.ts, metrics: base.metrics },
    { ...base, seq: -1 },
    { ...base, seq: 1.5 },
    { ...base, seq: '3' },
    { ...base, ts: base.ts + 0.5 },
    { ...base, ts: now + 10 * 60_000 },
    { ...base, ts: 5 },
    { ...base, ts: '2026-11-26T11:00:00Z' },
    { ...base, ts: null },
    { ...base, extra: true },
    { ...base, metrics: {} },
    { ...base, metrics: [] },
    { ...base, metrics: null },
    { ...base, metrics: { Power: 1 } },
    { ...base, metrics: { power_w: '1' } },
    { ...base, metrics: { power_w: null } },
    { ...base, metrics: { power_w: true } },
    { ...base, metrics: { ['__proto__']: 1 } },
    { metrics: base.metrics },
    [],
    null,
    'text',
  ];

  it.each(variants.map((v) => [JSON.stringify(v), v]))(
    'agrees with the zod schema on %s',
    (_label, variant) => {
      const json = JSON.parse(JSON.stringify(variant)) as unknown;
      const fast = fastTelemetrySamplesForTest([json], telemetryLimits, now);
      const zodOk = telemetrySampleSchema.safeParse(json).success;
      if (fast) {
        expect(zodOk).toBe(true);
        expect(fast[0]!.ts).toBeLessThanOrEqual(now + telemetryLimits.maxFutureMs);
      }
      // Whatever the fast path declines, the full parser still decides; both routes give the same answer.
      const full = parseTelemetryPayload(JSON.stringify(variant), now);
      if (fast) expect(full).toEqual({ ok: true, value: fast });
    },
  );
});
