import {
  type PlacedVisit,
  type TechnicianVisit,
  utcOffsetMinutes,
  visitClash,
  type WorkingHours,
} from '@aftercare/core';
import { wallTimeToEpoch } from './wall-time.ts';

/** The job being booked: its own booking is not in its way; visits at its site need no drive. */
export type Job = Omit<PlacedVisit, 'start' | 'end'>;

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

const minuteOf = (time: string) => {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return h * 60 + m;
};

/** The choice as epoch ms. */
export function choiceSpan(choice: Choice): { start: number; end: number } {
  const start = wallTimeToEpoch(choice.date, minuteOf(choice.time), choice.zone);
  return { start, end: start + choice.minutes * MINUTE_MS };
}

/** Whether [start, end) lies inside one of the technician's working days, on their own clock. */
export function withinHours(hours: WorkingHours, span: { start: number; end: number }): boolean {
  const offset = utcOffsetMinutes(hours.timezone, span.start) * MINUTE_MS;
  const local = new Date(span.start + offset);
  const weekday = local.getUTCDay() || 7;
  const from = local.getUTCHours() * 60 + local.getUTCMinutes();
  const to = from + (span.end - span.start) / MINUTE_MS;
  return hours.days.includes(weekday) && from >= minuteOf(hours.start) && to <= minuteOf(hours.end);
}

/**
 * The first start on the chosen date, from the chosen time on and on a quarter hour (the form's
 * step), at which a visit of the chosen length clashes with nothing (core's `visitClash`: overlaps and drives)
 * and, when the technician's hours are known, lies inside them. What the form offers instead of a
 * time it flags; null when that day has no such start left.
 */
export function firstFreeStart(
  visits: readonly TechnicianVisit[],
  choice: Choice,
  job: Job,
  hours?: WorkingHours,
): number | null {
  const length = choice.minutes * MINUTE_MS;
  const dayEnd = wallTimeToEpoch(choice.date, 24 * 60, choice.zone);
  let start = Math.ceil(choiceSpan(choice).start / QUARTER_MS) * QUARTER_MS;
  while (start + length <= dayEnd) {
    const span = { start, end: start + length };
    const clash = visitClash(visits, { ...job, ...span });
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
