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

/**
 * GET /api/tickets with its order: `sort` (default `created`) and `dir` (default per key); with
 * `include=place` each ticket carries its customer and site, as a ticket's detail does.
 */
export const listTicketsSortedQuerySchema = listTicketsQuerySchema.extend({
  sort: z.enum(ticketSortKeys).default('created'),
  dir: z.enum(sortDirections).optional(),
  include: z.enum(['place']).optional(),
});
export type ListTicketsSortedQuery = z.infer<typeof listTicketsSortedQuerySchema>;

/**
 * A ticket of GET /api/tickets: `place` only when asked for (`include=place`), so that a technician's
 * list of jobs says where each one is without reading every job.
 */
export const listedTicketSchema = ticketSchema.extend({ place: ticketPlaceSchema.optional() });
export type ListedTicket = z.infer<typeof listedTicketSchema>;
