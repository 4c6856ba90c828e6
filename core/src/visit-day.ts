import { utcOffsetMinutes } from './time-zone.ts';
import { wallTimeToEpoch } from './wall-time.ts';

/**
 * The local midnight that begins a booked visit's day in `timeZone`: work on the visit may start from
 * then, not before (the service refuses an earlier start; the technician's phone offers none).
 */
export function visitDayStart(visitStart: number, timeZone: string): number {
  const wallDate = new Date(visitStart + utcOffsetMinutes(timeZone, visitStart) * 60_000)
    .toISOString()
    .slice(0, 10);
  return wallTimeToEpoch(wallDate, 0, timeZone);
}
