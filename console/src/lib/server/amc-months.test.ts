import { describe, expect, it } from 'vitest';
import { shiftMonth, visitMonth } from './amc-months.ts';

const zone = 'Asia/Kolkata';
// November 2026 to January 2027 on India's clock.
const calendar = { timezone: zone, now: Date.parse('2026-11-10T12:00:00+05:30') };
const months = ['2026-11', '2026-12', '2027-01'];
const at = (iso: string) => Date.parse(`${iso}+05:30`);

describe('visitMonth', () => {
  it('does not count a visit done before the months shown in the first of them (28 September is not November)', () => {
    const done = {
      dueFrom: at('2026-09-15T00:00:00'),
      dueTo: at('2026-11-15T00:00:00'),
      status: 'done',
      appointmentStart: at('2026-09-28T10:00:00'),
    };
    expect(visitMonth(done, calendar, months)).toBeNull();
    expect(visitMonth({ ...done, appointmentStart: null }, calendar, months)).toBeNull();
  });

  it('counts a booked visit in the month of its appointment, on the region’s clock', () => {
    const booked = {
      dueFrom: at('2026-11-01T00:00:00'),
      dueTo: at('2027-01-31T00:00:00'),
      status: 'scheduled',
      appointmentStart: at('2026-12-01T00:30:00'),
    };
    expect(visitMonth(booked, calendar, months)).toBe('2026-12');
    expect(
      visitMonth({ ...booked, appointmentStart: at('2027-02-03T10:00:00') }, calendar, months),
    ).toBeNull();
  });

  it('counts a waiting visit in one month whichever months are shown, so paging never counts it twice', () => {
    // Window 5 December to 4 February: January's, in the November and December views, not February's.
    const waiting = {
      status: 'planned',
      appointmentStart: null,
      dueFrom: at('2026-12-05T00:00:00'),
      dueTo: at('2027-02-04T00:00:00'),
    };
    expect(visitMonth(waiting, calendar, months)).toBe('2027-01');
    expect(visitMonth(waiting, calendar, ['2026-12', '2027-01', '2027-02'])).toBe('2027-01');
    expect(visitMonth(waiting, calendar, ['2027-02', '2027-03', '2027-04'])).toBeNull();
  });

  it('counts a visit still waiting for a time in the middle of its window, or now once that has passed', () => {
    const waiting = { status: 'planned', appointmentStart: null };
    expect(
      visitMonth(
        { ...waiting, dueFrom: at('2026-12-01T00:00:00'), dueTo: at('2026-12-31T00:00:00') },
        calendar,
        months,
      ),
    ).toBe('2026-12');
    // Its window opened in August: it is owed now, in November.
    expect(
      visitMonth(
        { ...waiting, dueFrom: at('2026-08-01T00:00:00'), dueTo: at('2026-11-20T00:00:00') },
        calendar,
        months,
      ),
    ).toBe('2026-11');
  });
});

describe('shiftMonth', () => {
  it('moves across years both ways', () => {
    expect(shiftMonth('2026-11', 3)).toBe('2027-02');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
  });

  it('counts a missed visit in the month its window closed, not now (a window that ended in September is September’s)', () => {
    const missed = {
      status: 'missed',
      appointmentStart: null,
      dueFrom: at('2026-07-25T00:00:00'),
      dueTo: at('2026-09-23T00:00:00'),
    };
    const august = ['2026-08', '2026-09', '2026-10'];
    expect(visitMonth(missed, calendar, august)).toBe('2026-09');
    // Not carried to the month of today, where the calendar no longer reads its window.
    expect(visitMonth(missed, calendar, months)).toBeNull();
    // Booked once and still missed: the month it was lost in, not the booking's.
    expect(visitMonth({ ...missed, appointmentStart: at('2026-08-10T10:00:00') }, calendar, august)).toBe(
      '2026-09',
    );
    // A window that closes at midnight on the 1st closed in the month before.
    expect(visitMonth({ ...missed, dueTo: at('2026-10-01T00:00:00') }, calendar, august)).toBe('2026-09');
  });
});
