import { describe, expect, it } from 'vitest';
import { earlyStartRefusal } from './visit-start.ts';

const hour = 3_600_000;

describe('when work on a booked visit may start', () => {
  // Tuesday 1 Dec 2026, 10:00–11:00 in Chennai (04:30 UTC).
  const visit = { start: Date.UTC(2026, 11, 1, 4, 30), end: Date.UTC(2026, 11, 1, 5, 30) };
  const midnightInChennai = Date.UTC(2026, 10, 30, 18, 30);

  it('is refused before the visit’s day, by the technician’s calendar, naming the booking', () => {
    expect(earlyStartRefusal(visit, midnightInChennai - 1, 'Asia/Kolkata')).toBe(
      'the visit is booked for Tue 1 Dec, 10:00–11:00 (Asia/Kolkata): work on it starts on that day; to do it today, re-book the appointment first',
    );
    expect(earlyStartRefusal(visit, visit.start - 3 * 24 * hour, 'Asia/Kolkata')).not.toBeNull();
  });

  it('is allowed from the visit’s local midnight, before the booked hour, and any time after it', () => {
    expect(earlyStartRefusal(visit, midnightInChennai, 'Asia/Kolkata')).toBeNull();
    expect(earlyStartRefusal(visit, visit.start - hour, 'Asia/Kolkata')).toBeNull();
    expect(earlyStartRefusal(visit, visit.end + 30 * 24 * hour, 'Asia/Kolkata')).toBeNull();
  });

  it('reads the day in the technician’s zone: the same instant is a day early in one and the day itself in another', () => {
    // 23:00 UTC on Monday is Tuesday 04:30 in Chennai but still Monday in London.
    const mondayNightUtc = Date.UTC(2026, 10, 30, 23, 0);
    const londonVisit = { start: Date.UTC(2026, 11, 1, 10, 0), end: Date.UTC(2026, 11, 1, 11, 0) };
    expect(earlyStartRefusal(londonVisit, mondayNightUtc, 'Europe/London')).toMatch(
      /^the visit is booked for Tue 1 Dec, 10:00–11:00 \(Europe\/London\)/,
    );
    expect(earlyStartRefusal(londonVisit, mondayNightUtc, 'Asia/Kolkata')).toBeNull();
  });
});
