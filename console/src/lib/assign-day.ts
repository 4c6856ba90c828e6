import {
  minuteOfDay,
  type PlacedVisit,
  type TechnicianVisit,
  visitClash,
  type WorkingHours,
  wallTimeToEpoch,
  withinWorkingHours,
} from '@aftercare/core';

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

/** The choice as epoch ms. */
export function choiceSpan(choice: Choice): { start: number; end: number } {
  const start = wallTimeToEpoch(choice.date, minuteOfDay(choice.time), choice.zone);
  return { start, end: start + choice.minutes * MINUTE_MS };
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
      if (!hours || withinWorkingHours(hours, span)) return start;
      start += QUARTER_MS;
      continue;
    }
    const after = clash.visit.end + clash.driveMinutes * MINUTE_MS;
    start = Math.max(start + QUARTER_MS, Math.ceil(after / QUARTER_MS) * QUARTER_MS);
  }
  return null;
}
