import { describe, expect, it } from 'vitest';
import { compareDispatch } from './dispatch-compare.ts';
import { generateDispatchDay } from './dispatch-day-generator.ts';
import { greedyDispatch } from './dispatch-greedy.ts';
import { planDispatch } from './dispatch-plan.ts';
import { expectHardConstraints } from './dispatch-test-support.ts';
import type { DispatchDay } from './dispatch-types.ts';
import { generateServiceNetwork } from './service-network.ts';
import { clock, eastKm, job, technician, testDayStart } from './test-factories.ts';
import { DAY_MS, MINUTE_MS } from './work.ts';

const planners = [
  ['planDispatch', (day: DispatchDay) => planDispatch(day, { improvementRounds: 20 })],
  ['greedyDispatch', greedyDispatch],
] as const;

/** The day the planners are measured on: 20 technicians (one off), 100 jobs, the default metro. */
function generatedDay(seed: number, jobs = 100) {
  const network = generateServiceNetwork({ seed, now: testDayStart });
  return generateDispatchDay({ seed, network, dayStart: testDayStart, jobs });
}

describe.each(planners)('%s', (_name, plan) => {
  it('never assigns a technician whose certification has expired', () => {
    const expired = technician({
      id: 'near-expired',
      homeBase: eastKm(1.5),
      skills: [{ skill: 'refrigeration', certifiedUntil: testDayStart - DAY_MS }],
    });
    const valid = technician({ id: 'far-valid', homeBase: eastKm(-12) });
    const leak = job({
      id: 'leak',
      skill: 'refrigeration',
      certificationRequired: true,
      position: eastKm(2),
    });
    const day = { dayStart: testDayStart, technicians: [expired, valid], jobs: [leak] };
    const result = plan(day);
    expect(result.routes.find((r) => r.technicianId === 'far-valid')!.stops.map((s) => s.jobId)).toEqual([
      'leak',
    ]);
    expect(result.routes.find((r) => r.technicianId === 'near-expired')!.stops).toEqual([]);

    const alone = plan({ ...day, technicians: [expired] });
    expect(alone.unassigned).toEqual([{ jobId: 'leak', reason: 'certification_invalid' }]);
  });

  it('treats a certification that runs out during the job date as expired', () => {
    const midday = technician({
      id: 'expires-midday',
      skills: [{ skill: 'refrigeration', certifiedUntil: clock(14) }],
    });
    const day = {
      dayStart: testDayStart,
      technicians: [midday],
      jobs: [
        job({
          id: 'leak',
          skill: 'refrigeration',
          certificationRequired: true,
          window: { start: clock(9), end: clock(10) },
        }),
      ],
    };
    expect(plan(day).unassigned).toEqual([{ jobId: 'leak', reason: 'certification_invalid' }]);
  });

  it('sends a technician without a certification when the job does not need one', () => {
    const uncertified = technician({
      id: 'uncertified',
      skills: [{ skill: 'electrical', certifiedUntil: null }],
    });
    const day = {
      dayStart: testDayStart,
      technicians: [uncertified],
      jobs: [job({ id: 'fan', skill: 'electrical' })],
    };
    expect(plan(day).routes[0]!.stops.map((s) => s.jobId)).toEqual(['fan']);
  });

  it('explains every job it cannot place', () => {
    const off = technician({
      id: 'off',
      available: false,
      skills: [{ skill: 'mechanical', certifiedUntil: null }],
    });
    const working = technician({ id: 'working', capacityMinutes: 120 });
    const day = {
      dayStart: testDayStart,
      technicians: [off, working],
      jobs: [
        job({ id: 'membrane', skill: 'water_treatment' }),
        job({ id: 'bearing', skill: 'mechanical' }),
        job({ id: 'filter-1', durationMinutes: 100 }),
        job({ id: 'filter-2', durationMinutes: 100 }),
      ],
    };
    const reasons = Object.fromEntries(plan(day).unassigned.map((u) => [u.jobId, u.reason]));
    expect(reasons.membrane).toBe('no_skilled_technician');
    expect(reasons.bearing).toBe('no_technician_available');
    expect(Object.values(reasons).filter((r) => r === 'no_time_left')).toHaveLength(1);
  });

  it('never exceeds working hours, daily capacity or appointment windows on a generated day', () => {
    for (const seed of [1, 2]) {
      const day = generatedDay(seed, 120);
      expectHardConstraints(day, plan(day));
    }
  });

  it('starts no work before the shift, however early the appointment window opens', () => {
    const late = technician({ id: 'late-shift', workingHours: { startMinute: 720, endMinute: 1200 } });
    const early = job({ id: 'early', window: { start: clock(8), end: clock(11) } });
    const fits = job({ id: 'fits', window: { start: clock(8), end: clock(13) } });
    const result = plan({ dayStart: testDayStart, technicians: [late], jobs: [early, fits] });
    expect(result.unassigned.map((u) => u.jobId)).toEqual(['early']);
    expect(result.routes[0]!.stops[0]!.startAt).toBeGreaterThanOrEqual(clock(12));
  });

  it('starts every appointment on a quarter hour of local time, inside hours and windows', () => {
    // Automation appointments used to start wherever the drive ended, e.g. 09:58:30.388.
    for (const seed of [1, 2]) {
      const day = generatedDay(seed, 80);
      const result = plan(day);
      expectHardConstraints(day, result);
      const stops = result.routes.flatMap((r) => r.stops);
      expect(stops.length).toBeGreaterThan(0);
      for (const stop of stops) expect((stop.startAt - day.dayStart) % (15 * MINUTE_MS)).toBe(0);
    }
  });

  it('keeps a job held at an agreed time off the quarter-hour grid at that time', () => {
    const held = job({ id: 'held', window: { start: clock(10, 7), end: clock(10, 8) } });
    const result = plan({ dayStart: testDayStart, technicians: [technician({ id: 'tech' })], jobs: [held] });
    expect(result.routes[0]!.stops[0]!.startAt).toBe(clock(10, 7));
  });
});

