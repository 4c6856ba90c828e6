import { describe, expect, it } from 'vitest';
import { replayDispatchStream, type StreamJob, type StreamOutcome } from './dispatch-stream.ts';
import { expectBookingsHold, generatedStream } from './dispatch-test-support.ts';
import { clock, eastKm, job, technician, testDayStart } from './test-factories.ts';
import { DAY_MS, MINUTE_MS } from './work.ts';

const day = (n: number) => testDayStart + n * DAY_MS;

function streamJob(overrides: Partial<StreamJob> & { id: string }): StreamJob {
  const { window: _window, ...base } = job({ id: overrides.id });
  return { ...base, arrivesAt: day(0), within: { start: day(0), end: clock(18) }, ...overrides };
}

/**
 * Tomorrow's job 20 km east, booked yesterday, which only `near-tomorrow` (home 15 km west) is free
 * for: the technician with the nearest home, `homeKm` east, is off tomorrow.
 */
function bookedTomorrow(homeKm: number) {
  const near = technician({ id: 'near-tomorrow', homeBase: eastKm(-15) });
  const home = technician({ id: 'nearest-home', homeBase: eastKm(homeKm) });
  const tomorrow = streamJob({
    id: 'tomorrow',
    arrivesAt: day(0) - DAY_MS,
    position: eastKm(20),
    within: { start: day(1), end: day(1) + 18 * 60 * MINUTE_MS },
    slaDueAt: day(1) + 18 * 60 * MINUTE_MS,
    priority: 2,
  });
  const options = { utcOffsetMin: 330, teamOn: (d: number) => [near, { ...home, available: d !== day(1) }] };
  return { tomorrow, options };
}

describe('dispatch over days as the work comes in', () => {
  it('lets a job that can wait join the day a technician is already working next door', () => {
    const { tomorrow, options } = bookedTomorrow(8);
    // A P4 job 1 km from it, arriving today, due in three days.
    const nextDoor = streamJob({
      id: 'next-door',
      position: eastKm(21),
      within: { start: day(0), end: day(3) },
      slaDueAt: day(3),
      priority: 4,
    });
    const greedy = replayDispatchStream([tomorrow, nextDoor], 'greedy', options);
    const planner = replayDispatchStream([tomorrow, nextDoor], 'planner', options);
    const booking = (o: StreamOutcome, id: string) => o.bookings.find((b) => b.jobId === id)!;
    expect(booking(greedy, 'next-door')).toMatchObject({ dayStart: day(0), technicianId: 'nearest-home' });
    expect(booking(planner, 'next-door')).toMatchObject({ dayStart: day(1), technicianId: 'near-tomorrow' });
    expect(planner.travelKm).toBeLessThan(greedy.travelKm - 20);
    expect(booking(planner, 'next-door').slaMet).toBe(true);
  });

  it('makes a job wait for the saving by its urgency: a P4 job waits, a P2 job does not', () => {
    // The nearest home is 3 km from the job: ~8 km of road there and back today. Tomorrow it adds ~3 km,
    // plus a day of waiting: 2 km for a P4 job, 8 km for a P2.
    const { tomorrow, options } = bookedTomorrow(18);
    const dayOf = (priority: 2 | 4) => {
      const waiting = streamJob({
        id: 'waiting',
        position: eastKm(21),
        within: { start: day(0), end: day(2) },
        slaDueAt: day(2),
        priority,
      });
      return replayDispatchStream([tomorrow, waiting], 'planner', options).bookings.find(
        (b) => b.jobId === 'waiting',
      )!.dayStart;
    };
    expect(dayOf(4)).toBe(day(1));
    expect(dayOf(2)).toBe(day(0));
  });

  it('on two weeks of generated work, drives less than the greedy rule and meets the SLA as often', () => {
    for (const seed of [1, 2]) {
      const { jobs, technicians } = generatedStream(seed);
      const options = { utcOffsetMin: 330, teamOn: () => technicians };
      const greedy = replayDispatchStream(jobs, 'greedy', options);
      const planner = replayDispatchStream(jobs, 'planner', options);
      expectBookingsHold(jobs, technicians, greedy);
      expectBookingsHold(jobs, technicians, planner);
      const met = (o: StreamOutcome) => o.bookings.filter((b) => b.slaMet).length;
      expect(planner.unassigned.length).toBeLessThanOrEqual(greedy.unassigned.length);
      expect(met(planner)).toBeGreaterThanOrEqual(met(greedy));
      expect(planner.travelKm).toBeLessThan(greedy.travelKm);
    }
  });
});
