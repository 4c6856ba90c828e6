import { localDate } from './planning.ts';

/**
 * The AMC page's months: which month of the calendar (YYYY-MM on the region's clock) a contract
 * visit counts in, if any of those shown.
 */

/** `month` (YYYY-MM) moved by `add` months. */
export function shiftMonth(month: string, add: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + add;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

export interface MonthVisit {
  dueFrom: number;
  dueTo: number;
  status: string;
  appointmentStart: number | null;
}

/**
 * The month a visit counts in, or null when that is none of `months`. A booked or done visit counts
 * in the month of its appointment, wherever that falls (a visit done on 28 September is September's,
 * not the first month shown); one still waiting for a time counts in the middle of its window, kept
 * inside the calendar's [from, to): it is due within the months shown, and that is where it is owed.
 */
export function visitMonth(
  v: MonthVisit,
  calendar: { from: number; to: number; timezone: string },
  months: readonly string[],
): string | null {
  const middle = Math.round((v.dueFrom + v.dueTo) / 2);
  const at =
    v.appointmentStart ??
    (v.status === 'done' ? middle : Math.min(Math.max(middle, calendar.from), calendar.to - 1));
  const key = localDate(at, calendar.timezone).slice(0, 7);
  return months.includes(key) ? key : null;
}
