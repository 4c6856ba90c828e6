import type { TechnicianVisit } from '@aftercare/core';

/**
 * The booked visit a new one would collide with, or null. A technician is at one site at a time, so
 * visits that overlap at different sites clash. Overlapping visits at the same site do not: they are
 * one trip that sees to several devices, as a planner books a customer's two machines together.
 * Where a site is unknown, nobody can say it is the same trip, so an overlap clashes.
 */
export function visitClash(
  booked: readonly TechnicianVisit[],
  visit: { start: number; end: number; siteId: string | null; ticketId: string },
): TechnicianVisit | null {
  const clashes = booked.filter(
    (b) =>
      b.ticketId !== visit.ticketId &&
      b.start < visit.end &&
      visit.start < b.end &&
      (b.siteId === null || b.siteId !== visit.siteId),
  );
  return clashes.sort((a, b) => a.start - b.start)[0] ?? null;
}

/** "Mon 30 Nov, 10:00–11:30": a visit as its technician reads it, on their own clock. */
export function describeVisitTime(visit: { start: number; end: number }, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone,
  });
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  return `${day.format(visit.start)}, ${time.format(visit.start)}–${time.format(visit.end)}`;
}

/** Why the visit cannot be booked, in words that say what to do instead. */
export function describeClash(clash: TechnicianVisit, who: string, timeZone: string): string {
  const where = clash.siteName === null ? '' : ` at ${clash.siteName}`;
  return (
    `${who} is booked ${describeVisitTime(clash, timeZone)} (${timeZone})${where} for "${clash.title}" ` +
    `(ticket ${clash.ticketId}); pick a time that does not overlap it, or another technician`
  );
}
