import { utcOffsetMinutes } from './time-zone.ts';

/**
 * A wall-clock time in a named time zone → epoch ms, with nothing but Intl. The dispatch board's
 * times are the technicians' clock (the zone GET /api/dispatch/day names), not the server's or the
 * browser's, and a visit's day begins at its technician's midnight; and on a day the zone changes its offset (DST), "minutes after midnight" is not a
 * fixed number of milliseconds after the day's start, so each time is resolved at its own instant.
 */

const DAY_MS = 86_400_000;

/**
 * Epoch ms of `minutes` after midnight on `date` (YYYY-MM-DD) on `timeZone`'s clock. A time the
 * clock skips (02:30 when it jumps from 02:00 to 03:00) counts with the offset before the jump, so
 * it lands an hour later (03:30); a time it shows twice (02:30 when it falls back) is the first one.
 * This is what Temporal calls 'compatible' and what a person setting an alarm expects.
 */
export function wallTimeToEpoch(date: string, minutes: number, timeZone: string): number {
  const asUtc = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  // A zone changes its offset at most once within a day either side, so these are the candidates.
  const before = asUtc - utcOffsetMinutes(timeZone, asUtc - DAY_MS) * 60_000;
  const after = asUtc - utcOffsetMinutes(timeZone, asUtc + DAY_MS) * 60_000;
  const shows = (at: number) => at + utcOffsetMinutes(timeZone, at) * 60_000 === asUtc;
  if (shows(before) && shows(after)) return Math.min(before, after);
  if (shows(after)) return after;
  return before;
}
