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

  describe('an AMC visit held for the route fill', () => {
    const solo = technician({ id: 'solo', homeBase: eastKm(0) });
    const options = { utcOffsetMin: 330, teamOn: () => [solo] };
    // Known since yesterday; the contract lets it go any day of the next ten.
    const amc = streamJob({
      id: 'amc',
      arrivesAt: day(-1),
      position: eastKm(20),
      within: { start: day(0), end: day(10) },
      slaDueAt: day(10),
      durationMinutes: 45,
      fitsRoutes: true,
    });

    /** A P2 job for day 3, 1 km from the AMC site, that comes in on day 2 at `hour`. */
    const nextDoorOnDay3 = (id: string, hour: number, overrides: Partial<StreamJob> = {}) =>
      streamJob({
        id,
        arrivesAt: day(2) + hour * 60 * MINUTE_MS,
        position: eastKm(21),
        within: { start: day(3), end: day(3) + 18 * 60 * MINUTE_MS },
        slaDueAt: day(3) + 18 * 60 * MINUTE_MS,
        priority: 2,
        ...overrides,
      });

    it('waits until a repair brings the technician next door, and goes that day', () => {
      // On day 2 a repair comes in for day 3, 1 km from the AMC site.
      const repair = nextDoorOnDay3('repair', 8);
      const greedy = replayDispatchStream([amc, repair], 'greedy', options);
      const planner = replayDispatchStream([amc, repair], 'planner', options);
      expectBookingsHold([amc, repair], [solo], greedy);
      expectBookingsHold([amc, repair], [solo], planner);
      const dayOf = (o: StreamOutcome) => o.bookings.find((b) => b.jobId === 'amc')!.dayStart;
      expect(dayOf(greedy)).toBe(day(0));
      expect(dayOf(planner)).toBe(day(3));
      // Two 40 km round trips against one with a 1 km detour.
      expect(planner.travelKm).toBeLessThan(greedy.travelKm - 30);
    });

    it('goes on the last working day of its window when nothing comes near', () => {
      const closing = { ...amc, within: { start: day(0), end: day(2) + 18 * 60 * MINUTE_MS } };
      const planner = replayDispatchStream([closing], 'planner', options);
      expectBookingsHold([closing], [solo], planner);
      expect(planner.bookings).toEqual([
        expect.objectContaining({ jobId: 'amc', dayStart: day(2), slaMet: true }),
      ]);
    });

    it("goes to the partner servicing the site, under both rules, however near another partner's technician lives", () => {
      const neighbour = technician({ id: 'neighbour', partnerId: 'partner-02', homeBase: eastKm(19) });
      const team = { utcOffsetMin: 330, teamOn: () => [solo, neighbour] };
      const servicedBySolo = { ...amc, partnerId: solo.partnerId, amcShare: true };
      for (const rule of ['greedy', 'planner'] as const) {
        const o = replayDispatchStream([servicedBySolo], rule, team);
        expectBookingsHold([servicedBySolo], [solo, neighbour], o);
        expect(o.bookings[0]!.technicianId).toBe('solo');
      }
      // Without a contract's partner the visit is anyone's, and the neighbour takes it.
      const anyone = replayDispatchStream([amc], 'greedy', team);
      expect(anyone.bookings[0]!.technicianId).toBe('neighbour');
    });

    it("waits for another day near work when its partner's AMC share of that day is taken", () => {
      // The repair next door on day 3 is an AMC visit too, 150 of the partner's 147 AMC minutes (0.35 × 420).
      const booked = nextDoorOnDay3('booked-amc', 8, { durationMinutes: 150, amcShare: true });
      const held = { ...amc, partnerId: solo.partnerId, amcShare: true };
      const dayOf = (o: StreamOutcome) => o.bookings.find((b) => b.jobId === 'amc')!.dayStart;
      const shared = replayDispatchStream([held, booked], 'planner', options);
      expectBookingsHold([held, booked], [solo], shared);
      // Without the share it joins day 3; with it, it waits for the last working day of its window.
      expect(dayOf(replayDispatchStream([held, booked], 'planner', { ...options, amcShare: 1 }))).toBe(
        day(3),
      );
      expect(dayOf(shared)).toBeGreaterThan(day(3));
    });

    it("counts each partner's AMC share apart: another partner's full day does not hold a visit back", () => {
      const other = technician({ id: 'other', partnerId: 'partner-02', homeBase: eastKm(40) });
      const team = { utcOffsetMin: 330, teamOn: () => [solo, other] };
      // Day 3: partner-02's technician has 150 AMC minutes next to the visit, more than its 147 of share;
      // solo (partner-01) has a repair there. The visit is partner-01's.
      const otherAmc = nextDoorOnDay3('other-amc', 8, {
        durationMinutes: 150,
        partnerId: 'partner-02',
        amcShare: true,
      });
      const repair = nextDoorOnDay3('repair', 9, { partnerId: solo.partnerId });
      const held = { ...amc, partnerId: solo.partnerId, amcShare: true };
      const planner = replayDispatchStream([held, otherAmc, repair], 'planner', team);
      expectBookingsHold([held, otherAmc, repair], [solo, other], planner);
      expect(planner.bookings.find((b) => b.jobId === 'amc')).toMatchObject({
        dayStart: day(3),
        technicianId: 'solo',
      });
    });

    it('goes on the first day that can take it, late, when its window closes on days nobody works', () => {
      const offAtTheEnd = {
        utcOffsetMin: 330,
        teamOn: (d: number) => [{ ...solo, available: d < day(1) || d > day(3) }],
      };
      const closing = {
        ...amc,
        arrivesAt: day(0) + 20 * 60 * MINUTE_MS,
        within: { start: day(1), end: day(3) },
        slaDueAt: day(3),
      };
      const planner = replayDispatchStream([closing], 'planner', offAtTheEnd);
      expect(planner.bookings).toEqual([
        expect.objectContaining({ jobId: 'amc', dayStart: day(4), slaMet: false }),
      ]);
    });
  });

  describe('predictive work held for the route fill, released to the normal dispatch after its days of waiting', () => {
    const solo = technician({ id: 'solo', homeBase: eastKm(0) });
    const options = { utcOffsetMin: 330, teamOn: () => [solo] };
    const hour = 60 * MINUTE_MS;
    // Opened on day 0 at 11:00, due on day 5 at noon: a P3 repair 20 km out.
    const held = streamJob({
      id: 'held',
      arrivesAt: day(0) + 11 * hour,
      position: eastKm(20),
      within: { start: day(0) + 15 * hour, end: day(5) + 12 * hour },
      slaDueAt: day(5) + 12 * hour,
      durationMinutes: 120,
      priority: 3,
      fitsRoutes: true,
    });
    const dayOf = (o: StreamOutcome, id: string) => o.bookings.find((b) => b.jobId === id)!.dayStart;

    it('is booked as any job at the evening fill of its release day when nothing came near', () => {
      const kept = replayDispatchStream([held], 'planner', options);
      const released = { ...held, releaseAt: day(2) + 11 * hour };
      const planner = replayDispatchStream([released], 'planner', options);
      expectBookingsHold([released], [solo], planner);
      // Without a release it waits for its last working day; released on day 2, it goes on day 3.
      expect(dayOf(kept, 'held')).toBe(day(5));
      expect(dayOf(planner, 'held')).toBe(day(3));
    });

    it('still goes with a repair next door that comes up before its release', () => {
      const repair = streamJob({
        id: 'repair',
        arrivesAt: day(1) + 8 * hour,
        position: eastKm(21),
        within: { start: day(2), end: day(2) + 18 * hour },
        slaDueAt: day(2) + 18 * hour,
        priority: 2,
      });
      const released = { ...held, releaseAt: day(2) + 11 * hour };
      const planner = replayDispatchStream([released, repair], 'planner', options);
      expectBookingsHold([released, repair], [solo], planner);
      expect(dayOf(planner, 'held')).toBe(day(2));
    });
  });
});
