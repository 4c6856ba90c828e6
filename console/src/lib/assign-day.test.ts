import {
  driveMinutesBetween,
  type TechnicianVisit,
  visitClash,
  type WorkingHours,
  withinWorkingHours,
} from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { type Choice, choiceSpan, firstFreeStart, type Job } from './assign-day.ts';

/** 09:00 in Kolkata on Monday 30 November 2026. */
const nine = Date.UTC(2026, 10, 30, 3, 30);
const hour = 3_600_000;
const minute = 60_000;
const zone = 'Asia/Kolkata';

/** T. Nagar and Adyar in Chennai, 14 minutes apart by van; a shop a street from home. */
const places = {
  home: { lat: 13.0418, lon: 80.2341 },
  office: { lat: 13.0012, lon: 80.2565 },
  shop: { lat: 13.0425, lon: 80.2345 },
};

const visit = (
  ticketId: string,
  fromHour: number,
  hours: number,
  site: keyof typeof places | null,
): TechnicianVisit => ({
  ticketId,
  title: ticketId,
  status: 'scheduled',
  start: nine + fromHour * hour,
  end: nine + (fromHour + hours) * hour,
  siteId: site,
  siteName: site,
  position: site ? places[site] : null,
});

const hours: WorkingHours = { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '18:00', timezone: zone };
const at = (time: string, minutes = 60) => ({ date: '2026-11-30', time, minutes, zone });
/** What the form flags: the chosen visit against the booked ones, by core's rule (the service's). */
const formClash = (visits: readonly TechnicianVisit[], choice: Choice, job: Job) =>
  visitClash(visits, { ...job, ...choiceSpan(choice) });
/** The job is at the shop, next to home. */
const job = { ticketId: 'this', siteId: 'shop', position: places.shop };
const clock = (ts: number | null) =>
  ts === null
    ? null
    : new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: zone,
      }).format(ts);

describe("the assign form's booking checks, on the console's clock", () => {
  const day = [visit('morning', 0, 2, 'home'), visit('noon', 3, 1, 'office')];

  it('reads the form as the service will: its date and time in the console zone', () => {
    expect(choiceSpan(at('09:00'))).toEqual({ start: nine, end: nine + hour });
  });

  it('flags a time that overlaps a visit elsewhere, or leaves no time for the drive to or from it', () => {
    expect(formClash(day, at('10:30'), job)?.visit.ticketId).toBe('morning');
    const drive = driveMinutesBetween(places.shop, places.office);
    expect(drive).toBeGreaterThan(10);
    // 11:05–11:50 at the shop leaves 10 minutes before the office visit at 12:00: too few to drive there.
    expect(formClash(day, at('11:05', 45), job)).toEqual({ visit: day[1], driveMinutes: drive });
    expect(formClash(day, at('13:00'), job)?.visit.ticketId).toBe('noon');
    expect(formClash(day, at('14:30'), job)).toBeNull();
  });

  it("ignores the job's own booking, and needs no drive from a visit at the job's own site", () => {
    expect(formClash(day, at('09:30'), { ...job, ticketId: 'morning' })).toBeNull();
    const atHome = { ...job, siteId: 'home', position: places.home };
    expect(formClash(day, at('09:30'), atHome)?.visit.ticketId).toBe('morning');
    expect(formClash(day, at('11:00', 30), atHome)).toBeNull();
  });

  it('reads working hours on the technician’s clock', () => {
    expect(withinWorkingHours(hours, choiceSpan(at('09:00')))).toBe(true);
    expect(withinWorkingHours(hours, choiceSpan(at('17:30')))).toBe(false);
    expect(withinWorkingHours(hours, choiceSpan({ ...at('10:00'), date: '2026-12-06' }))).toBe(false);
  });
});

describe('the free start the form offers instead', () => {
  const day = [visit('morning', 0, 2, 'home'), visit('noon', 3, 1, 'office'), visit('late', 5, 1, 'office')];

  it('is the first quarter hour after the visits in the way, the drive included, at which the whole visit fits', () => {
    // An hour fits neither between the morning and noon (the drive to the office) nor between noon and
    // the afternoon visit there; half an hour fits before noon.
    expect(clock(firstFreeStart(day, at('09:30'), job, hours))).toBe('15:15');
    expect(clock(firstFreeStart(day, at('09:30', 30), job, hours))).toBe('11:15');
    expect(clock(firstFreeStart(day, at('16:00'), job, hours))).toBe('16:00');
  });

  it('stays inside the working hours unless it is overtime, and is none when the day is taken', () => {
    expect(firstFreeStart(day, at('16:30', 120), job, hours)).toBeNull();
    expect(clock(firstFreeStart(day, at('16:30', 120), job))).toBe('16:30');
    expect(firstFreeStart([visit('evening', 13, 2, 'office')], at('22:30', 90), job)).toBeNull();
  });

  it('is on a quarter hour, as the form takes times', () => {
    const odd = [{ ...visit('odd', 0, 1, 'home'), end: nine + 50 * minute }];
    expect(
      clock(firstFreeStart(odd, at('09:30'), { ...job, siteId: 'office', position: places.office }, hours)),
    ).toBe('10:15');
  });
});
