import { z } from 'zod';
import { deviceModels } from '../catalog.ts';
import { deviceDetailSchema, deviceSchema, provisionDeviceBodySchema } from '../device.schema.ts';
import { epochMsSchema, integerParamSchema, pageQueryShape, recordIdSchema } from './common.schema.ts';
import { fleetHealthStates } from './fleet-api.schema.ts';

/** What the service side adds to a device: where it is installed and until when the warranty runs. */
const serviceFields = {
  siteId: recordIdSchema.nullable(),
  warrantyEndsAt: epochMsSchema.nullable(),
};

export const serviceDeviceSchema = deviceSchema.extend(serviceFields);
export type ServiceDevice = z.infer<typeof serviceDeviceSchema>;

export const serviceDeviceDetailSchema = deviceDetailSchema.extend({
  ...serviceFields,
  /** The AMC contract in force for the device now, if any. */
  activeContractId: recordIdSchema.nullable(),
  /** How the device is doing, judged as the fleet list judges it (`fleetHealthRules`). */
  health: z.enum(fleetHealthStates),
});

/** POST /api/devices, with the service fields. */
export const provisionServiceDeviceBodySchema = provisionDeviceBodySchema.extend({
  siteId: recordIdSchema.optional(),
  warrantyEndsAt: epochMsSchema.optional(),
});
export type ProvisionServiceDeviceBody = z.infer<typeof provisionServiceDeviceBodySchema>;

export const provisionedServiceDeviceSchema = serviceDeviceSchema.extend({
  secret: z.string(),
  mqtt: z.object({ username: z.string(), clientId: z.string(), telemetryTopic: z.string() }),
});

/** PATCH /api/devices/:id: ownership, site, serial, dates; null clears a field. */
export const updateDeviceBodySchema = z.strictObject({
  customerId: recordIdSchema.nullable().optional(),
  siteId: recordIdSchema.nullable().optional(),
  serial: z.string().min(1).max(64).nullable().optional(),
  installedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  warrantyEndsAt: epochMsSchema.nullable().optional(),
});
export type UpdateDeviceBody = z.infer<typeof updateDeviceBodySchema>;

export const listServiceDevicesQuerySchema = z.strictObject({
  model: z.enum(deviceModels).optional(),
  customerId: z.string().max(64).optional(),
  siteId: recordIdSchema.optional(),
  limit: integerParamSchema(1, 1000).prefault(100),
  offset: pageQueryShape.offset,
});

export const serviceDeviceListSchema = z.object({
  items: z.array(serviceDeviceSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
