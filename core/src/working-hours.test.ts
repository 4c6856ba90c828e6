import { describe, expect, it } from 'vitest';
import { describeWorkingDays } from './working-days.ts';
import { withinWorkingHours, workingHoursMiss } from './working-hours.ts';

const hour = 3_600_000;
/** Wednesday 10 June 2026, 00:00 in Chennai (UTC+05:30). */
const wednesday = Date.UTC(2026, 5, 10) - 5.5 * hour;
const chennai = { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '18:00', timezone: 'Asia/Kolkata' };
const visit = (fromHour: number, toHour: number, dayOffset = 0) => ({
  start: wednesday + dayOffset * 24 * hour + fromHour * hour,
  end: wednesday + dayOffset * 24 * hour + toHour * hour,
});

describe("a visit against a technician's working hours", () => {
  it('fits when it lies inside one working day, up to the very start and end of the hours', () => {
    expect(workingHoursMiss(chennai, visit(9, 18), 'Asha')).toBeNull();
    expect(workingHoursMiss(chennai, visit(14, 15.5), 'Asha')).toBeNull();
  });

  it('refuses a day off, naming the day and the days worked', () => {
    expect(workingHoursMiss(chennai, visit(10, 11, 4), 'Asha')).toBe(
      "Sunday is not one of Asha's working days (Mon–Sat, 09:00–18:00 Asia/Kolkata)",
    );
  });

  it('refuses a visit that starts before the hours or ends after them, in local time', () => {
    expect(workingHoursMiss(chennai, visit(1.5, 2.5), 'Asha')).toBe(
      "01:30–02:30 falls outside Asha's hours, 09:00–18:00 (Asia/Kolkata)",
    );
    expect(workingHoursMiss(chennai, visit(17, 19), 'Asha')).toBe(
      "17:00–19:00 falls outside Asha's hours, 09:00–18:00 (Asia/Kolkata)",
    );
  });

  it('refuses a visit that runs past midnight even for someone who works all day', () => {
    const allDay = { ...chennai, days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' };
    expect(workingHoursMiss(allDay, visit(23, 25), 'Ravi')).toBe(
      'the visit runs past midnight; Ravi works 00:00–23:59 (Asia/Kolkata)',
    );
  });

  it('reads the hours on the local clock across a daylight-saving change', () => {
    // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026; Monday 30 March 09:00 local is 07:00 UTC.
    const berlin = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'Europe/Berlin' };
    const monday0900 = Date.UTC(2026, 2, 30, 7);
    expect(workingHoursMiss(berlin, { start: monday0900, end: monday0900 + hour }, 'Jan')).toBeNull();
    expect(workingHoursMiss(berlin, { start: monday0900 - hour, end: monday0900 }, 'Jan')).toMatch(
      /^08:00–09:00 falls outside/,
    );
  });

  it("answers the booking form's yes or no with the same reading", () => {
    expect(withinWorkingHours(chennai, visit(9, 18))).toBe(true);
    expect(withinWorkingHours(chennai, visit(17, 19))).toBe(false);
    expect(withinWorkingHours(chennai, visit(10, 11, 4))).toBe(false);
  });

  it('describes working days as a planner reads them', () => {
    expect(describeWorkingDays([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(describeWorkingDays([5, 1, 3])).toBe('Mon, Wed, Fri');
    expect(describeWorkingDays([6, 7])).toBe('Sat, Sun');
  });
});
