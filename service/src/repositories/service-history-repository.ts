import { type DeviceModel, type DeviceVisit, type Page, workedTicketStatuses } from '@aftercare/core';
import { sql } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import type { PageRequest } from '../db/page-query.ts';
import { toCount } from '../db/query-helpers.ts';
import { deviceVisit, type VisitStep, visitStepStatuses } from '../tickets/device-visit.ts';
import { toTicket } from '../tickets/ticket-rows.ts';

/**
 * A device's service history, read for the people who look back on it (the customer's device page
 * first): its worked tickets a page at a time, each told by `deviceVisit`. Two rounds of reads however
 * many visits the page holds: the page of tickets with their technicians' names (and the count), then
 * the page's audit steps and fitted parts, instead of one ticket detail per visit.
 */
export class ServiceHistoryRepository {
  constructor(private readonly db: ServiceDatabase) {}

  /** Newest first by when the work was done; ties by id, so pages neither overlap nor skip. */
  async visitsOf(device: { id: string; model: DeviceModel }, page: PageRequest): Promise<Page<DeviceVisit>> {
    // Qualified: technicians, joined below, have a status of their own.
    const worked = this.db
      .selectFrom('tickets')
      .where('tickets.device_id', '=', device.id)
      .where('tickets.status', 'in', [...workedTicketStatuses]);
    // When the work was done. Every worked ticket was resolved once; the rest keeps the order total.
    const doneAt = sql<number>`coalesce(tickets.resolved_at, tickets.closed_at, tickets.appointment_start, tickets.updated_at)`;
    const [rows, count] = await Promise.all([
      worked
        .leftJoin('technicians', 'technicians.id', 'tickets.technician_id')
        .selectAll('tickets')
        .select(['technicians.name as technician_name', doneAt.as('done_at')])
        .orderBy('done_at', 'desc')
        .orderBy('tickets.id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      worked.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    const ids = rows.map((r) => r.id);
    const [steps, parts] =
      ids.length === 0
        ? [[], []]
        : await Promise.all([
            this.db
              .selectFrom('ticket_audit')
              .select(['ticket_id', 'version', 'action', 'from_status', 'to_status', 'reason'])
              .where('ticket_id', 'in', ids)
              .where('to_status', 'in', [...visitStepStatuses])
              .orderBy('ticket_id')
              .orderBy('version')
              .execute(),
            this.db
              .selectFrom('ticket_parts_used')
              .leftJoin('parts', 'parts.sku', 'ticket_parts_used.sku')
              .select([
                'ticket_parts_used.ticket_id',
                'ticket_parts_used.sku',
                'ticket_parts_used.quantity',
                'parts.name',
              ])
              .where('ticket_parts_used.ticket_id', 'in', ids)
              // Parts recorded in the same millisecond in one order on every read.
              .orderBy('ticket_parts_used.at')
              .orderBy('ticket_parts_used.sku')
              .orderBy('ticket_parts_used.id')
              .execute(),
          ]);
    const stepsOf = groupBy(
      steps,
      (s): VisitStep => ({
        version: s.version,
        action: s.action,
        fromStatus: s.from_status,
        toStatus: s.to_status,
        reason: s.reason,
      }),
    );
    const partsOf = groupBy(parts, (p) => ({ sku: p.sku, quantity: p.quantity, name: p.name }));
    return {
      items: rows.map((row) =>
        deviceVisit({
          // The query keeps worked tickets only.
          ticket: { ...toTicket(row), status: row.status as DeviceVisit['status'] },
          technicianName: row.technician_name,
          // PostgreSQL answers a bigint expression as a string.
          at: Number(row.done_at),
          steps: stepsOf.get(row.id) ?? [],
          parts: partsOf.get(row.id) ?? [],
          model: device.model,
        }),
      ),
      total: toCount(count),
      limit: page.limit,
      offset: page.offset,
    };
  }
}

/** Rows by their ticket, in the order read. */
function groupBy<R extends { ticket_id: string }, T>(
  rows: readonly R[],
  toItem: (row: R) => T,
): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const items = grouped.get(row.ticket_id);
    if (items) items.push(toItem(row));
    else grouped.set(row.ticket_id, [toItem(row)]);
  }
  return grouped;
}
