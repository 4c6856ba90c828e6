import { describe, expect, it } from 'vitest';
import { KM_PER_DAY_LATER_PER_WEIGHT, rankDayOptions } from './dispatch-day-choice.ts';
import { testDayStart } from './test-factories.ts';
import { DAY_MS } from './work.ts';

const day = (n: number) => testDayStart + n * DAY_MS;
const option = (n: number, marginalKm: number, slaMet = true) => ({ dayStart: day(n), marginalKm, slaMet });

describe('choosing the day a job is done on', () => {
  it('puts a day that meets the SLA before any day that misses it, however short the drive', () => {
    const ranked = rankDayOptions([option(0, 30, false), option(1, 2, true)], 3);
    expect(ranked.map((o) => o.dayStart)).toEqual([day(1), day(0)]);
  });

  it('lets a job wait for a day with a technician nearby only when the shorter drive pays for the wait', () => {
    // P4 (weight 1): a day of waiting costs 2 km.
    expect(KM_PER_DAY_LATER_PER_WEIGHT).toBe(2);
    expect(rankDayOptions([option(0, 14), option(2, 5)], 4)[0]!.dayStart).toBe(day(2));
    expect(rankDayOptions([option(0, 14), option(2, 11)], 4)[0]!.dayStart).toBe(day(0));
  });

  it('charges waiting by urgency: the same saving moves a P4 job and not a P2 one', () => {
    // A day of waiting costs 8 km for P2 (weight 4), more than the 7 km saved; 2 km for P4.
    expect(rankDayOptions([option(0, 14), option(1, 7)], 2)[0]!.dayStart).toBe(day(0));
    expect(rankDayOptions([option(0, 14), option(1, 7)], 4)[0]!.dayStart).toBe(day(1));
  });

  it('never makes an urgent (P1) job wait, whatever the saving', () => {
    expect(rankDayOptions([option(0, 60), option(1, 1)], 1)[0]!.dayStart).toBe(day(0));
  });

  it('takes the earlier day on a tie, and the earliest day when no day meets the SLA', () => {
    expect(rankDayOptions([option(1, 4), option(0, 6)], 4)[0]!.dayStart).toBe(day(0));
    const late = rankDayOptions([option(2, 1, false), option(1, 20, false)], 4);
    expect(late.map((o) => o.dayStart)).toEqual([day(1), day(2)]);
  });

  it('offers nothing when no day can take the job', () => {
    expect(rankDayOptions([], 2)).toEqual([]);
  });
});
