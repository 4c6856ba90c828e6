import type { WorkingHours } from '@aftercare/core';
import { localDayStart, MINUTE_MS } from '../automation/work.ts';
import { isoWeekday, minuteOfDay, timeOfDay, utcOffsetMinutes } from './local-time.ts';

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Mon–Sat, or Mon, Wed, Fri: how a planner reads a week. */
export function describeWorkingDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const short = (d: number) => weekdayNames[d - 1]!.slice(0, 3);
  const first = sorted[0];
  const last = sorted.at(-1);
  const consecutive = first !== undefined && last !== undefined && last - first === sorted.length - 1;
  if (consecutive && sorted.length > 2) return `${short(first)}–${short(last)}`;
  return sorted.map(short).join(', ');
}

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
    return `${weekdayNames[weekday - 1]} is not one of ${who}'s working days (${describeWorkingDays(hours.days)}, ${span} ${zone})`;
  if (localEnd > 24 * 60) return `the visit runs past midnight; ${who} works ${span} (${zone})`;
  if (localStart < minuteOfDay(hours.start) || localEnd > minuteOfDay(hours.end))
    return `${timeOfDay(localStart)}–${timeOfDay(localEnd)} falls outside ${who}'s hours, ${span} (${zone})`;
  return null;
}
