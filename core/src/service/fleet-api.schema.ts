import { z } from 'zod';
import { deviceModels } from '../catalog.ts';
import { riskSchema } from '../risk.schema.ts';

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
  top: z.coerce.number().int().min(0).max(100).default(0),
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
