import { utcOffsetMinutes } from './time-zone.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The local midnight that begins a booked visit's day in `timeZone`: work on the visit may start from
 * then, not before (the service refuses an earlier start; the technician's phone offers none).
 */
export function visitDayStart(visitStart: number, timeZone: string): number {
  const offsetAt = (at: number) => utcOffsetMinutes(timeZone, at) * MINUTE_MS;
  // The date on the wall at the visit, then the instant that wall reads its midnight: the offset at
  // midnight may differ from the visit's when the clocks changed in between.
  const wallMidnight = Math.floor((visitStart + offsetAt(visitStart)) / DAY_MS) * DAY_MS;
  const guess = wallMidnight - offsetAt(visitStart);
  return wallMidnight - offsetAt(guess);
}
