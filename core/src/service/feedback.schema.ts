import { z } from 'zod';
import { deviceIdSchema } from '../ids.ts';
import { centsSchema, epochMsSchema, pageQueryShape, recordIdSchema, textSchema } from './common.schema.ts';
import { coverages } from './ticket.schema.ts';

/** A customer's verdict on a closed ticket: CSAT 1–5, NPS 0–10, and whether it is a complaint. */
export const feedbackSchema = z.object({
  id: recordIdSchema,
  ticketId: recordIdSchema,
  customerId: recordIdSchema,
  csat: z.number().int().min(1).max(5),
  nps: z.number().int().min(0).max(10),
  comment: z.string().nullable(),
  complaint: z.boolean(),
  complaintResolvedAt: epochMsSchema.nullable(),
  createdAt: epochMsSchema,
});
export type Feedback = z.infer<typeof feedbackSchema>;

/**
 * A visit is rated within this many days of its closing: later, a rating says more about memory than
 * about the visit, and a customer is not asked about a visit of last winter.
 */
export const FEEDBACK_WINDOW_DAYS = 30;

/** POST /api/tickets/:id/feedback */
export const giveFeedbackBodySchema = z.strictObject({
  csat: z.number().int().min(1).max(5),
  nps: z.number().int().min(0).max(10),
  comment: textSchema(2000).optional(),
  complaint: z.boolean().default(false),
});
export type GiveFeedbackBody = z.infer<typeof giveFeedbackBodySchema>;

/**
 * POST /api/feedback/:id/resolution: there is nothing to send, as the service records when; the body
 * may be left out (fastify reads no body as null) or be `{}`, and any key in it is refused, as on
 * every other write, rather than resolving the complaint as if the caller had not meant something else.
 */
export const resolveComplaintBodySchema = z
  .strictObject({})
  .nullish()
  .meta({ description: 'Nothing to send: leave the body out, or send {}.' });

export const listFeedbackQuerySchema = z.strictObject({
  customerId: recordIdSchema.optional(),
  complaint: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  ...pageQueryShape,
});

export const warrantyClaimStatuses = ['submitted', 'approved', 'rejected'] as const;
export type WarrantyClaimStatus = (typeof warrantyClaimStatuses)[number];

/** What the manufacturer (warranty) or the AMC pays for one ticket's covered parts and labour. */
export const warrantyClaimSchema = z.object({
  id: recordIdSchema,
  ticketId: recordIdSchema,
  deviceId: deviceIdSchema,
  coverage: z.enum(coverages),
  contractId: recordIdSchema.nullable(),
  partsCents: centsSchema,
  labourCents: centsSchema,
  status: z.enum(warrantyClaimStatuses),
  decisionNote: z.string().nullable(),
  createdAt: epochMsSchema,
  decidedAt: epochMsSchema.nullable(),
});
export type WarrantyClaim = z.infer<typeof warrantyClaimSchema>;

/** POST /api/tickets/:id/warranty-claim */
export const fileWarrantyClaimBodySchema = z.strictObject({
  /** Labour at the partner's rate; parts are priced from the catalogue and the parts used. */
  labourCents: centsSchema,
});
export type FileWarrantyClaimBody = z.infer<typeof fileWarrantyClaimBodySchema>;

/** POST /api/warranty-claims/:id/decision */
export const decideWarrantyClaimBodySchema = z.strictObject({
  status: z.enum(['approved', 'rejected']),
  note: textSchema(1000).optional(),
});

export const listWarrantyClaimsQuerySchema = z.strictObject({
  status: z.enum(warrantyClaimStatuses).optional(),
  ...pageQueryShape,
});
