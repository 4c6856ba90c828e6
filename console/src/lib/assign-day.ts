import { wallClockDate } from './format.ts';

/** A booked visit of the technician, as the assign form lists it (lib/server/technician-day.ts). */
export interface DayVisit {
  ticketId: string;
  title: string;
  start: number;
  end: number;
  siteId: string | null;
  siteName: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-30T09:30": an instant on the console's clock, in a form that compares as text. */
export function wallKey(at: number): string {
  const d = wallClockDate(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The booked visit the form's choice (a date, a start time and minutes, on the console's clock)
 * overlaps at another site, or null: the service refuses such a booking, and the form says so before
 * it is sent. Visits at the job's own site may overlap (one trip), and the job's own booking is not
 * in its way. A visit running past midnight counts to the end of the day.
 */
export function formClash(
  visits: readonly DayVisit[],
  choice: { date: string; time: string; minutes: number },
  job: { ticketId: string; siteId: string | null },
): DayVisit | null {
  const [h = 0, m = 0] = choice.time.split(':').map(Number);
  const endMinute = Math.min(h * 60 + m + choice.minutes, 24 * 60);
  const start = `${choice.date}T${choice.time}`;
  const end = `${choice.date}T${pad(Math.floor(endMinute / 60))}:${pad(endMinute % 60)}`;
  return (
    visits.find(
      (v) =>
        v.ticketId !== job.ticketId &&
        (v.siteId === null || v.siteId !== job.siteId) &&
        wallKey(v.start) < end &&
        start < wallKey(v.end),
    ) ?? null
  );
}
