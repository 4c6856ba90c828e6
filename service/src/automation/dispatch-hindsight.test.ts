import { describe, expect, it } from 'vitest';
import { hindsightDispatch } from './dispatch-hindsight.ts';
import { replayDispatchStream, type StreamJob, type StreamOutcome } from './dispatch-stream.ts';
import { expectBookingsHold, generatedStream } from './dispatch-test-support.ts';
import { eastKm, job, technician, testDayStart } from './test-factories.ts';
import { DAY_MS, HOUR_MS } from './work.ts';

const day = (n: number) => testDayStart + n * DAY_MS;
const bookingOf = (o: StreamOutcome, id: string) => o.bookings.find((b) => b.jobId === id)!;

function streamJob(overrides: Partial<StreamJob> & { id: string }): StreamJob {
  const { window: _window, ...base } = job({ id: overrides.id });
  return { ...base, arrivesAt: day(0), within: { start: day(0), end: day(1) }, ...overrides };
}

/**
 * One technician at home 0 km; a job `km` east that is free for three days, coming in today while
 * nothing else is booked (so the online planner sends the technician today), and a job next door that
 * a customer books the next day for day 2.
 */
function aJobThatCouldWait(priority: StreamJob['priority'], km: number) {
  const team = [technician({ id: 'only', homeBase: eastKm(0) })];
  const options = { utcOffsetMin: 330, teamOn: () => team };
  const canWait = streamJob({
    id: 'can-wait',
    position: eastKm(km),
    within: { start: day(0) + 9 * HOUR_MS, end: day(3) },
    slaDueAt: day(3),
    priority,
  });
  const booked = streamJob({
    id: 'booked-day-2',
    arrivesAt: day(1),
    position: eastKm(km + 0.5),
    within: { start: day(2) + 9 * HOUR_MS, end: day(2) + 18 * HOUR_MS },
    slaDueAt: day(2) + 18 * HOUR_MS,
    priority: 2,
  });
  const jobs = [canWait, booked];
  const planner = replayDispatchStream(jobs, 'planner', options);
  return { team, jobs, planner, hindsight: hindsightDispatch(jobs, planner, options) };
}

