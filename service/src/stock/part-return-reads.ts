import type { Page, PartReturnDue, PartReturnReceived } from '@aftercare/core';
import type { ExpressionBuilder } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import type { PageRequest } from '../db/page-query.ts';
import { toCount } from '../db/query-helpers.ts';
import type { ServiceTables } from '../db/tables.ts';

/**
 * The defective-part returns as the parts planner reads them: the fittings still owed a returned
 * unit, and the units received, each with the job it belongs to (ticket, device, customer,
 * technician and partner, part) so the planner knows whom to chase without opening every ticket.
 */

/** Every ticket with the names its returns are shown with; joined on `job.ticketId`. */
function jobs(db: ServiceDatabase) {
  return db
    .selectFrom('tickets')
    .innerJoin('devices', 'devices.id', 'tickets.device_id')
    .leftJoin('customers', 'customers.id', 'tickets.customer_id')
    .leftJoin('technicians', 'technicians.id', 'tickets.technician_id')
    .leftJoin('service_partners', 'service_partners.id', 'technicians.partner_id')
    .select([
      'tickets.id as ticketId',
      'tickets.title as ticketTitle',
      'tickets.device_id as deviceId',
      'devices.model as deviceModel',
      'customers.name as customerName',
      'technicians.name as technicianName',
      'service_partners.name as partnerName',
    ])
    .as('job');
}

const jobColumns = [
  'job.ticketId',
  'job.ticketTitle',
  'job.deviceId',
  'job.deviceModel',
  'job.customerName',
  'job.technicianName',
  'job.partnerName',
  'parts.name as partName',
] as const;

/**
 * A return answers a fitting when it is for the same ticket and SKU and, where the technician gave
 * the serial of the unit taken out, carries that serial.
 */
function returned(eb: ExpressionBuilder<ServiceTables, 'ticket_parts_used'>) {
  return eb.exists(
    eb
      .selectFrom('part_returns')
      .select('part_returns.id')
      .whereRef('part_returns.ticket_id', '=', 'ticket_parts_used.ticket_id')
      .whereRef('part_returns.sku', '=', 'ticket_parts_used.sku')
      .where((r) =>
        r.or([
          r('ticket_parts_used.removed_serial', 'is', null),
          r('part_returns.serial', '=', r.ref('ticket_parts_used.removed_serial')),
        ]),
      ),
  );
}

/** Fittings of parts the catalogue wants back with no matching return yet, the longest waiting first. */
export async function outstandingReturns(
  db: ServiceDatabase,
  page: PageRequest & { fittedBefore?: number | undefined },
): Promise<Page<PartReturnDue>> {
  let owed = db
    .selectFrom('ticket_parts_used')
    .innerJoin('parts', 'parts.sku', 'ticket_parts_used.sku')
    .innerJoin(jobs(db), 'job.ticketId', 'ticket_parts_used.ticket_id')
    .where('parts.return_required', '=', 1)
    .where((eb) => eb.not(returned(eb)));
  if (page.fittedBefore !== undefined) owed = owed.where('ticket_parts_used.at', '<', page.fittedBefore);
  const [rows, count] = await Promise.all([
    owed
      .select([
        'ticket_parts_used.id as partUsedId',
        'ticket_parts_used.sku as sku',
        'ticket_parts_used.quantity as quantity',
        'ticket_parts_used.removed_serial as removedSerial',
        'ticket_parts_used.at as fittedAt',
        ...jobColumns,
      ])
      .orderBy('ticket_parts_used.at', 'asc')
      .orderBy('ticket_parts_used.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    owed.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
  ]);
  return { items: rows, total: toCount(count), limit: page.limit, offset: page.offset };
}

/** Defective units received back, the latest first, optionally for one ticket. */
export async function receivedReturns(
  db: ServiceDatabase,
  filter: PageRequest & { ticketId?: string | undefined },
): Promise<Page<PartReturnReceived>> {
  let received = db
    .selectFrom('part_returns')
    .innerJoin('parts', 'parts.sku', 'part_returns.sku')
    .innerJoin(jobs(db), 'job.ticketId', 'part_returns.ticket_id')
    .innerJoin('stock_locations', 'stock_locations.id', 'part_returns.location_id');
  if (filter.ticketId !== undefined)
    received = received.where('part_returns.ticket_id', '=', filter.ticketId);
  const [rows, count] = await Promise.all([
    received
      .select([
        'part_returns.id as id',
        'part_returns.sku as sku',
        'part_returns.serial as serial',
        'part_returns.location_id as locationId',
        'part_returns.received_at as receivedAt',
        'stock_locations.name as locationName',
        ...jobColumns,
      ])
      .orderBy('part_returns.received_at', 'desc')
      .orderBy('part_returns.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    received.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
  ]);
  return { items: rows, total: toCount(count), limit: filter.limit, offset: filter.offset };
}
