import type { TechnicianVisit } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { describeClash } from './visit-clash.ts';

const hour = 3_600_000;
/** Monday 30 November 2026, 09:00 in Kolkata. */
const nine = Date.UTC(2026, 10, 30, 3, 30);

const booked = (ticketId: string, fromHour: number, hours: number, siteId: string): TechnicianVisit => ({
  ticketId,
  title: `Job ${ticketId}`,
  status: 'scheduled',
  start: nine + fromHour * hour,
  end: nine + (fromHour + hours) * hour,
  siteId,
  siteName: `Site ${siteId}`,
  position: null,
});

const at = (fromHour: number, hours: number) => ({
  start: nine + fromHour * hour,
  end: nine + (fromHour + hours) * hour,
});

describe('describeClash', () => {
  it("names the visit on the technician's own clock, where and for what", () => {
    const clash = { visit: booked('a', 0, 2, 'home'), driveMinutes: 3 };
    expect(describeClash(clash, at(1, 1), 'Ravi Kumar', 'Asia/Kolkata')).toBe(
      'Ravi Kumar is booked Mon 30 Nov, 09:00–11:00 (Asia/Kolkata) at Site home for "Job a" (ticket a); pick a time that does not overlap it, or another technician',
    );
  });

  it('says when to start or end instead when only the drive is missing', () => {
    const clash = { visit: booked('b', 4, 1, 'office'), driveMinutes: 14 };
    expect(describeClash(clash, at(5, 1), 'Ravi Kumar', 'Asia/Kolkata')).toBe(
      'Ravi Kumar is booked Mon 30 Nov, 13:00–14:00 (Asia/Kolkata) at Site office for "Job b" (ticket b), a 14-minute drive away; start at 14:14 or later, or pick another technician',
    );
    expect(describeClash(clash, at(3, 1), 'Ravi Kumar', 'Asia/Kolkata')).toMatch(
      /a 14-minute drive away; end by 12:46, or pick another technician$/,
    );
  });
});