describe('dispatch with hindsight (the reference for the online planner)', () => {
  it("keeps a job bound to a partner with that partner's technicians, however much another saves", () => {
    const ours = technician({ id: 'ours', homeBase: eastKm(0) });
    const theirs = technician({ id: 'theirs', partnerId: 'partner-02', homeBase: eastKm(19) });
    const options = { utcOffsetMin: 330, teamOn: () => [ours, theirs] };
    const bound = streamJob({
      id: 'bound',
      position: eastKm(20),
      within: { start: day(0) + 9 * HOUR_MS, end: day(3) },
      slaDueAt: day(3),
      priority: 4,
      partnerId: 'partner-01',
    });
    // The other partner's technician works next door on day 1 and day 2.
    const nextDoor = [1, 2].map((d) =>
      streamJob({
        id: `next-door-${d}`,
        position: eastKm(20.5),
        within: { start: day(d) + 9 * HOUR_MS, end: day(d) + 18 * HOUR_MS },
        slaDueAt: day(d) + 18 * HOUR_MS,
        priority: 2,
        partnerId: 'partner-02',
      }),
    );
    const jobs = [bound, ...nextDoor];
    const hindsight = hindsightDispatch(jobs, replayDispatchStream(jobs, 'planner', options), options);
    expectBookingsHold(jobs, [ours, theirs], hindsight);
    expect(bookingOf(hindsight, 'bound').technicianId).toBe('ours');
  });

  it('moves a job that could wait onto the day a later job takes a technician next door', () => {
    const { team, jobs, planner, hindsight } = aJobThatCouldWait(4, 10);
    expect(bookingOf(planner, 'can-wait').dayStart).toBe(day(0));
    expect(bookingOf(hindsight, 'can-wait')).toMatchObject({ dayStart: day(2), slaMet: true });
    expect(hindsight.travelKm).toBeLessThan(planner.travelKm - 15);
    expectBookingsHold(jobs, team, hindsight);
  });

  it('asked to keep every job on or before the day the planner gave it, saves only what needs no waiting', () => {
    const { jobs, planner } = aJobThatCouldWait(4, 10);
    const options = { utcOffsetMin: 330, teamOn: () => [technician({ id: 'only', homeBase: eastKm(0) })] };
    const sameWait = hindsightDispatch(jobs, planner, { ...options, noLaterThanOnline: true });
    expect(bookingOf(sameWait, 'can-wait').dayStart).toBe(day(0));
    expect(sameWait.travelKm).toBeCloseTo(planner.travelKm, 6);
  });

  it('does not make a job wait where the wait costs more than the drive saves (a P1 job)', () => {
    // About 6 km saved against 2 days × weight 8 × 2 km charged for the wait.
    const { planner, hindsight } = aJobThatCouldWait(1, 3);
    expect(bookingOf(planner, 'can-wait').dayStart).toBe(day(0));
    expect(bookingOf(hindsight, 'can-wait').dayStart).toBe(day(0));
  });

  it('lets a held job that the online planner could only do late, after its window, go no later than it did', () => {
    const solo = technician({ id: 'solo', homeBase: eastKm(0) });
    // Nobody works on days 1 to 3, the whole window of the held visit: it was done on day 4, late.
    const options = {
      utcOffsetMin: 330,
      teamOn: (d: number) => [{ ...solo, available: d < day(1) || d > day(3) }],
    };
    const closing = streamJob({
      id: 'closing',
      arrivesAt: day(0) + 20 * HOUR_MS,
      position: eastKm(12),
      within: { start: day(1), end: day(3) },
      slaDueAt: day(3),
      priority: 3,
      fitsRoutes: true,
    });
    const nextDoor = streamJob({
      id: 'next-door',
      arrivesAt: day(3),
      position: eastKm(12.5),
      within: { start: day(4) + 9 * HOUR_MS, end: day(4) + 18 * HOUR_MS },
      slaDueAt: day(4) + 18 * HOUR_MS,
      priority: 2,
    });
    const jobs = [closing, nextDoor];
    const planner = replayDispatchStream(jobs, 'planner', options);
    expect(bookingOf(planner, 'closing')).toMatchObject({ dayStart: day(4), slaMet: false });
    for (const noLaterThanOnline of [false, true]) {
      const hindsight = hindsightDispatch(jobs, planner, { ...options, noLaterThanOnline });
      expect(bookingOf(hindsight, 'closing')).toMatchObject({ dayStart: day(4), technicianId: 'solo' });
      expect(hindsight.travelKm).toBeLessThanOrEqual(planner.travelKm + 1e-6);
    }
  });

  it('on two weeks of generated work, drives no more than the online planner and keeps every SLA it met, and less still when jobs may wait longer', () => {
    for (const seed of [1, 2]) {
      const { jobs, technicians } = generatedStream(seed);
      const options = { utcOffsetMin: 330, teamOn: () => technicians };
      const planner = replayDispatchStream(jobs, 'planner', options);
      const hindsight = hindsightDispatch(jobs, planner, options);
      expectBookingsHold(jobs, technicians, hindsight);
      expect(hindsight.unassigned).toEqual(planner.unassigned);
      expect(hindsight.travelKm).toBeLessThan(planner.travelKm);
      const met = new Set(hindsight.bookings.filter((b) => b.slaMet).map((b) => b.jobId));
      for (const b of planner.bookings.filter((x) => x.slaMet)) expect(met.has(b.jobId), b.jobId).toBe(true);

      const sameWait = hindsightDispatch(jobs, planner, { ...options, noLaterThanOnline: true });
      expectBookingsHold(jobs, technicians, sameWait);
      const plannerDay = new Map(planner.bookings.map((b) => [b.jobId, b.dayStart]));
      for (const b of sameWait.bookings) expect(b.dayStart).toBeLessThanOrEqual(plannerDay.get(b.jobId)!);
      expect(sameWait.travelKm).toBeLessThanOrEqual(planner.travelKm + 1e-6);
      expect(sameWait.travelKm).toBeGreaterThanOrEqual(hindsight.travelKm - 1e-6);
    }
  });
});
