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

/**
 * Whether a booked visit's day has come on `timeZone`'s calendar (today, or a day gone by): the
 * technician's "Today", and the day from which the service lets work on it start.
 */
export function visitDayHasCome(visitStart: number, timeZone: string, now: number): boolean {
  return now >= visitDayStart(visitStart, timeZone);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  formats: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    formats.set(timeZone, format);
  }
  return format;
}

/** "Tue 1 Dec": a visit's day as the person doing it reads it, on their own calendar. */
export function formatVisitDay(ts: number, timeZone: string): string {
  return cached(dayFormats, timeZone, { weekday: 'short', day: 'numeric', month: 'short' }).format(ts);
}

/** "Tue 1 Dec, 10:00–11:30": a visit on its technician's own clock (service refusals, console hints). */
export function formatVisitTime(visit: { start: number; end: number }, timeZone: string): string {
  const clock = cached(clockFormats, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${formatVisitDay(visit.start, timeZone)}, ${clock.format(visit.start)}–${clock.format(visit.end)}`;
}
