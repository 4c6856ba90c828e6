import type { SortDirection, TicketSortKey } from '@aftercare/core';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { ServiceTables } from '../db/tables.ts';

/** The order of a ticket list: by opening, last change, SLA due time, priority or appointment. */
export interface TicketOrder {
  by: TicketSortKey;
  dir: SortDirection;
}

type TicketQuery<O> = SelectQueryBuilder<ServiceTables, 'tickets', O>;

/**
 * Orders a ticket list. Priority sorts by rank (urgent > high > normal > low), not by its name;
 * tickets without an appointment come last either way; `id` breaks ties, so paging never shows a
 * ticket twice or skips one. Plain SQL (CASE, IS NULL): the same on SQLite and PostgreSQL.
 */
export function orderTickets<O>(query: TicketQuery<O>, order: TicketOrder): TicketQuery<O> {
  const { dir } = order;
  let ordered: TicketQuery<O>;
  switch (order.by) {
    case 'created':
      ordered = query.orderBy('created_at', dir);
      break;
    case 'updated':
      ordered = query.orderBy('updated_at', dir);
      break;
    case 'sla':
      ordered = query.orderBy('sla_due_at', dir);
      break;
    case 'priority':
      ordered = query
        .orderBy(
          sql`case priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end`,
          dir,
        )
        .orderBy('sla_due_at', 'asc');
      break;
    case 'appointment':
      ordered = query
        .orderBy(sql`case when appointment_start is null then 1 else 0 end`, 'asc')
        .orderBy('appointment_start', dir);
      break;
  }
  return ordered.orderBy('id', dir);
}
