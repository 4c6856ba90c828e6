import type { TechnicianVisit } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { describeClash, visitClash } from './visit-clash.ts';

const hour = 3_600_000;
/** Monday 30 November 2026, 09:00 in Kolkata. */
const nine = Date.UTC(2026, 10, 30, 3, 30);

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
});

describe('visitClash', () => {
  const day = [booked('a', 0, 2, 'home'), booked('b', 3, 1, 'office')];
  const at = (fromHour: number, hours: number, siteId: string | null, ticketId = 'new') => ({
    start: nine + fromHour * hour,
    end: nine + (fromHour + hours) * hour,
    siteId,
    ticketId,
  });

  it('finds the earliest visit at another site that the new one overlaps', () => {
    expect(visitClash(day, at(1, 3, 'shop'))?.ticketId).toBe('a');
    expect(visitClash(day, at(2.5, 1, 'shop'))?.ticketId).toBe('b');
  });

  it('lets visits touch end to start', () => {
    expect(visitClash(day, at(2, 1, 'shop'))).toBeNull();
  });

  it('lets visits at the same site overlap, as one trip, but not when a site is unknown', () => {
    expect(visitClash(day, at(1, 1, 'home'))).toBeNull();
    expect(visitClash(day, at(1, 1, null))?.ticketId).toBe('a');
    expect(visitClash([booked('c', 0, 2, null)], at(1, 1, null))?.ticketId).toBe('c');
  });

  it('does not hold a job against itself when it moves', () => {
    expect(visitClash(day, at(0.5, 2, 'shop', 'a'))).toBeNull();
  });
});

describe('describeClash', () => {
  it("names the visit on the technician's own clock, where and for what", () => {
    expect(describeClash(booked('a', 0, 2, 'home'), 'Ravi Kumar', 'Asia/Kolkata')).toBe(
      'Ravi Kumar is booked Mon 30 Nov, 09:00–11:00 (Asia/Kolkata) at Site home for "Job a" (ticket a); pick a time that does not overlap it, or another technician',
    );
  });
});
