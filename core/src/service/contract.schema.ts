import { z } from 'zod';
import { deviceModels } from '../catalog.ts';
import { deviceIdSchema } from '../ids.ts';
import {
  centsSchema,
  epochMsParamSchema,
  epochMsSchema,
  integerParamSchema,
  pageQueryShape,
  recordIdSchema,
  textSchema,
} from './common.schema.ts';

/** An AMC (annual maintenance contract) plan: what a contract on it entitles the customer to. */
export const amcPlanSchema = z.object({
  id: recordIdSchema,
  name: z.string(),
  /** The device model it is sold for; null for a plan valid on any model. */
  model: z.enum(deviceModels).nullable(),
  visitsPerYear: z.number().int().min(0).max(52),
  /** Hours from a ticket's opening within which a technician must be on site. */
  slaResponseHours: z.number().int().min(1).max(720),
  coversLabour: z.boolean(),
  coversParts: z.boolean(),
  priceCents: centsSchema,
  createdAt: epochMsSchema,
});
export type AmcPlan = z.infer<typeof amcPlanSchema>;

/** POST /api/contract-plans */
export const createAmcPlanBodySchema = amcPlanSchema
  .omit({ id: true, createdAt: true, name: true, model: true })
  .extend({ id: recordIdSchema.optional(), name: textSchema(200), model: z.enum(deviceModels).optional() })
  .strict();
export type CreateAmcPlanBody = z.infer<typeof createAmcPlanBodySchema>;

export const renewalStatuses = ['not_due', 'due', 'offered', 'renewed', 'declined'] as const;
export type RenewalStatus = (typeof renewalStatuses)[number];

/** A renewal status as a planner reads it in a sentence: "it is declined now", "not due yet". */
export const renewalStatusWords: Readonly<Record<RenewalStatus, string>> = {
  not_due: 'not due yet',
  due: 'due',
  offered: 'offered',
  renewed: 'renewed',
  declined: 'declined',
};

export const contractSchema = z.object({
  id: recordIdSchema,
  customerId: recordIdSchema,
  planId: recordIdSchema,
  deviceIds: z.array(deviceIdSchema),
  startsAt: epochMsSchema,
  endsAt: epochMsSchema,
  renewalStatus: z.enum(renewalStatuses),
  /** The contract this one renews. */
  renewsContractId: recordIdSchema.nullable(),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});
export type Contract = z.infer<typeof contractSchema>;

/** POST /api/contracts */
export const createContractBodySchema = z
  .strictObject({
    id: recordIdSchema.optional(),
    customerId: recordIdSchema,
    planId: recordIdSchema,
    deviceIds: z.array(deviceIdSchema).min(1).max(500),
    startsAt: epochMsSchema,
    endsAt: epochMsSchema,
  })
  .refine((b) => b.endsAt > b.startsAt, { message: 'must be after startsAt', path: ['endsAt'] });
export type CreateContractBody = z.infer<typeof createContractBodySchema>;

export const listContractsQuerySchema = z.strictObject({
  customerId: recordIdSchema.optional(),
  deviceId: deviceIdSchema.optional(),
  /** Only contracts in force at this instant. */
  activeAt: epochMsParamSchema.optional(),
  renewalStatus: z.enum(renewalStatuses).optional(),
  ...pageQueryShape,
});
export type ListContractsQuery = z.infer<typeof listContractsQuerySchema>;

/** GET /api/contracts/renewals-due */
export const renewalsDueQuerySchema = z.strictObject({
  withinDays: integerParamSchema(1, 365).prefault(60),
  ...pageQueryShape,
});

/** PATCH /api/contracts/:id/renewal */
export const setRenewalBodySchema = z.strictObject({
  renewalStatus: z.enum(['due', 'offered', 'declined']),
  /** The status the caller saw: when another change came first, 409 instead of overwriting it. */
  expectedStatus: z.enum(renewalStatuses).optional(),
});

/** POST /api/contracts/:id/renewals: a new contract continuing this one. */
export const renewContractBodySchema = z.strictObject({
  planId: recordIdSchema.optional(),
  /** Length of the new term; defaults to the old one's. */
  months: z.number().int().min(1).max(60).optional(),
  /** The renewal status the caller saw: when another change came first, 409 instead of renewing. */
  expectedStatus: z.enum(renewalStatuses).optional(),
});

export const contractVisitStatuses = ['planned', 'scheduled', 'done', 'missed', 'cancelled'] as const;
export type ContractVisitStatus = (typeof contractVisitStatuses)[number];

/** One entitled visit of a contract to one of its devices, due inside a window. */
export const contractVisitSchema = z.object({
  id: recordIdSchema,
  contractId: recordIdSchema,
  deviceId: deviceIdSchema,
  dueFrom: epochMsSchema,
  dueTo: epochMsSchema,
  status: z.enum(contractVisitStatuses),
  /** The amc_visit ticket that carries out the visit, once one exists. */
  ticketId: recordIdSchema.nullable(),
  createdAt: epochMsSchema,
});
export type ContractVisit = z.infer<typeof contractVisitSchema>;

/** POST /api/contracts/:id/visits */
export const planContractVisitsBodySchema = z.strictObject({
  visits: z
    .array(
      z
        .strictObject({ deviceId: deviceIdSchema, dueFrom: epochMsSchema, dueTo: epochMsSchema })
        .refine((v) => v.dueTo > v.dueFrom, { message: 'must be after dueFrom', path: ['dueTo'] }),
    )
    .min(1)
    .max(1000),
});
export type PlanContractVisitsBody = z.infer<typeof planContractVisitsBodySchema>;

export const listContractVisitsQuerySchema = z.strictObject({
  contractId: recordIdSchema.optional(),
  deviceId: deviceIdSchema.optional(),
  status: z.enum(contractVisitStatuses).optional(),
  dueFrom: epochMsParamSchema.optional(),
  dueTo: epochMsParamSchema.optional(),
  ...pageQueryShape,
});
export type ListContractVisitsQuery = z.infer<typeof listContractVisitsQuerySchema>;
