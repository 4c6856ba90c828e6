import type { WorkingHours } from './service/partner.schema.ts';
import { utcOffsetMinutes } from './time-zone.ts';
import { describeWorkingHours, weekdayNames } from './working-days.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** "09:30" → 570: a wall-clock time as minutes after midnight. */
export function minuteOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** 570 → "09:30". */
export function timeOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/**
 * Why a visit falls outside a technician's working hours, in words a planner can act on, or null
 * when it lies within one working day's hours. The hours are read in the technician's own zone on the
 * visit's day, so a daylight-saving change moves them with the local clock. A visit that runs past
 * midnight is outside, whatever the hours: nobody's working day spans two dates here. The service's
 * refusal and the console's booking form both ask this, so that they cannot disagree.
 */
export function workingHoursMiss(
  hours: WorkingHours,
  visit: { start: number; end: number },
  who: string,
): string | null {
  const startOffset = utcOffsetMinutes(hours.timezone, visit.start);
  const endOffset = utcOffsetMinutes(hours.timezone, visit.end);
  // Minutes on the wall clock, counted from the local midnight before the visit.
  const wallStart = visit.start + startOffset * MINUTE_MS;
  const wallDay = Math.floor(wallStart / DAY_MS) * DAY_MS;
  const localStart = Math.round((wallStart - wallDay) / MINUTE_MS);
  const localEnd = Math.round((visit.end + endOffset * MINUTE_MS - wallDay) / MINUTE_MS);
  const weekday = new Date(wallDay).getUTCDay() || 7;
  const span = `${hours.start}–${hours.end}`;
  const zone = hours.timezone;
  if (!hours.days.includes(weekday))
    return `${weekdayNames[weekday - 1]} is not one of ${who}'s working days (${describeWorkingHours(hours)})`;
  if (localEnd > 24 * 60) return `the visit runs past midnight; ${who} works ${span} (${zone})`;
  if (localStart < minuteOfDay(hours.start) || localEnd > minuteOfDay(hours.end))
    return `${timeOfDay(localStart)}–${timeOfDay(localEnd)} falls outside ${who}'s hours, ${span} (${zone})`;
  return null;
}

/** Whether a visit lies inside one of the technician's working days, on their own clock. */
export function withinWorkingHours(hours: WorkingHours, visit: { start: number; end: number }): boolean {
  return workingHoursMiss(hours, visit, '') === null;
}
