import { describe, expect, it } from 'vitest';
import { visitDayStart } from './visit-day.ts';

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
