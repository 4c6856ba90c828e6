import { minuteOfDay, timeOfDay, utcOffsetMinutes } from '@aftercare/core';
import { DAY_MS, localDayStart, MINUTE_MS } from '../automation/work.ts';

/**
 * Technicians keep their working hours in their own IANA time zone ("09:00"–"18:00", ISO weekdays);
 * the planners count minutes from a local midnight. These helpers translate between the two.
 */

/**
 * A zone's offset from UTC at an instant, and wall-clock times as minutes after midnight and back:
 * core's, so that the console's forms read the clock as the planners do.
 */
export { minuteOfDay, timeOfDay, utcOffsetMinutes };

/** ISO weekday (1 = Monday … 7 = Sunday) of the local day starting at `dayStart` in a zone `utcOffsetMin` ahead. */
export function isoWeekday(dayStart: number, utcOffsetMin: number): number {
  const weekday = new Date(dayStart + utcOffsetMin * MINUTE_MS + DAY_MS / 2).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** The local midnights, in a zone `utcOffsetMin` ahead of UTC, of every day that [from, to] touches. */
export function daysBetween(from: number, to: number, utcOffsetMin: number): number[] {
  const days: number[] = [];
  for (let d = localDayStart(from, utcOffsetMin); d <= to; d += DAY_MS) days.push(d);
  return days;
}