describe('greedyDispatch', () => {
  it('gives each job, in SLA order, to the nearest qualified technician who can still fit it', () => {
    const west = technician({ id: 'west', homeBase: eastKm(-5) });
    const east = technician({ id: 'east', homeBase: eastKm(5), capacityMinutes: 60 });
    const day = {
      dayStart: testDayStart,
      technicians: [west, east],
      jobs: [
        job({ id: 'later-east', position: eastKm(6), slaDueAt: clock(16) }),
        job({ id: 'urgent-east', position: eastKm(4), slaDueAt: clock(11), priority: 1 }),
      ],
    };
    const plan = greedyDispatch(day);
    // The urgent job goes first and takes the east technician's whole capacity; the later one drives from the west.
    expect(plan.routes[1]!.stops.map((s) => s.jobId)).toEqual(['urgent-east']);
    expect(plan.routes[0]!.stops.map((s) => s.jobId)).toEqual(['later-east']);
  });
});

describe('planDispatch', () => {
  it('orders a technician’s stops to drive less than the SLA order does', () => {
    const tech = technician({ id: 'solo' });
    const day = {
      dayStart: testDayStart,
      technicians: [tech],
      jobs: [
        job({ id: 'a', position: eastKm(6), slaDueAt: clock(12), durationMinutes: 30 }),
        job({ id: 'b', position: eastKm(-6), slaDueAt: clock(13), durationMinutes: 30 }),
        job({ id: 'c', position: eastKm(7), slaDueAt: clock(14), durationMinutes: 30 }),
        job({ id: 'd', position: eastKm(-7), slaDueAt: clock(15), durationMinutes: 30 }),
      ],
    };
    const planned = planDispatch(day);
    const greedy = greedyDispatch(day);
    expect(planned.metrics.slaMet).toBe(4);
    expect(planned.metrics.travelKm).toBeLessThan(greedy.metrics.travelKm * 0.75);
  });

  it('gives the same plan for the same day and seed', () => {
    const day = generatedDay(4, 60);
    expect(planDispatch(day, { seed: 9, improvementRounds: 10 })).toEqual(
      planDispatch(day, { seed: 9, improvementRounds: 10 }),
    );
  });
});

describe('compareDispatch', () => {
  it('on a generated metro day meets at least the greedy SLA, leaves no more jobs unassigned, and drives ≥ 15% less', () => {
    const day = generatedDay(1);
    expect(day.technicians).toHaveLength(20);
    const result = compareDispatch(day);
    console.info('dispatch comparison, seed 1, 20 technicians, 100 jobs:', {
      greedy: result.greedy,
      planned: result.planned,
      travelReductionPct: result.travelReductionPct,
    });
    expectHardConstraints(day, result.plans.planned);
    expect(result.planned.slaMetPct).toBeGreaterThanOrEqual(result.greedy.slaMetPct);
    expect(result.planned.unassigned).toBeLessThanOrEqual(result.greedy.unassigned);
    expect(result.travelReductionPct).toBeGreaterThanOrEqual(15);
    expect(result.planned.loadStdDevMinutes).toBeLessThan(result.greedy.loadStdDevMinutes);
    expect(result.greedy).toEqual(greedyDispatch(day).metrics);
  });
});
