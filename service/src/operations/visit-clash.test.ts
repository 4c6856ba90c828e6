import type { Position, TechnicianVisit } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { describeClash, driveMinutesBetween, visitClash } from './visit-clash.ts';

const hour = 3_600_000;
const minute = 60_000;
/** Monday 30 November 2026, 09:00 in Kolkata. */
const nine = Date.UTC(2026, 10, 30, 3, 30);

/** Places in Chennai: T. Nagar, and Adyar about 6 km south-east of it; a shop a street from home. */
const places: Record<string, Position> = {
  home: { lat: 13.0418, lon: 80.2341 },
  office: { lat: 13.0012, lon: 80.2565 },
  shop: { lat: 13.0425, lon: 80.2345 },
};

const booked = (
  ticketId: string,
  fromHour: number,
  hours: number,
  siteId: string | null,
): TechnicianVisit => ({
  ticketId,
  title: `Job ${ticketId}`,
  status: 'scheduled',
  start: nine + fromHour * hour,
  end: nine + (fromHour + hours) * hour,
  siteId,
  siteName: siteId && `Site ${siteId}`,
  position: siteId ? (places[siteId] ?? null) : null,
});

const at = (fromHour: number, hours: number, siteId: string | null, ticketId = 'new') => ({
  start: nine + fromHour * hour,
  end: nine + (fromHour + hours) * hour,
  siteId,
  position: siteId ? (places[siteId] ?? null) : null,
  ticketId,
});

describe('visitClash', () => {
  const day = [booked('a', 0, 2, 'home'), booked('b', 4, 1, 'office')];
  const homeToOffice = driveMinutesBetween(places.home!, places.office!);

  it('takes the drive between places from the road distance at city speed', () => {
    // About 5.3 km straight, 6.9 km by road, at 30 km/h.
    expect(homeToOffice).toBe(14);
    expect(driveMinutesBetween(places.home!, null)).toBe(0);
  });

  it('finds the earliest visit at another place that the new one overlaps', () => {
    expect(visitClash(day, at(1, 4, 'shop'))?.visit.ticketId).toBe('a');
    expect(visitClash(day, at(3.5, 1, 'shop'))?.visit.ticketId).toBe('b');
  });

  it('needs the drive between places around a visit elsewhere', () => {
    // The office visit ends at 14:00: a visit at home straight after leaves no time to drive back.
    const rightAfter = { ...at(5, 1, 'home'), start: nine + 5 * hour, end: nine + 6 * hour };
    expect(visitClash(day, rightAfter)).toEqual({ visit: day[1], driveMinutes: homeToOffice });
    const afterTheDrive = { ...rightAfter, start: rightAfter.start + homeToOffice * minute };
    expect(visitClash(day, afterTheDrive)).toBeNull();
  });

  it('lets visits at the same site follow each other with no drive, as one trip, but not overlap', () => {
    expect(visitClash(day, at(2, 1, 'home'))).toBeNull();
    expect(visitClash(day, at(1, 1, 'home'))?.visit.ticketId).toBe('a');
    expect(visitClash(day, at(1, 1, null))?.visit.ticketId).toBe('a');
    expect(visitClash([booked('c', 0, 2, null)], at(1, 1, null))?.visit.ticketId).toBe('c');
    // Unknown places: only an overlap counts, since nobody can say how far it is.
    expect(visitClash([booked('c', 0, 2, null)], at(2, 1, null))).toBeNull();
  });

  it('does not hold a job against itself when it moves', () => {
    expect(visitClash(day, at(0.5, 2, 'shop', 'a'))).toBeNull();
  });
});

describe('describeClash', () => {
  it("names the visit on the technician's own clock, where and for what", () => {
    const clash = { visit: booked('a', 0, 2, 'home'), driveMinutes: 3 };
    expect(describeClash(clash, at(1, 1, 'shop'), 'Ravi Kumar', 'Asia/Kolkata')).toBe(
      'Ravi Kumar is booked Mon 30 Nov, 09:00–11:00 (Asia/Kolkata) at Site home for "Job a" (ticket a); pick a time that does not overlap it, or another technician',
    );
  });

  it('says when to start or end instead when only the drive is missing', () => {
    const clash = { visit: booked('b', 4, 1, 'office'), driveMinutes: 14 };
    expect(describeClash(clash, at(5, 1, 'home'), 'Ravi Kumar', 'Asia/Kolkata')).toBe(
      'Ravi Kumar is booked Mon 30 Nov, 13:00–14:00 (Asia/Kolkata) at Site office for "Job b" (ticket b), a 14-minute drive away; start at 14:14 or later, or pick another technician',
    );
    expect(describeClash(clash, at(3, 1, 'home'), 'Ravi Kumar', 'Asia/Kolkata')).toMatch(
      /a 14-minute drive away; end by 12:46, or pick another technician$/,
    );
  });
});
