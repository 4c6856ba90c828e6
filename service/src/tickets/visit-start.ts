import { formatVisitTime, visitDayHasCome } from '@aftercare/core';
import type { Db } from './ticket-writes.ts';

/**
 * Why work booked for a later day cannot be started at `now`, or null when it may. Work starts on the
 * appointment's day at the earliest, by the technician's own calendar: arriving early on that day is
 * fine, arriving a day early means the customer, the van's parts and the rest of the route were
 * planned for something else, so the office re-books the visit first.
 */
export function earlyStartRefusal(
  appointment: { start: number; end: number },
  now: number,
  timeZone: string,
): string | null {
  if (visitDayHasCome(appointment.start, timeZone, now)) return null;
  return `the visit is booked for ${formatVisitTime(appointment, timeZone)} (${timeZone}): work on it starts on that day; to do it today, re-book the appointment first`;
}

/** The same, for a ticket in the database: its appointment read in its technician's zone. */
export async function startRefusal(
  db: Db,
  ticket: { technician_id: string | null; appointment_start: number | null; appointment_end: number | null },
  now: number,
): Promise<string | null> {
  if (ticket.technician_id === null || ticket.appointment_start === null || ticket.appointment_end === null)
    return null;
  const technician = await db
    .selectFrom('technicians')
    .select('timezone')
    .where('id', '=', ticket.technician_id)
    .executeTakeFirst();
  if (!technician) return null;
  return earlyStartRefusal(
    { start: ticket.appointment_start, end: ticket.appointment_end },
    now,
    technician.timezone,
  );
}
