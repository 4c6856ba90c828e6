import type { SortDirection, TicketSortKey } from '@aftercare/core';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { ServiceTables } from '../db/tables.ts';
import { activeStatuses } from './ticket-lifecycle.ts';

/** The order of a ticket list: by opening, last change, SLA due time, priority or appointment. */
export interface TicketOrder {
  by: TicketSortKey;
  dir: SortDirection;
}

type TicketQuery<O> = SelectQueryBuilder<ServiceTables, 'tickets', O>;

/** Sorts that answer "what is next": work still to do on site (`activeStatuses`) comes first, either way. */
const workFirstSorts: ReadonlySet<TicketSortKey> = new Set(['sla', 'priority', 'appointment']);

/**
 * Orders a ticket list. Priority sorts by rank (urgent > high > normal > low), not by its name;
 * tickets without an appointment come last either way; by SLA, priority or appointment, tickets
 * still to work on come before finished ones (a year of closed tickets would otherwise lead a list
 * of all statuses); `id` breaks ties, so paging never shows a ticket twice or skips one. Plain SQL
 * (CASE, IS NULL): the same on SQLite and PostgreSQL.
 */
export function orderTickets<O>(query: TicketQuery<O>, order: TicketOrder): TicketQuery<O> {
  const { dir } = order;
  let ordered: TicketQuery<O> = workFirstSorts.has(order.by)
    ? query.orderBy(sql`case when status in (${sql.join(activeStatuses)}) then 0 else 1 end`, 'asc')
    : query;
  switch (order.by) {
    case 'created':
      ordered = ordered.orderBy('created_at', dir);
      break;
    case 'updated':
      ordered = ordered.orderBy('updated_at', dir);
      break;
    case 'sla':
      ordered = ordered.orderBy('sla_due_at', dir);
      break;
    case 'priority':
      ordered = ordered
        .orderBy(
          sql`case priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end`,
          dir,
        )
        .orderBy('sla_due_at', 'asc');
      break;
    case 'appointment':
      ordered = ordered
        .orderBy(sql`case when appointment_start is null then 1 else 0 end`, 'asc')
        .orderBy('appointment_start', dir);
      break;
  }
  return ordered.orderBy('id', dir);
}
