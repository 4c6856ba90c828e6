import { describe, expect, it } from 'vitest';
import { formatVisitDay, formatVisitTime, visitDayHasCome, visitDayStart } from './visit-day.ts';

describe('the day a booked visit begins on', () => {
  it('is the local midnight before the visit, in the zone given', () => {
    // Tuesday 1 Dec 2026 10:00 in Chennai is 04:30 UTC; its day began at 18:30 UTC on Monday.
    expect(visitDayStart(Date.UTC(2026, 11, 1, 4, 30), 'Asia/Kolkata')).toBe(Date.UTC(2026, 10, 30, 18, 30));
    expect(visitDayStart(Date.UTC(2026, 11, 1, 4, 30), 'UTC')).toBe(Date.UTC(2026, 11, 1));
    // The same instant is still Monday evening in New York.
    expect(visitDayStart(Date.UTC(2026, 11, 1, 4, 30), 'America/New_York')).toBe(Date.UTC(2026, 10, 30, 5));
  });

  it('follows a daylight-saving change: a visit the morning after the clocks go forward', () => {
    // Berlin went from UTC+1 to UTC+2 at 01:00 UTC on Sunday 29 Mar 2026; a 10:00 visit that day
    // (08:00 UTC) belongs to the day that began at 23:00 UTC on Saturday, still in winter time.
    expect(visitDayStart(Date.UTC(2026, 2, 29, 8, 0), 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 23, 0));
    // And back: on Sunday 25 Oct 2026 the day began at 22:00 UTC on Saturday, in summer time.
    expect(visitDayStart(Date.UTC(2026, 9, 25, 9, 0), 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 24, 22, 0));
  });
});

describe('whether a visit’s day has come', () => {
  // Tuesday 1 Dec 2026, 10:00 in Chennai (04:30 UTC).
  const visit = Date.UTC(2026, 11, 1, 4, 30);

  it('turns at the local midnight of the visit’s day and stays so afterwards', () => {
    expect(visitDayHasCome(visit, 'Asia/Kolkata', Date.UTC(2026, 10, 30, 18, 29, 59, 999))).toBe(false);
    expect(visitDayHasCome(visit, 'Asia/Kolkata', Date.UTC(2026, 10, 30, 18, 30))).toBe(true);
    expect(visitDayHasCome(visit, 'Asia/Kolkata', visit + 3 * 86_400_000)).toBe(true);
  });

  it('reads the calendar of the zone given: Monday 20:00 UTC is Tuesday in Chennai, Monday in New York', () => {
    const now = Date.UTC(2026, 10, 30, 20, 0);
    expect(visitDayHasCome(visit, 'Asia/Kolkata', now)).toBe(true);
    // In New York the visit falls on Monday 23:30, so its day has come there too…
    expect(visitDayHasCome(visit, 'America/New_York', now)).toBe(true);
    // …while a visit at noon UTC on Tuesday is Tuesday morning in New York, a day still to come.
    expect(visitDayHasCome(Date.UTC(2026, 11, 1, 12), 'America/New_York', now)).toBe(false);
    expect(visitDayHasCome(Date.UTC(2026, 11, 1, 12), 'Asia/Kolkata', now)).toBe(true);
  });
});

describe('a visit’s day and time in words', () => {
  const visit = { start: Date.UTC(2026, 11, 1, 4, 30), end: Date.UTC(2026, 11, 1, 6, 0) };

  it('names the day on the zone’s calendar', () => {
    expect(formatVisitDay(visit.start, 'Asia/Kolkata')).toBe('Tue 1 Dec');
    expect(formatVisitDay(visit.start, 'America/New_York')).toBe('Mon 30 Nov');
  });

  it('gives the day and the hours on the zone’s 24-hour clock', () => {
    expect(formatVisitTime(visit, 'Asia/Kolkata')).toBe('Tue 1 Dec, 10:00–11:30');
    expect(formatVisitTime(visit, 'UTC')).toBe('Tue 1 Dec, 04:30–06:00');
  });
});
