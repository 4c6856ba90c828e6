import { z } from 'zod';
import { metricNameSchema } from '../ids.ts';
import { epochMsSchema, pageQueryShape, pageSchema, recordIdSchema } from './common.schema.ts';
import { coverages, ticketKinds } from './ticket.schema.ts';

/*
 * A device's service history: the work done on it, one entry per ticket someone worked on (on site,
 * or remotely), told as its customer may read it. The office's side (notes, where parts were held,
 * who in the office acted, the automation's working) is not part of it.
 */

/** The statuses a ticket reaches only once someone worked on it. */
export const workedTicketStatuses = ['resolved', 'verified', 'flagged_for_review', 'closed'] as const;

/** GET /api/devices/:id/visits */
export const deviceVisitsQuerySchema = z.strictObject({ ...pageQueryShape });
export type DeviceVisitsQuery = z.infer<typeof deviceVisitsQuerySchema>;

export const fittedPartSchema = z.object({
  sku: z.string(),
  /** What the part is, in the catalogue's words ("Run capacitor"); the SKU when the catalogue does not know it. */
  name: z.string(),
  /** Units fitted on the visit, all records of the SKU together. */
  quantity: z.number().int().min(1),
});
export type FittedPart = z.infer<typeof fittedPartSchema>;

export const deviceVisitSchema = z.object({
  ticketId: recordIdSchema,
  kind: z.enum(ticketKinds),
  status: z.enum(workedTicketStatuses),
  /** When the work was done: the last resolution, else the closing, else the appointment. Newest first by this. */
  at: epochMsSchema,
  appointment: z.object({ start: epochMsSchema, end: epochMsSchema }).nullable(),
  resolvedAt: epochMsSchema.nullable(),
  closedAt: epochMsSchema.nullable(),
  /** Who came, by name; null when nobody did (fixed remotely) or nobody is on record. */
  technicianName: z.string().nullable(),
  /** How many times a technician arrived on site for it; 0 when it was fixed remotely. */
  onSiteVisits: z.number().int().nonnegative(),
  /** Fixed by a command sent to the device: nobody came. */
  remote: z.boolean(),
  /** The readings after the last resolution confirmed the fix. */
  fixVerified: z.boolean(),
  /**
   * What was done, in the words of whoever resolved it (the last resolution's reason); null for a
   * remote fix, whose reason is the automation's working.
   */
  resolution: z.string().nullable(),
  /** Why it was closed, when someone said so (a ticket closed after review, say). */
  closingReason: z.string().nullable(),
  /** The fault the monitoring predicted, for a predictive ticket. */
  failureMode: metricNameSchema.nullable(),
  /** The problem as reported when the repair was asked for (corrective tickets); null otherwise. */
  reportedProblem: z.string().nullable(),
  coverage: z.enum(coverages),
  contractId: recordIdSchema.nullable(),
  /** Parts fitted, in the order they were first fitted. */
  parts: z.array(fittedPartSchema),
});
export type DeviceVisit = z.infer<typeof deviceVisitSchema>;

export const deviceVisitPageSchema = pageSchema(deviceVisitSchema);
