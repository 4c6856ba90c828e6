import { z } from 'zod';
import { deviceModels } from './catalog.ts';
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
