import { z } from 'zod';
import { deviceModels } from '../catalog.ts';
import { deviceSchema } from '../device.schema.ts';
import { riskSchema } from '../risk.schema.ts';
import { integerParamSchema, pageQueryShape } from './common.schema.ts';

/*
 * The fleet at a glance: how many devices of each model are healthy, at risk, failed or offline,
 * counted by the service in one pass, so an overview of 10,000 devices needs neither the device
 * list nor every risk.
 */

export const fleetHealthStates = ['healthy', 'at_risk', 'failed', 'offline'] as const;
export type FleetHealthState = (typeof fleetHealthStates)[number];

/**
 * How a device's health is decided, in this order of precedence (each device counted once):
 * failed when a component's newest risk says the failure is here (no days left, probability at or
 * above `failedProbability`); at risk when a component's probability is at or above
 * `atRiskProbability`; offline when it is not connected; healthy otherwise.
 */
export const fleetHealthRules = { atRiskProbability: 0.5, failedProbability: 0.9 } as const;

export const fleetSummaryQuerySchema = z.strictObject({
  model: z.enum(deviceModels).optional(),
  /** Ignored for a customer, who always sees its own devices only. */
  customerId: z.string().max(64).optional(),
  /** How many of the most likely failures at or above the at-risk probability to return as rows. */
  top: integerParamSchema(0, 100).prefault(0),
});
export type FleetSummaryQuery = z.infer<typeof fleetSummaryQuerySchema>;

export const healthCountsSchema = z.object({
  healthy: z.number().int().nonnegative(),
  at_risk: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  offline: z.number().int().nonnegative(),
});
export type HealthCountsBody = z.infer<typeof healthCountsSchema>;

export const fleetSummarySchema = z.object({
  /** Devices the caller may see, filters applied. */
  devices: z.number().int().nonnegative(),
  /** Of those, connected now. */
  online: z.number().int().nonnegative(),
  /** One entry per device model with at least one device, in catalogue order. */
  byModel: z.array(
    z.object({
      model: z.enum(deviceModels),
      devices: z.number().int().nonnegative(),
      counts: healthCountsSchema,
    }),
  ),
  totals: healthCountsSchema,
  risks: z.object({
    /** Device × component pairs with a score. */
    scoredComponents: z.number().int().nonnegative(),
    /** Of those, at or above the at-risk probability. */
    atRiskComponents: z.number().int().nonnegative(),
    /** Epoch ms of the newest score; null when nothing was scored. */
    lastScoredAt: z.number().int().nullable(),
  }),
  /** The `top` most likely failures at or above the at-risk probability, as GET /api/risks orders them. */
  topRisks: z.array(riskSchema),
  rules: z.object({ atRiskProbability: z.number(), failedProbability: z.number() }),
});
export type FleetSummaryBody = z.infer<typeof fleetSummarySchema>;

/** GET /api/fleet/devices: one page of the fleet list, worst first. */
export const fleetDevicesQuerySchema = z.strictObject({
  model: z.enum(deviceModels).optional(),
  health: z.enum(fleetHealthStates).optional(),
  /** Part of a device id, customer id or customer name, any case; blank matches every device. */
  q: z.string().trim().max(64).optional(),
  limit: integerParamSchema(1, 1000).prefault(200),
  offset: pageQueryShape.offset,
});
export type FleetDevicesQuery = z.infer<typeof fleetDevicesQuerySchema>;

export const fleetDeviceRowSchema = deviceSchema
  .pick({ id: true, model: true, serial: true, customerId: true, installedAt: true })
  .extend({
    /** Null when the device has no owner or the owner is not on record. */
    customerName: z.string().nullable(),
    health: z.enum(fleetHealthStates),
    online: z.boolean(),
    /** ISO 8601: the later of the broker's last word from the device and its newest sample. */
    lastSeen: z.string().nullable(),
    /** The highest newest failure probability over the device's components; null when none was scored. */
    maxPFail: z.number().min(0).max(1).nullable(),
  });
export type FleetDeviceRow = z.infer<typeof fleetDeviceRowSchema>;

export const fleetDevicesSchema = z.object({
  /** Devices the caller may see, before any filter. */
  total: z.number().int().nonnegative(),
  /** Of those, matching the filters. */
  matching: z.number().int().nonnegative(),
  /** The page asked for: failed, at risk, offline, healthy; then the most likely failure first; then by id. */
  items: z.array(fleetDeviceRowSchema),
});
export type FleetDevicesBody = z.infer<typeof fleetDevicesSchema>;
