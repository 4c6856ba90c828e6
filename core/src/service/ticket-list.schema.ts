import { z } from 'zod';
import { listTicketsQuerySchema, ticketPlaceSchema, ticketSchema } from './ticket.schema.ts';

/**
 * How GET /api/tickets orders its pages: by when a ticket was opened or last changed, by its SLA due
 * time, its priority or its appointment. Sorting is the API's, so paging through a sorted list is
 * consistent.
 */
export const ticketSortKeys = ['created', 'updated', 'sla', 'priority', 'appointment'] as const;
export type TicketSortKey = (typeof ticketSortKeys)[number];

export const sortDirections = ['asc', 'desc'] as const;
export type SortDirection = (typeof sortDirections)[number];

/**
 * The direction each key sorts in when none is given: newest first, the most urgent first (soonest
 * SLA, highest priority, earliest appointment).
 */
export const defaultTicketSortDirection: Readonly<Record<TicketSortKey, SortDirection>> = {
  created: 'desc',
  updated: 'desc',
  sla: 'asc',
  priority: 'desc',
  appointment: 'asc',
};

/** What a ticket list may carry beside each ticket: its customer and site, and who is coming. */
export const ticketListIncludes = ['place', 'technician'] as const;

/**
 * GET /api/tickets with its order: `sort` (default `created`) and `dir` (default per key); with
 * `include=place` each ticket carries its customer and site, as a ticket's detail does, and with
 * `include=technician` the name of its technician (`include=place,technician` for both).
 */
export const listTicketsSortedQuerySchema = listTicketsQuerySchema.extend({
  sort: z.enum(ticketSortKeys).default('created'),
  dir: z.enum(sortDirections).optional(),
  include: z
    .string()
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(ticketListIncludes)).min(1).max(ticketListIncludes.length))
    .optional(),
});
export type ListTicketsSortedQuery = z.infer<typeof listTicketsSortedQuerySchema>;

/**
 * A ticket of GET /api/tickets: `place` and `technicianName` only when asked for (`include=`), so that
 * a technician's list of jobs says where each one is, and a customer's who is coming, without reading
 * every job.
 */
export const listedTicketSchema = ticketSchema.extend({
  place: ticketPlaceSchema.optional(),
  /** With `include=technician`: who holds the job, by name; null while nobody does. */
  technicianName: z.string().nullable().optional(),
});
export type ListedTicket = z.infer<typeof listedTicketSchema>;
