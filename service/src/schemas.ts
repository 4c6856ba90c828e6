import { deviceSchema, integerParamSchema, rejectionReasons, rejectionRecordSchema } from '@aftercare/core';
import { z } from './zod.ts';

export { type Role, roleSchema, roles } from '@aftercare/core';

/*
 * API schemas of the original device and operations routes that core does not have yet (roles now
 * live in core/src/service/auth.schema.ts and are re-exported here for the code that imports them
 * from the service).
 */

/** GET /api/devices */
export const deviceListSchema = z.object({
  items: z.array(deviceSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type DeviceList = z.infer<typeof deviceListSchema>;

/** GET /api/ingest/rejections */
export const rejectionsQuerySchema = z.strictObject({
  limit: integerParamSchema(1, 1000).prefault(50),
});

export const rejectionsResponseSchema = z.object({
  /** Every rejection since ingest started, by reason; `recent` holds only the last few. */
  counts: z.partialRecord(z.enum(rejectionReasons), z.number().int()),
  total: z.number().int(),
  recent: z.array(rejectionRecordSchema),
});

export const dependencyStateSchema = z.object({ ok: z.boolean(), detail: z.string().optional() });
export type DependencyState = z.infer<typeof dependencyStateSchema>;

/** GET /health */
export const healthResponseSchema = z.object({
  ok: z.boolean(),
  checks: z.record(z.string(), dependencyStateSchema),
});
