import { describe, expect, it } from 'vitest';
import { endOfDayIn, wallTimeToEpoch } from './wall-clock.ts';

describe('wallTimeToEpoch', () => {
  it('is the instant the zone’s clock shows that date and time', () => {
    expect(wallTimeToEpoch('2026-11-27', 14 * 60 + 30, 'Asia/Kolkata')).toBe(
      Date.parse('2026-11-27T09:00:00Z'),
    );
    expect(wallTimeToEpoch('2026-11-27', 0, 'UTC')).toBe(Date.parse('2026-11-27T00:00:00Z'));
  });

  it('follows the zone’s own change, west of UTC too (New York, 8 March and 1 November 2026)', () => {
    expect(wallTimeToEpoch('2026-03-08', 60, 'America/New_York')).toBe(
      Date.parse('2026-03-08T01:00:00-05:00'),
    );
    expect(wallTimeToEpoch('2026-03-08', 14 * 60, 'America/New_York')).toBe(
      Date.parse('2026-03-08T14:00:00-04:00'),
    );
    expect(wallTimeToEpoch('2026-11-01', 14 * 60, 'America/New_York')).toBe(
      Date.parse('2026-11-01T14:00:00-05:00'),
    );
  });

  it('moves a skipped time an hour on, and takes the first of a time shown twice', () => {
    expect(wallTimeToEpoch('2026-03-08', 2 * 60 + 30, 'America/New_York')).toBe(
      Date.parse('2026-03-08T03:30:00-04:00'),
    );
    expect(wallTimeToEpoch('2026-11-01', 60 + 30, 'America/New_York')).toBe(
      Date.parse('2026-11-01T01:30:00-04:00'),
    );
  });
});

describe('endOfDayIn', () => {
  it("ends today at midnight on the display zone, not the server's (due today on the overview)", () => {
    // 21:30 UTC on 27 November is 03:00 on 28 November in India: today there ends at 18:30 UTC on the 28th.
    const now = Date.parse('2026-11-27T21:30:00Z');
    expect(endOfDayIn(now, 'Asia/Kolkata')).toBe(Date.parse('2026-11-28T18:30:00Z') - 1);
    expect(endOfDayIn(now, 'UTC')).toBe(Date.parse('2026-11-28T00:00:00Z') - 1);
    // Just before midnight in India is still the 27th there.
    expect(endOfDayIn(Date.parse('2026-11-27T18:29:00Z'), 'Asia/Kolkata')).toBe(
      Date.parse('2026-11-27T18:30:00Z') - 1,
    );
  });

  it('follows a day of 23 hours (New York, 8 March 2026)', () => {
    expect(endOfDayIn(Date.parse('2026-03-08T06:00:00Z'), 'America/New_York')).toBe(
      Date.parse('2026-03-09T00:00:00-04:00') - 1,
    );
  });
});
