import { describe, expect, it } from 'vitest';
import { daysBetween, isoWeekday, minuteOfDay, timeOfDay, utcOffsetMinutes } from './local-time.ts';

describe('local time of technicians', () => {
  it('reads a zone’s offset from UTC, with its daylight saving time', () => {
    expect(utcOffsetMinutes('Asia/Kolkata', Date.UTC(2026, 0, 1))).toBe(330);
    expect(utcOffsetMinutes('UTC', Date.UTC(2026, 0, 1))).toBe(0);
    expect(utcOffsetMinutes('America/New_York', Date.UTC(2026, 0, 15))).toBe(-300);
    expect(utcOffsetMinutes('America/New_York', Date.UTC(2026, 6, 15))).toBe(-240);
  });

  it('turns working hours into minutes after midnight and back', () => {
    expect(minuteOfDay('09:30')).toBe(570);
    expect(timeOfDay(1110)).toBe('18:30');
    expect(timeOfDay(minuteOfDay('07:05'))).toBe('07:05');
  });

  it('names the ISO weekday of a local day, not of the UTC day it starts in', () => {
    // Monday 23 November 2026 starts at 18:30 UTC on Sunday in Kolkata.
    const mondayInKolkata = Date.UTC(2026, 10, 22, 18, 30);
    expect(isoWeekday(mondayInKolkata, 330)).toBe(1);
    expect(isoWeekday(mondayInKolkata - 86_400_000, 330)).toBe(7);
  });

  it('lists the local midnights of every day a span touches', () => {
    const from = Date.UTC(2026, 10, 24, 20); // Wednesday 01:30 in Kolkata
    const to = Date.UTC(2026, 10, 26, 3); // Thursday 08:30
    expect(daysBetween(from, to, 330)).toEqual([
      Date.UTC(2026, 10, 24, 18, 30),
      Date.UTC(2026, 10, 25, 18, 30),
    ]);
  });
});
