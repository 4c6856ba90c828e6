import { z } from 'zod';
import { deviceModels } from './catalog.ts';
import { durationParamSchema } from './device.schema.ts';
import { componentNameSchema, deviceIdSchema } from './ids.ts';
import { riskSchema } from './risk.schema.ts';
import {
  decimalParamSchema,
  epochMsParamSchema,
  integerParamSchema,
  pageQueryShape,
  pageSchema,
} from './service/common.schema.ts';

/** GET /api/risks: the newest risk of each device × component, most likely failure first. */
export const listRisksQuerySchema = z.strictObject({
  /** One device's current risks (empty when the caller may not see it). */
  deviceId: deviceIdSchema.optional(),
  model: z.enum(deviceModels).optional(),
  component: componentNameSchema.optional(),
  /** Only risks with pFail at least this. */
  minP: decimalParamSchema(0, 1).optional(),
  /** A customer's token sees its own devices only: another customer's id lists nothing. */
  customerId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  ...pageQueryShape,
});
export type ListRisksQuery = z.infer<typeof listRisksQuerySchema>;

export const riskListSchema = pageSchema(riskSchema);
export type RiskList = z.infer<typeof riskListSchema>;

export const maxRiskHistoryLimit = 10_000;

/** GET /api/devices/:id/risks: defaults to = now, from = to − 30 days. */
export const deviceRiskHistoryQuerySchema = z
  .strictObject({
    from: epochMsParamSchema.optional(),
    to: epochMsParamSchema.optional(),
    component: componentNameSchema.optional(),
    /** When more risks fall in the range, the most recent are kept and `truncated` is true. */
    limit: integerParamSchema(1, maxRiskHistoryLimit).prefault(1_000),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from must be before to',
    path: ['from'],
  });
export type DeviceRiskHistoryQuery = z.infer<typeof deviceRiskHistoryQuerySchema>;

export const deviceRiskHistorySchema = z.object({
  deviceId: z.string(),
  from: z.number(),
  to: z.number(),
  /** Oldest first (then by component). */
  items: z.array(riskSchema),
  truncated: z.boolean(),
});
export type DeviceRiskHistory = z.infer<typeof deviceRiskHistorySchema>;

/** Buckets a risk trend may have, as many as a year at its finest chart step. */
export const maxRiskTrendBuckets = 10_000;

/** GET /api/devices/:id/risk-trend: defaults to = now, from = to − 30 days, step = 1 h. */
export const riskTrendQuerySchema = z
  .strictObject({
    from: epochMsParamSchema.optional(),
    to: epochMsParamSchema.optional(),
    component: componentNameSchema.optional(),
    step: durationParamSchema.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from must be before to',
    path: ['from'],
  });
export type RiskTrendQuery = z.infer<typeof riskTrendQuerySchema>;

export const riskTrendPointSchema = z.object({
  /** The bucket's start, a multiple of the step (the first may start before the window). */
  ts: z.number(),
  /** The highest probability of failure scored in the bucket. */
  pFail: z.number(),
  /** The fewest days left predicted in the bucket; null when no score in it saw a failure coming. */
  daysLeft: z.number().nullable(),
});
export type RiskTrendPoint = z.infer<typeof riskTrendPointSchema>;

export const componentTrendSchema = z.object({
  component: z.string(),
  /** When it was first scored: before `from` when the device has a past, inside the window when its history began there. */
  firstScoredAt: z.number(),
  /** Its latest score in the window. */
  lastScoredAt: z.number(),
  /** How many times it was scored in the window. */
  scores: z.number().int(),
  points: z.array(riskTrendPointSchema),
});
export type ComponentTrend = z.infer<typeof componentTrendSchema>;

export const riskTrendSchema = z.object({
  deviceId: z.string(),
  from: z.number(),
  to: z.number(),
  stepMs: z.number(),
  /** One entry per component scored in the window, by name; its points oldest first, empty buckets left out. */
  components: z.array(componentTrendSchema),
});
export type RiskTrend = z.infer<typeof riskTrendSchema>;
