import { describeWorkingDays, describeWorkingHours, type WorkingHours, weekdayNames } from '@aftercare/core';
import { localDayStart, MINUTE_MS } from '../automation/work.ts';
import { isoWeekday, minuteOfDay, timeOfDay, utcOffsetMinutes } from './local-time.ts';

export { describeWorkingDays };

/**
 * Why a visit falls outside a technician's working hours, in words a planner can act on, or null
 * when it lies within one working day's hours. The hours are read in the technician's own zone on the
 * visit's day, so a daylight-saving change moves them with the local clock. A visit that runs past
 * midnight is outside, whatever the hours: nobody's working day spans two dates here.
 */
export function workingHoursMiss(
  hours: WorkingHours,
  visit: { start: number; end: number },
  who: string,
): string | null {
  const startOffset = utcOffsetMinutes(hours.timezone, visit.start);
  const endOffset = utcOffsetMinutes(hours.timezone, visit.end);
  const day = localDayStart(visit.start, startOffset);
  const localStart = Math.round((visit.start - day) / MINUTE_MS);
  const localEnd = Math.round((visit.end + (endOffset - startOffset) * MINUTE_MS - day) / MINUTE_MS);
  const weekday = isoWeekday(day, startOffset);
  const span = `${hours.start}–${hours.end}`;
  const zone = hours.timezone;
  if (!hours.days.includes(weekday))
    return `${weekdayNames[weekday - 1]} is not one of ${who}'s working days (${describeWorkingHours(hours)})`;
  if (localEnd > 24 * 60) return `the visit runs past midnight; ${who} works ${span} (${zone})`;
  if (localStart < minuteOfDay(hours.start) || localEnd > minuteOfDay(hours.end))
    return `${timeOfDay(localStart)}–${timeOfDay(localEnd)} falls outside ${who}'s hours, ${span} (${zone})`;
  return null;
}
