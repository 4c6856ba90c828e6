import { z } from 'zod';
import { epochMsParamSchema, epochMsSchema, recordIdSchema } from './common.schema.ts';
import { ticketStatuses } from './ticket.schema.ts';

/** The longest span one schedule read covers: a month of visits is what a planner looks over at once. */
export const TECHNICIAN_VISITS_MAX_DAYS = 31;

/** GET /api/technicians/:id/visits: the visits that overlap [from, to). */
export const technicianVisitsQuerySchema = z
  .strictObject({ from: epochMsParamSchema, to: epochMsParamSchema })
  .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= TECHNICIAN_VISITS_MAX_DAYS * 86_400_000, {
    message: `must be at most ${TECHNICIAN_VISITS_MAX_DAYS} days after from`,
    path: ['to'],
  });
export type TechnicianVisitsQuery = z.infer<typeof technicianVisitsQuerySchema>;

/** One booked visit of a technician: which job, when, and where, so a planner can fit another. */
export const technicianVisitSchema = z.object({
  ticketId: recordIdSchema,
  title: z.string(),
  status: z.enum(ticketStatuses),
  start: epochMsSchema,
  end: epochMsSchema,
  siteId: recordIdSchema.nullable(),
  siteName: z.string().nullable(),
  /** Where the visit is (its site, else its device), for the drive to and from it; null when unknown. */
  position: z.object({ lat: z.number(), lon: z.number() }).nullable(),
});
export type TechnicianVisit = z.infer<typeof technicianVisitSchema>;

export const technicianVisitsSchema = z.object({
  technicianId: recordIdSchema,
  timezone: z.string(),
  items: z.array(technicianVisitSchema),
});
export type TechnicianVisits = z.infer<typeof technicianVisitsSchema>;
