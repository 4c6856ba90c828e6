import { describe, expect, it } from 'vitest';
import { formatDateIn, formatDateTimeIn, utcOffsetMinutes } from './time-zone.ts';

describe('utcOffsetMinutes', () => {
  it('reads the offset the zone has at that instant', () => {
    expect(utcOffsetMinutes('Asia/Kolkata', Date.parse('2026-06-01T00:00:00Z'))).toBe(330);
    expect(utcOffsetMinutes('Europe/Berlin', Date.parse('2026-01-15T12:00:00Z'))).toBe(60);
    expect(utcOffsetMinutes('Europe/Berlin', Date.parse('2026-07-15T12:00:00Z'))).toBe(120);
    expect(utcOffsetMinutes('America/New_York', Date.parse('2026-01-15T12:00:00Z'))).toBe(-300);
    expect(utcOffsetMinutes('UTC', Date.parse('2026-01-15T12:00:00Z'))).toBe(0);
  });
});

describe('formatDateTimeIn', () => {
  it('writes the wall-clock time of the zone and names the zone', () => {
    const at = Date.parse('2026-11-28T04:10:00Z');
    expect(formatDateTimeIn(at, 'Asia/Kolkata')).toBe('28 Nov 2026, 09:40 IST');
    expect(formatDateTimeIn(at, 'UTC')).toBe('28 Nov 2026, 04:10 UTC');
    expect(formatDateTimeIn(at, 'Europe/Berlin')).toBe('28 Nov 2026, 05:10 CET');
    expect(formatDateTimeIn(at, 'America/New_York')).toBe('27 Nov 2026, 23:10 EST');
  });

  it('names the zone by its offset where English has no abbreviation for it', () => {
    expect(formatDateTimeIn(Date.parse('2026-11-28T04:10:00Z'), 'Asia/Singapore')).toBe(
      '28 Nov 2026, 12:10 GMT+8',
    );
  });

  it('names the zone as it is at that instant, across a DST change', () => {
    expect(formatDateTimeIn(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(
      '15 Jul 2026, 14:00 CEST',
    );
  });
});

describe('formatDateIn', () => {
  it("writes the day of the zone's calendar, which may not be UTC's", () => {
    const istMidnight = Date.parse('2027-03-06T18:30:00Z');
    expect(formatDateIn(istMidnight, 'Asia/Kolkata')).toBe('07 Mar 2027');
    expect(formatDateIn(istMidnight, 'UTC')).toBe('06 Mar 2027');
  });
});
