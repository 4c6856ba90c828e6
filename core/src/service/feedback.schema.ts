import { z } from 'zod';
import { deviceIdSchema } from '../ids.ts';
import {
  centsSchema,
  epochMsParamSchema,
  epochMsSchema,
  pageQueryShape,
  recordIdSchema,
  textSchema,
} from './common.schema.ts';
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
  /** What was done about the complaint, as whoever closed it wrote it; null while open (or from before it was kept). */
  complaintResolution: z.string().nullable(),
  /**
   * Who closed it: a person's or API token's name, "an administrator" for the admin token, or the part
   * of the platform ("the service desk"); null while open.
   */
  complaintResolvedBy: z.string().nullable(),
  createdAt: epochMsSchema,
});
export type Feedback = z.infer<typeof feedbackSchema>;

/**
 * Feedback as the lists give it: with the job it is about and the customer's name, so that a desk
 * working through complaints sees what each one is about without opening every ticket.
 */
export const listedFeedbackSchema = feedbackSchema.extend({
  ticketTitle: z.string(),
  deviceId: deviceIdSchema,
  customerName: z.string().nullable(),
  /** When the job was done (the ticket resolved); null if it never was. */
  ticketResolvedAt: epochMsSchema.nullable(),
});
export type ListedFeedback = z.infer<typeof listedFeedbackSchema>;

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
 * POST /api/feedback/:id/resolution: what was done about the complaint. It is required: a complaint
 * closed without a word is the "creative reporting" the platform exists to make visible, and the
 * customer's next call is answered from it.
 */
export const resolveComplaintBodySchema = z.strictObject({
  resolution: textSchema(2000).refine((v) => v.trim().length >= 3, {
    message: 'say what was done about the complaint (3 characters or more)',
  }),
});
export type ResolveComplaintBody = z.infer<typeof resolveComplaintBodySchema>;

export const listFeedbackQuerySchema = z.strictObject({
  customerId: recordIdSchema.optional(),
  complaint: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Complaints only, open (`false`) or closed (`true`); other feedback has nothing to resolve. */
  resolved: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Complaints closed at or after this instant only (closed ones: it implies `resolved=true`). */
  resolvedFrom: epochMsParamSchema.optional(),
  /** Only feedback with a comment. */
  commented: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Newest first by default; `asc` for the oldest open complaint first. */
  dir: z.enum(['asc', 'desc']).default('desc'),
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
