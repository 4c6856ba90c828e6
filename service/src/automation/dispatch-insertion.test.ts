import { describe, expect, it } from 'vitest';
import { cheapestInsertion, heldAt } from './dispatch-insertion.ts';
import { clock, eastKm, job, technician, testDayStart } from './test-factories.ts';

describe('one job into a booked day', () => {
  const tech = technician({ id: 'solo', homeBase: eastKm(0) });
  // Booked for the morning, due by 11:00: on time while nothing comes before it.
  const booked = job({
    id: 'booked',
    position: eastKm(2),
    window: { start: clock(9), end: clock(17) },
    slaDueAt: clock(11),
  });

  it('says which stops already in the day it would push past their SLA', () => {
    // Three hours that must start at 09:30: the booked hour cannot fit before it, and after it is past 11:00.
    const long = job({
      id: 'long',
      position: eastKm(3),
      durationMinutes: 180,
      window: heldAt(clock(9, 30)),
      slaDueAt: clock(18),
    });
    const place = cheapestInsertion(testDayStart, [tech], [[booked]], long);
    expect(place).toMatchObject({ position: 0, slaMet: true, missesCaused: 1 });
  });

  it('counts none when the day keeps every promise it kept', () => {
    const short = job({
      id: 'short',
      position: eastKm(3),
      durationMinutes: 30,
      window: { start: clock(13), end: clock(17) },
    });
    const place = cheapestInsertion(testDayStart, [tech], [[booked]], short);
    expect(place).toMatchObject({ position: 1, slaMet: true, missesCaused: 0 });
  });
});
