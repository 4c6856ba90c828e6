import { driveMinutes, type Position, roadKm, type TechnicianVisit } from '@aftercare/core';

const MINUTE_MS = 60_000;

/** Whole minutes to drive between two places; 0 when either is unknown (nobody can say). */
export function driveMinutesBetween(a: Position | null, b: Position | null): number {
  return a && b ? Math.ceil(driveMinutes(roadKm(a, b))) : 0;
}

/** A booked visit the new one collides with, and the drive between their places. */
export interface VisitClash {
  visit: TechnicianVisit;
  driveMinutes: number;
}

/**
 * The booked visit a new one would collide with, or null. A technician is at one place at a time and
 * needs the drive between places: a visit clashes when it overlaps the new one, or, elsewhere, leaves
 * less than the drive between them (the dispatch board draws the day with the same drives and one job
 * after another). Visits at the same site may follow each other with no gap: one trip that sees to
 * several devices. Where a position is unknown, only an overlap counts.
 */
export function visitClash(
  booked: readonly TechnicianVisit[],
  visit: { start: number; end: number; siteId: string | null; position: Position | null; ticketId: string },
): VisitClash | null {
  const clashes = booked.flatMap((b) => {
    if (b.ticketId === visit.ticketId) return [];
    const sameSite = b.siteId !== null && b.siteId === visit.siteId;
    const drive = sameSite ? 0 : driveMinutesBetween(b.position, visit.position);
    const gap = drive * MINUTE_MS;
    return b.start < visit.end + gap && visit.start < b.end + gap ? [{ visit: b, driveMinutes: drive }] : [];
  });
  return clashes.sort((a, b) => a.visit.start - b.visit.start)[0] ?? null;
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
export function describeClash(
  clash: VisitClash,
  proposed: { start: number; end: number },
  who: string,
  timeZone: string,
): string {
  const { visit, driveMinutes } = clash;
  const where = visit.siteName === null ? '' : ` at ${visit.siteName}`;
  const booked = `${who} is booked ${describeVisitTime(visit, timeZone)} (${timeZone})${where} for "${visit.title}" (ticket ${visit.ticketId})`;
  const overlaps = visit.start < proposed.end && proposed.start < visit.end;
  if (overlaps || driveMinutes === 0)
    return `${booked}; pick a time that does not overlap it, or another technician`;
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const gap = driveMinutes * MINUTE_MS;
  const instead =
    visit.start >= proposed.end
      ? `end by ${time.format(visit.start - gap)}`
      : `start at ${time.format(visit.end + gap)} or later`;
  return `${booked}, a ${driveMinutes}-minute drive away; ${instead}, or pick another technician`;
}
