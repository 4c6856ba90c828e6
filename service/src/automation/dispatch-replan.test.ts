import { NotFoundError } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { generateDispatchDay } from './dispatch-day-generator.ts';
import { planDispatch } from './dispatch-plan.ts';
import { replan } from './dispatch-replan.ts';
import { expectHardConstraints } from './dispatch-test-support.ts';
import type { DispatchPlan } from './dispatch-types.ts';
import { generateServiceNetwork } from './service-network.ts';
import { clock, eastKm, job, technician, testDayStart } from './test-factories.ts';

const ownerOf = (plan: DispatchPlan) =>
  new Map(plan.routes.flatMap((r) => r.stops.map((s) => [s.jobId, r.technicianId] as const)));

describe('replan', () => {
  const network = generateServiceNetwork({ seed: 7, now: testDayStart });
  const day = generateDispatchDay({ seed: 7, network, dayStart: testDayStart, jobs: 90 });
  const plan = planDispatch(day, { improvementRounds: 20 });

  it('hands the unstarted work of a technician who drops out to others and keeps every other stop', () => {
    const busiest = [...plan.routes].sort((a, b) => b.stops.length - a.stops.length)[0]!;
    expect(busiest.stops.length).toBeGreaterThanOrEqual(3);
    const at = busiest.stops[1]!.startAt + 1;
    const { plan: next, moved } = replan(day, plan, {
      kind: 'technician_unavailable',
      technicianId: busiest.technicianId,
      at,
    });

    const stillTheirs = next.routes.find((r) => r.technicianId === busiest.technicianId)!.stops;
    expect(stillTheirs.map((s) => s.jobId)).toEqual(busiest.stops.slice(0, 2).map((s) => s.jobId));
    const released = busiest.stops.slice(2).map((s) => s.jobId);
    const after = ownerOf(next);
    for (const id of released) {
      expect(after.get(id)).not.toBe(busiest.technicianId);
      expect(after.has(id) || next.unassigned.some((u) => u.jobId === id)).toBe(true);
    }
    // Nobody else loses a job; only the released jobs (and any placed from the unassigned list) move.
    const before = ownerOf(plan);
    for (const m of moved) expect(m.from === busiest.technicianId || m.from === null).toBe(true);
    for (const [id, tech] of before) if (tech !== busiest.technicianId) expect(after.get(id)).toBe(tech);
    expectHardConstraints(day, next, new Set([busiest.technicianId]));
  });

  /** Two technicians 3 km apart on a line east, for days small enough to reason about. */
  const pair = () => [
    technician({ id: 'a', homeBase: eastKm(0) }),
    technician({ id: 'b', homeBase: eastKm(3) }),
  ];

  it('moves to another technician the appointment a late job makes unreachable, and keeps the rest', () => {
    const small = {
      dayStart: testDayStart,
      technicians: pair(),
      jobs: [
        job({
          id: 'first',
          position: eastKm(0.5),
          window: { start: clock(9), end: clock(9, 30) },
          durationMinutes: 60,
        }),
        job({
          id: 'booked',
          position: eastKm(1),
          window: { start: clock(10, 30), end: clock(11, 30) },
          durationMinutes: 60,
        }),
        job({ id: 'flexible', position: eastKm(1.5), durationMinutes: 45 }),
        job({
          id: 'b-own',
          position: eastKm(3.5),
          window: { start: clock(9), end: clock(10) },
          durationMinutes: 60,
        }),
      ],
    };
    const before = planDispatch(small, { improvementRounds: 0 });
    expect(ownerOf(before).get('first')).toBe('a');
    expect(ownerOf(before).get('booked')).toBe('a');
    const flexibleOwner = ownerOf(before).get('flexible');
    const late = replan(small, before, {
      kind: 'job_running_late',
      jobId: 'first',
      at: clock(9, 45),
      expectedEndAt: clock(12),
    });
    expectHardConstraints(small, late.plan);
    const after = ownerOf(late.plan);
    expect(after.get('first')).toBe('a');
    expect(late.plan.routes[0]!.stops[0]!.endAt).toBe(clock(12));
    expect(after.get('booked')).toBe('b');
    expect(after.get('b-own')).toBe('b');
    expect(after.get('flexible')).toBe(flexibleOwner);
    expect(late.moved).toEqual([{ jobId: 'booked', from: 'a', to: 'b' }]);
    expect(late.plan.unassigned).toEqual([]);
  });

  it('sends back into the day a job that a late job was begun ahead of, instead of keeping it at its past slot', () => {
    const small = {
      dayStart: testDayStart,
      technicians: pair(),
      jobs: [
        job({
          id: 'skipped',
          position: eastKm(0.5),
          window: { start: clock(9), end: clock(9, 30) },
          durationMinutes: 60,
        }),
        job({
          id: 'begun',
          position: eastKm(1),
          window: { start: clock(13), end: clock(13, 30) },
          durationMinutes: 60,
        }),
      ],
    };
    const before = planDispatch(small, { improvementRounds: 0 });
    expect(ownerOf(before).get('skipped')).toBe('a');
    expect(ownerOf(before).get('begun')).toBe('a');
    // 'begun' was started at 08:30, ahead of the 09:00 job, and now runs until 11:00.
    const late = replan(
      small,
      before,
      { kind: 'job_running_late', jobId: 'begun', at: clock(8, 45), expectedEndAt: clock(11) },
      { keep: new Set(['begun']) },
    );
    const skipped = late.plan.routes.flatMap((r) => r.stops).find((s) => s.jobId === 'skipped');
    const unplaced = late.plan.unassigned.some((u) => u.jobId === 'skipped');
    // Placed again (on or after its slot) or named as unplaced: never left fixed at 09:00 as if done.
    expect(unplaced || (skipped !== undefined && late.moved.some((m) => m.jobId === 'skipped'))).toBe(true);
  });

  it('refuses an event about a technician or job it does not know', () => {
    expect(() =>
      replan(day, plan, { kind: 'technician_unavailable', technicianId: 'nobody', at: clock(10) }),
    ).toThrow(NotFoundError);
    expect(() =>
      replan(day, plan, {
        kind: 'job_running_late',
        jobId: 'nojob',
        at: clock(10),
        expectedEndAt: clock(11),
      }),
    ).toThrow(NotFoundError);
  });
});
