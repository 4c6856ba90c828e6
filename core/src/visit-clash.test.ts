import { describe, expect, it } from 'vitest';
import type { Position } from './travel.ts';
import { driveMinutesBetween, type PlacedVisit, visitClash } from './visit-clash.ts';

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

const booked = (ticketId: string, fromHour: number, hours: number, siteId: string | null): PlacedVisit => ({
  ticketId,
  start: nine + fromHour * hour,
  end: nine + (fromHour + hours) * hour,
  siteId,
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
