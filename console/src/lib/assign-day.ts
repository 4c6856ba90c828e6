import { driveMinutes, type Position, roadKm, utcOffsetMinutes } from '@aftercare/core';
import { wallTimeToEpoch } from './wall-time.ts';

/** A booked visit of the technician, as the assign form lists it (lib/server/technician-day.ts). */
export interface DayVisit {
  ticketId: string;
  title: string;
  start: number;
  end: number;
  siteId: string | null;
  siteName: string | null;
  position: Position | null;
}

/** When a technician works: ISO weekdays, "HH:MM" on their own clock, in their zone. */
export interface Hours {
  days: number[];
  start: string;
  end: string;
  timezone: string;
}

/** The job being booked: its own booking is not in its way; visits at its site need no drive. */
export interface Job {
  ticketId: string;
  siteId: string | null;
  position: Position | null;
}

/** What the form says: a date and a start time on the console's clock, and how long. */
export interface Choice {
  date: string;
  time: string;
  minutes: number;
  /** The console's zone, in which the date and time are read. */
  zone: string;
}

const MINUTE_MS = 60_000;
const QUARTER_MS = 15 * MINUTE_MS;

/** Whole minutes to drive between two places; 0 when either is unknown (the service's rule too). */
export function driveBetween(a: Position | null, b: Position | null): number {
  return a && b ? Math.ceil(driveMinutes(roadKm(a, b))) : 0;
}

const minuteOf = (time: string) => {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return h * 60 + m;
};

/** The choice as epoch ms. */
export function choiceSpan(choice: Choice): { start: number; end: number } {
  const start = wallTimeToEpoch(choice.date, minuteOf(choice.time), choice.zone);
  return { start, end: start + choice.minutes * MINUTE_MS };
}

/**
 * The booked visit a visit of [start, end) collides with, as the service will judge it: one that
 * overlaps it, or, at another place, leaves less than the drive between the two. Null when none.
 */
export function clashAt(
  visits: readonly DayVisit[],
  span: { start: number; end: number },
  job: Job,
): { visit: DayVisit; driveMinutes: number } | null {
  for (const v of [...visits].sort((a, b) => a.start - b.start)) {
    if (v.ticketId === job.ticketId) continue;
    const sameSite = v.siteId !== null && v.siteId === job.siteId;
    const drive = sameSite ? 0 : driveBetween(v.position, job.position);
    if (v.start < span.end + drive * MINUTE_MS && span.start < v.end + drive * MINUTE_MS)
      return { visit: v, driveMinutes: drive };
  }
  return null;
}

/** The form's choice against the technician's booked visits (`clashAt`). */
export function formClash(
  visits: readonly DayVisit[],
  choice: Choice,
  job: Job,
): { visit: DayVisit; driveMinutes: number } | null {
  return clashAt(visits, choiceSpan(choice), job);
}

/** Whether [start, end) lies inside one of the technician's working days, on their own clock. */
export function withinHours(hours: Hours, span: { start: number; end: number }): boolean {
  const offset = utcOffsetMinutes(hours.timezone, span.start) * MINUTE_MS;
  const local = new Date(span.start + offset);
  const weekday = local.getUTCDay() || 7;
  const from = local.getUTCHours() * 60 + local.getUTCMinutes();
  const to = from + (span.end - span.start) / MINUTE_MS;
  return hours.days.includes(weekday) && from >= minuteOf(hours.start) && to <= minuteOf(hours.end);
}

/**
 * The first start on the chosen date, from the chosen time on and on a quarter hour (the form's
 * step), at which a visit of the chosen length clashes with nothing (`clashAt`: overlaps and drives)
 * and, when the technician's hours are known, lies inside them. What the form offers instead of a
 * time it flags; null when that day has no such start left.
 */
export function firstFreeStart(
  visits: readonly DayVisit[],
  choice: Choice,
  job: Job,
  hours?: Hours,
): number | null {
  const length = choice.minutes * MINUTE_MS;
  const dayEnd = wallTimeToEpoch(choice.date, 24 * 60, choice.zone);
  let start = Math.ceil(choiceSpan(choice).start / QUARTER_MS) * QUARTER_MS;
  while (start + length <= dayEnd) {
    const span = { start, end: start + length };
    const clash = clashAt(visits, span, job);
    if (clash === null) {
      if (!hours || withinHours(hours, span)) return start;
      start += QUARTER_MS;
      continue;
    }
    const after = clash.visit.end + clash.driveMinutes * MINUTE_MS;
    start = Math.max(start + QUARTER_MS, Math.ceil(after / QUARTER_MS) * QUARTER_MS);
  }
  return null;
}
