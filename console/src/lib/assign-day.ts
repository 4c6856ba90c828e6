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

/**
 * The first start ("HH:MM") on the chosen date, from the chosen time on, at which a visit of the
 * chosen length overlaps none of the booked visits the service would hold against it (`formClash`):
 * what the form offers instead of a time it flags. Null when no such start is left that day.
 */
export function firstFreeTime(
  visits: readonly DayVisit[],
  choice: { date: string; time: string; minutes: number },
  job: { ticketId: string; siteId: string | null },
): string | null {
  let time = choice.time;
  for (let tries = 0; tries <= visits.length; tries++) {
    const clash = formClash(visits, { ...choice, time }, job);
    if (clash === null) return time;
    const after = wallKey(clash.end);
    if (!after.startsWith(`${choice.date}T`)) return null;
    time = after.slice(11);
  }
  return null;
}
