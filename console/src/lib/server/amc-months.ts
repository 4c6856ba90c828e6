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
 * not the first month shown); one still waiting for a time counts in the middle of its window, or now
 * when that middle has passed (it is owed now). A missed visit counts in the month its window closed
 * without it, booked or not: it is owed no more, and the month it was lost in is where a planner
 * looks for it. The month depends on the visit and the clock only, never on which months are shown,
 * so paging the calendar never counts a visit twice.
 */
export function visitMonth(
  v: MonthVisit,
  calendar: { timezone: string; now: number },
  months: readonly string[],
): string | null {
  const middle = Math.round((v.dueFrom + v.dueTo) / 2);
  const at =
    v.status === 'missed'
      ? v.dueTo - 1
      : (v.appointmentStart ?? (v.status === 'done' ? middle : Math.max(middle, calendar.now)));
  const key = localDate(at, calendar.timezone).slice(0, 7);
  return months.includes(key) ? key : null;
}
