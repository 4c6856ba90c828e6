import { type Appointment, ConflictError, type TechnicianVisit } from '@aftercare/core';
import { describeClash, visitClash } from '../operations/visit-clash.ts';
import type { TicketRow } from './ticket-rows.ts';
import type { Db } from './ticket-writes.ts';

/** Statuses in which a job holds its technician's time: booked, on the way, or being done. */
const bookedStatuses = ['scheduled', 'dispatched', 'on_site'] as const;

/**
 * A technician's booked visits that overlap [from, to), earliest first, each with its site (the
 * ticket's own, else its device's) so that a planner sees where the technician will be.
 */
export async function bookedVisits(
  db: Db,
  technicianId: string,
  span: { from: number; to: number },
): Promise<TechnicianVisit[]> {
  const rows = await db
    .selectFrom('tickets')
    .leftJoin('devices', 'devices.id', 'tickets.device_id')
    .select([
      'tickets.id as id',
      'tickets.title as title',
      'tickets.status as status',
      'tickets.appointment_start as start',
      'tickets.appointment_end as end',
      'tickets.site_id as ticketSiteId',
      'devices.site_id as deviceSiteId',
    ])
    .where('tickets.technician_id', '=', technicianId)
    .where('tickets.status', 'in', bookedStatuses)
    .where('tickets.appointment_start', '<', span.to)
    .where('tickets.appointment_end', '>', span.from)
    .orderBy('tickets.appointment_start')
    .orderBy('tickets.id')
    .execute();
  const siteIds = [...new Set(rows.map((r) => r.ticketSiteId ?? r.deviceSiteId).filter((id) => id !== null))];
  const sites =
    siteIds.length === 0
      ? []
      : await db.selectFrom('sites').select(['id', 'name']).where('id', 'in', siteIds).execute();
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  return rows.flatMap((r) => {
    if (r.start === null || r.end === null) return [];
    const siteId = r.ticketSiteId ?? r.deviceSiteId;
    return [
      {
        ticketId: r.id,
        title: r.title,
        status: r.status,
        start: r.start,
        end: r.end,
        siteId,
        siteName: siteId === null ? null : (siteNames.get(siteId) ?? null),
      },
    ];
  });
}

/**
 * Refuses (409) to book a technician into a visit that overlaps another of theirs at a different
 * site: nobody is at two customers at once. Checked in the booking's own transaction, so two
 * planners booking the same hour cannot both pass.
 */
export async function assertNoClash(
  db: Db,
  ticket: TicketRow,
  technicianId: string,
  appointment: Appointment,
): Promise<void> {
  const booked = await bookedVisits(db, technicianId, { from: appointment.start, to: appointment.end });
  if (booked.length === 0) return;
  const device = await db
    .selectFrom('devices')
    .select('site_id')
    .where('id', '=', ticket.device_id)
    .executeTakeFirst();
  const clash = visitClash(booked, {
    ...appointment,
    ticketId: ticket.id,
    siteId: ticket.site_id ?? device?.site_id ?? null,
  });
  if (clash === null) return;
  const technician = await db
    .selectFrom('technicians')
    .select(['name', 'timezone'])
    .where('id', '=', technicianId)
    .executeTakeFirstOrThrow();
  throw new ConflictError(`appointment: ${describeClash(clash, technician.name, technician.timezone)}`);
}
