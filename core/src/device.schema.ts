import { z } from 'zod';
import { deviceModels } from './catalog.ts';
import { deviceIdSchema, metricNameSchema } from './ids.ts';
import { instantParamSchema } from './instant.ts';
import { integerParamSchema, pageQueryShape } from './service/common.schema.ts';

export const locationSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  address: z.string().max(300).optional(),
});

/** POST /api/devices */
export const provisionDeviceBodySchema = z.strictObject({
  id: deviceIdSchema,
  model: z.enum(deviceModels),
  serial: z.string().min(1).max(64).optional(),
  customerId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  location: locationSchema.optional(),
  installedAt: z.iso.datetime({ offset: true }).optional(),
});
export type ProvisionDeviceBody = z.infer<typeof provisionDeviceBodySchema>;

export const deviceSchema = z.object({
  id: deviceIdSchema,
  model: z.enum(deviceModels),
  serial: z.string().nullable(),
  customerId: z.string().nullable(),
  location: locationSchema.nullable(),
  installedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Device = z.infer<typeof deviceSchema>;

export const provisionedDeviceSchema = deviceSchema.extend({
  /** Shown exactly once; only its hash is stored. */
  secret: z.string(),
  mqtt: z.object({ username: z.string(), clientId: z.string(), telemetryTopic: z.string() }),
});

export const deviceDetailSchema = deviceSchema.extend({
  online: z.boolean(),
  lastSeen: z.string().nullable(),
  latest: z.record(z.string(), z.number()).nullable(),
});

export const listDevicesQuerySchema = z.strictObject({
  model: z.enum(deviceModels).optional(),
  customerId: z.string().max(64).optional(),
  limit: integerParamSchema(1, 1000).prefault(100),
  offset: pageQueryShape.offset,
});

export const deviceIdParamsSchema = z.strictObject({ id: deviceIdSchema });

/** Ten years: longer than any range a store is asked for, and small enough to count exactly. */
const MAX_STEP_MS = 3650 * 86_400_000;

/** A bucket width in a query string: "30s", "5m", "1h", "1d", or bare milliseconds; at least 1 s. */
export const durationParamSchema = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'must be a duration such as 30s, 5m, 1h or 1d (or milliseconds)')
  .transform((v) => {
    const match = /^(\d+)(ms|s|m|h|d)?$/.exec(v)!;
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
    return Number(match[1]) * unit;
  })
  .pipe(
    z
      .number()
      // Aborting: a step past it is also past what an int counts exactly, which need not be said too.
      .max(MAX_STEP_MS, { error: 'step must be at most 3650d (ten years)', abort: true })
      .int()
      .min(1000, 'step must be at least 1s'),
  );

/** GET /api/devices/:id/telemetry */
export const telemetryQuerySchema = z
  .strictObject({
    metrics: z
      .string()
      .transform((v) => v.split(',').filter(Boolean))
      .pipe(z.array(metricNameSchema).min(1).max(32))
      .optional(),
    from: instantParamSchema.optional(),
    to: instantParamSchema.optional(),
    step: durationParamSchema.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from must be before to',
    path: ['from'],
  });
export type TelemetryQuery = z.infer<typeof telemetryQuerySchema>;

export const metricSeriesSchema = z.object({
  metric: z.string(),
  ts: z.array(z.number()),
  mean: z.array(z.number()),
  min: z.array(z.number()),
  max: z.array(z.number()),
});
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

export const telemetryResponseSchema = z.object({
  deviceId: z.string(),
  from: z.number(),
  to: z.number(),
  stepMs: z.number().nullable(),
  series: z.array(metricSeriesSchema),
});

export const rejectionRecordSchema = z.object({
  at: z.string(),
  deviceId: z.string().nullable(),
  topic: z.string(),
  reason: z.string(),
  detail: z.string(),
  bytes: z.number(),
});
export type RejectionRecord = z.infer<typeof rejectionRecordSchema>;

export const errorResponseSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  code: z.string(),
  message: z.string(),
});
