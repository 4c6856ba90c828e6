import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DayVisit, firstFreeTime, formClash, wallKey } from './assign-day.ts';
import { displayTimeZone, setDisplayTimeZone } from './format.ts';

/** 09:00 in Kolkata on Monday 30 November 2026. */
const nine = Date.UTC(2026, 10, 30, 3, 30);
const hour = 3_600_000;

const visit = (ticketId: string, fromHour: number, hours: number, siteId: string | null): DayVisit => ({
  ticketId,
  title: ticketId,
  start: nine + fromHour * hour,
  end: nine + (fromHour + hours) * hour,
  siteId,
  siteName: siteId,
});

// The form's times are the console's clock: Kolkata's here, whatever zone the tests run in.
let zone = '';
beforeAll(() => {
  zone = displayTimeZone();
  setDisplayTimeZone('Asia/Kolkata');
});
afterAll(() => setDisplayTimeZone(zone));

describe("the assign form's overlap warning, on the console's clock", () => {
  const day = [visit('morning', 0, 2, 'home'), visit('noon', 3, 1, 'office')];
  const job = { ticketId: 'this', siteId: 'shop' };
  const at = (time: string, minutes = 60) => ({ date: '2026-11-30', time, minutes });

  it('reads a visit as the form writes its date and time', () => {
    expect(wallKey(nine)).toBe('2026-11-30T09:00');
  });

  it('names the visit a chosen time overlaps, and none for a time between visits', () => {
    expect(formClash(day, at('10:30'), job)?.ticketId).toBe('morning');
    expect(formClash(day, at('11:00'), job)).toBeNull();
    expect(formClash(day, at('11:00', 90), job)?.ticketId).toBe('noon');
    expect(formClash(day, at('13:00'), job)).toBeNull();
  });

  it("ignores the job's own booking and visits at its own site, which are one trip", () => {
    expect(formClash(day, at('09:30'), { ticketId: 'morning', siteId: 'shop' })).toBeNull();
    expect(formClash(day, at('09:30'), { ticketId: 'this', siteId: 'home' })).toBeNull();
  });

  it('does not carry a late visit into the next day', () => {
    expect(formClash(day, at('23:30', 120), job)).toBeNull();
    expect(formClash([visit('late', 14.5, 1, null)], at('23:00', 60), job)?.ticketId).toBe('late');
  });
});

describe('the free time the form offers instead', () => {
  const day = [visit('morning', 0, 2, 'home'), visit('noon', 3, 1, 'office'), visit('late', 5, 1, 'shop')];
  const job = { ticketId: 'this', siteId: null };
  const at = (time: string, minutes = 60) => ({ date: '2026-11-30', time, minutes });

  it('is the first start after the visits in the way at which the whole visit fits', () => {
    expect(firstFreeTime(day, at('09:30'), job)).toBe('11:00');
    expect(firstFreeTime(day, at('09:30', 90), job)).toBe('15:00');
    expect(firstFreeTime(day, at('16:00'), job)).toBe('16:00');
  });

  it('is none when the day is taken to its end', () => {
    expect(firstFreeTime([visit('evening', 14, 1, 'home')], at('22:30', 90), job)).toBeNull();
  });
});
