import {
  type Appointment,
  ConflictError,
  type Position,
  type TechnicianVisit,
  visitClash,
} from '@aftercare/core';
import { describeClash } from '../operations/visit-clash.ts';
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
      'devices.lat as deviceLat',
      'devices.lon as deviceLon',
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
      : await db
          .selectFrom('sites')
          .select(['id', 'name', 'lat', 'lon'])
          .where('id', 'in', siteIds)
          .execute();
  const siteById = new Map(sites.map((s) => [s.id, s]));
  return rows.flatMap((r) => {
    if (r.start === null || r.end === null) return [];
    const siteId = r.ticketSiteId ?? r.deviceSiteId;
    const site = siteId === null ? undefined : siteById.get(siteId);
    return [
      {
        ticketId: r.id,
        title: r.title,
        status: r.status,
        start: r.start,
        end: r.end,
        siteId,
        siteName: site?.name ?? null,
        position: positionOf(site, { lat: r.deviceLat, lon: r.deviceLon }),
      },
    ];
  });
}

/** The site's position, else the device's own; null when neither is known. */
function positionOf(
  site: { lat: number; lon: number } | undefined,
  device: { lat: number | null; lon: number | null },
): Position | null {
  if (site) return { lat: site.lat, lon: site.lon };
  return device.lat !== null && device.lon !== null ? { lat: device.lat, lon: device.lon } : null;
}

/**
 * Refuses (409) to book a technician into a visit that overlaps another of theirs, or leaves less
 * than the drive to or from one elsewhere: nobody is in two places at once. Checked in the booking's
 * own transaction, so two planners booking the same hour cannot both pass.
 */
export async function assertNoClash(
  db: Db,
  ticket: TicketRow,
  technicianId: string,
  appointment: Appointment,
): Promise<void> {
  // Visits near enough in time that the drive between them could matter: no drive in a metro is longer.
  const reach = 4 * 3_600_000;
  const booked = await bookedVisits(db, technicianId, {
    from: appointment.start - reach,
    to: appointment.end + reach,
  });
  if (booked.length === 0) return;
  const device = await db
    .selectFrom('devices')
    .select(['site_id', 'lat', 'lon'])
    .where('id', '=', ticket.device_id)
    .executeTakeFirst();
  const siteId = ticket.site_id ?? device?.site_id ?? null;
  const site =
    siteId === null
      ? undefined
      : await db.selectFrom('sites').select(['lat', 'lon']).where('id', '=', siteId).executeTakeFirst();
  const clash = visitClash(booked, {
    ...appointment,
    ticketId: ticket.id,
    siteId,
    position: positionOf(site, { lat: device?.lat ?? null, lon: device?.lon ?? null }),
  });
  if (clash === null) return;
  const technician = await db
    .selectFrom('technicians')
    .select(['name', 'timezone'])
    .where('id', '=', technicianId)
    .executeTakeFirstOrThrow();
  throw new ConflictError(
    `appointment: ${describeClash(clash, appointment, technician.name, technician.timezone)}`,
  );
}
