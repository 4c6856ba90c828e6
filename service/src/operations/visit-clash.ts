import { formatVisitTime, type TechnicianVisit } from '@aftercare/core';
import { MINUTE_MS } from '../automation/work.ts';

/** A booked visit a new one collides with (core's `visitClash`), and the drive between their places. */
export type VisitClash = { visit: TechnicianVisit; driveMinutes: number };

/** Why the visit cannot be booked, in words that say what to do instead. */
export function describeClash(
  clash: VisitClash,
  proposed: { start: number; end: number },
  who: string,
  timeZone: string,
): string {
  const { visit, driveMinutes } = clash;
  const where = visit.siteName === null ? '' : ` at ${visit.siteName}`;
  const booked = `${who} is booked ${formatVisitTime(visit, timeZone)} (${timeZone})${where} for "${visit.title}" (ticket ${visit.ticketId})`;
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
