import { describe, expect, it } from 'vitest';
import { wallTimeToEpoch } from './wall-clock.ts';

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
