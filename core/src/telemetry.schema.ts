import { z } from 'zod';
import { metricNameSchema, snakeCaseName } from './ids.ts';

/** Bounds on what one MQTT telemetry message may carry; a device that exceeds them is misbehaving. */
export const telemetryLimits = {
  maxPayloadBytes: 256 * 1024,
  maxSamplesPerMessage: 1000,
  maxMetricsPerSample: 64,
  maxFutureMs: 5 * 60_000,
  /** Nothing this platform stores predates 2000-01-01; older stamps are clock faults. */
  minTimestampMs: Date.UTC(2000, 0, 1),
} as const;
export type TelemetryLimits = { -readonly [K in keyof typeof telemetryLimits]: number };

const timestampSchema = z.union([
  z.number().int('epoch milliseconds must be an integer'),
  z.iso.datetime({ offset: true, message: 'ts must be epoch milliseconds or an ISO 8601 date-time' }),
]);

export const telemetrySampleSchema = z.strictObject({
  ts: timestampSchema,
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  metrics: z.record(metricNameSchema, z.number()),
});

/** The wire payload: one sample or an array of them. */
export const telemetryPayloadSchema = z.union([telemetrySampleSchema, z.array(telemetrySampleSchema)]);
export type TelemetryPayload = z.infer<typeof telemetryPayloadSchema>;

/** A sample after validation: the time normalised to epoch ms. */
export interface TelemetrySample {
  ts: number;
  seq?: number;
  metrics: Record<string, number>;
}

export const rejectionReasons = [
  'too_large',
  'invalid_json',
  'invalid_schema',
  'bad_metric_name',
  'non_finite',
  'too_many_samples',
  'too_many_metrics',
  'future_timestamp',
  'ancient_timestamp',
  'unknown_device',
  'forbidden_topic',
  'rate_limited',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: RejectionReason; detail: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'payload'}: ${i.message}`)
    .join('; ');
}

/**
 * Validates one telemetry message as received from MQTT. Never throws: every way a payload can be
 * wrong maps to a reason that is counted and shown to operators.
 */
export function parseTelemetryPayload(
  payload: Uint8Array | string,
  now: number,
  limits: TelemetryLimits = telemetryLimits,
): ParseResult<TelemetrySample[]> {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > limits.maxPayloadBytes) {
    return {
      ok: false,
      reason: 'too_large',
      detail: `${size} bytes exceeds the ${limits.maxPayloadBytes}-byte limit`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'invalid_json', detail: (err as Error).message.slice(0, 200) };
  }
  const rawSamples = Array.isArray(json) ? json : [json];
  if (rawSamples.length === 0)
    return { ok: false, reason: 'invalid_schema', detail: 'empty array of samples' };
  if (rawSamples.length > limits.maxSamplesPerMessage) {
    return {
      ok: false,
      reason: 'too_many_samples',
      detail: `${rawSamples.length} samples exceeds ${limits.maxSamplesPerMessage} per message`,
    };
  }
  const fast = fastSamples(rawSamples, limits, now);
  if (fast) return { ok: true, value: fast };
  const samples: TelemetrySample[] = [];
  for (const [index, raw] of rawSamples.entries()) {
    const at = Array.isArray(json) ? `[${index}] ` : '';
    // JSON.parse turns 1e999 into Infinity, which a plain number check would let through.
    const metrics = (raw as { metrics?: unknown } | null)?.metrics;
    if (metrics && typeof metrics === 'object') {
      const entries = Object.entries(metrics);
      if (entries.length > limits.maxMetricsPerSample) {
        return {
          ok: false,
          reason: 'too_many_metrics',
          detail: `${at}${entries.length} metrics exceeds ${limits.maxMetricsPerSample} per sample`,
        };
      }
      for (const [name, value] of entries) {
        if (typeof value === 'number' && !Number.isFinite(value)) {
          return { ok: false, reason: 'non_finite', detail: `${at}metrics.${name} is not a finite number` };
        }
        if (!metricNameSchema.safeParse(name).success) {
          return {
            ok: false,
            reason: 'bad_metric_name',
            detail: `${at}metric "${name.slice(0, 80)}" is not snake_case (^[a-z][a-z0-9_]{0,63}$)`,
          };
        }
      }
    }
    const parsed = telemetrySampleSchema.safeParse(raw);
    if (!parsed.success)
      return { ok: false, reason: 'invalid_schema', detail: at + describeIssues(parsed.error) };
    const ts = typeof parsed.data.ts === 'number' ? parsed.data.ts : Date.parse(parsed.data.ts);
    if (ts > now + limits.maxFutureMs) {
      return {
        ok: false,
        reason: 'future_timestamp',
        detail: `${at}ts ${describeTime(ts)} is more than ${limits.maxFutureMs / 1000}s in the future`,
      };
    }
    if (ts < limits.minTimestampMs) {
      return { ok: false, reason: 'ancient_timestamp', detail: `${at}ts ${ts} is before 2000-01-01` };
    }
    if (Object.keys(parsed.data.metrics).length === 0) {
      return { ok: false, reason: 'invalid_schema', detail: `${at}metrics: at least one metric is required` };
    }
    const sample: TelemetrySample = { ts, metrics: parsed.data.metrics };
    if (parsed.data.seq !== undefined) sample.seq = parsed.data.seq;
    samples.push(sample);
  }
  return { ok: true, value: samples };
}

/**
 * The hot path: the same rules as `telemetrySampleSchema` and the checks above, written out by hand
 * because running zod per sample costs more than storing the sample. It only ever says "valid" or
 * "not sure"; anything it does not accept goes through the zod path, which finds the reason. A test
 * holds the two to the same verdicts.
 */
function fastSamples(raws: unknown[], limits: TelemetryLimits, now: number): TelemetrySample[] | null {
  const out: TelemetrySample[] = new Array(raws.length);
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i] as Record<string, unknown> | null;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
    let keys = 0;
    for (const key in raw) {
      if (key !== 'ts' && key !== 'seq' && key !== 'metrics') return null;
      keys++;
    }
    const { ts: rawTs, seq, metrics } = raw;
    if (
      keys !== (seq === undefined ? 2 : 3) ||
      metrics === null ||
      typeof metrics !== 'object' ||
      Array.isArray(metrics)
    )
      return null;
    let ts: number;
    if (typeof rawTs === 'number') {
      if (!Number.isSafeInteger(rawTs)) return null;
      ts = rawTs;
    } else return null; // ISO strings are rare from devices; zod parses them exactly.
    if (ts > now + limits.maxFutureMs || ts < limits.minTimestampMs) return null;
    if (seq !== undefined && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)) return null;
    let count = 0;
    const values = metrics as Record<string, unknown>;
    for (const name in values) {
      const value = values[name];
      if (typeof value !== 'number' || !Number.isFinite(value) || !snakeCaseName.test(name)) return null;
      count++;
    }
    if (count === 0 || count > limits.maxMetricsPerSample) return null;
    const sample: TelemetrySample = { ts, metrics: values as Record<string, number> };
    if (seq !== undefined) sample.seq = seq as number;
    out[i] = sample;
  }
  return out;
}

/** Exposed for the test that holds the fast path to zod's verdicts. */
export const fastTelemetrySamplesForTest = fastSamples;

/** A timestamp for an error message; Date cannot format values past ±8.64e15 ms and would throw. */
export function describeTime(ts: number): string {
  return Number.isFinite(ts) && Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : String(ts);
}
