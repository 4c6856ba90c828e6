import { expect } from 'vitest';
import { generateDispatchDay } from './dispatch-day-generator.ts';
import type { StreamJob, StreamOutcome } from './dispatch-stream.ts';
import type { DispatchDay, DispatchPlan, Technician } from './dispatch-types.ts';
import { generateServiceNetwork } from './service-network.ts';
import { testDayStart } from './test-factories.ts';
import { DAY_MS, MINUTE_MS } from './work.ts';

const day = (n: number) => testDayStart + n * DAY_MS;

/**
 * Checks every hard constraint of a plan against its day, independently of the planners' own code:
 * skill, certification valid for the whole job date, availability, working hours, capacity, appointment
 * windows, stops in time order, each job placed at most once and every job either placed or explained.
 * `fixedBy` lists technicians whose stops were already under way before they dropped out (replanning).
 */
export function expectHardConstraints(
  day: DispatchDay,
  plan: DispatchPlan,
  fixedBy: ReadonlySet<string> = new Set(),
) {
  const jobs = new Map(day.jobs.map((j) => [j.id, j]));
  const placed = new Set<string>();
  for (const route of plan.routes) {
    const tech = day.technicians.find((t) => t.id === route.technicianId)!;
    if (!tech.available) expect(route.stops).toEqual([]);
    if (!fixedBy.has(tech.id) && route.stops.length > 0) expect(tech.available).toBe(true);
    const shiftStart = day.dayStart + tech.workingHours.startMinute * MINUTE_MS;
    const shiftEnd = day.dayStart + tech.workingHours.endMinute * MINUTE_MS;
    let previousEnd = shiftStart;
    let work = 0;
    for (const stop of route.stops) {
      const job = jobs.get(stop.jobId)!;
      expect(placed.has(job.id), `${job.id} placed twice`).toBe(false);
      placed.add(job.id);
      const qualification = tech.skills.find((s) => s.skill === job.skill);
      expect(qualification, `${tech.id} lacks ${job.skill} for ${job.id}`).toBeDefined();
      if (job.certificationRequired) {
        expect(qualification!.certifiedUntil, `${tech.id} uncertified for ${job.id}`).not.toBeNull();
        expect(qualification!.certifiedUntil!).toBeGreaterThanOrEqual(day.dayStart + DAY_MS);
      }
      expect(stop.startAt).toBeGreaterThanOrEqual(previousEnd - 1);
      expect(stop.startAt).toBeGreaterThanOrEqual(stop.arriveAt);
      if (job.window) {
        expect(stop.startAt).toBeGreaterThanOrEqual(job.window.start - 1);
        expect(stop.startAt).toBeLessThanOrEqual(job.window.end + 1);
      }
      expect(stop.endAt).toBeLessThanOrEqual(shiftEnd + 1);
      expect(stop.slaMet).toBe(stop.startAt <= job.slaDueAt + 1);
      previousEnd = stop.endAt;
      work += job.durationMinutes;
    }
    if (!fixedBy.has(tech.id)) expect(work).toBeLessThanOrEqual(tech.capacityMinutes);
  }
  for (const u of plan.unassigned) expect(placed.has(u.jobId)).toBe(false);
  expect(placed.size + plan.unassigned.length).toBe(day.jobs.length);
}

/**
 * Two weeks of the sparse work a 500-device fleet brings (8 jobs a day over the metro, as the backtest
 * sees), from the dispatch-day generator: each job arrives on its day and may be done from then until
 * its SLA (or in its appointment slot when the customer booked one).
 */
export function generatedStream(seed: number, days = 14, jobsPerDay = 8) {
  const network = generateServiceNetwork({ seed, now: testDayStart });
  const jobs: StreamJob[] = [];
  for (let d = 0; d < days; d++) {
    const generated = generateDispatchDay({
      seed,
      network,
      dayStart: day(d),
      jobs: jobsPerDay,
      techniciansOff: 0,
    });
    for (const {
      window,
      kind: _kind,
      model: _model,
      failureMode: _mode,
      sku: _sku,
      ...job
    } of generated.jobs)
      jobs.push({
        ...job,
        id: `d${d}-${job.id}`,
        arrivesAt: day(d),
        within: window ?? { start: day(d), end: Math.max(job.slaDueAt, day(d + 1) - 1) },
      });
  }
  return { jobs, technicians: network.technicians };
}

/** Every booking against its job and technician, independently of the replay's own code. */
export function expectBookingsHold(
  jobs: readonly StreamJob[],
  technicians: readonly Technician[],
  o: StreamOutcome,
) {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  expect(o.bookings.length + o.unassigned.length).toBe(jobs.length);
  expect(new Set([...o.bookings.map((b) => b.jobId), ...o.unassigned]).size).toBe(jobs.length);
  const days = new Map<string, { start: number; end: number }[]>();
  for (const b of o.bookings) {
    const job = byId.get(b.jobId)!;
    const tech = technicians.find((t) => t.id === b.technicianId)!;
    expect(b.startAt).toBeGreaterThanOrEqual(job.within.start - 1);
    expect(b.startAt).toBeLessThanOrEqual(job.within.end + 1);
    expect(b.slaMet).toBe(b.startAt <= job.slaDueAt + 1);
    const skill = tech.skills.find((s) => s.skill === job.skill);
    expect(skill, `${tech.id} lacks ${job.skill}`).toBeDefined();
    if (job.certificationRequired) expect(skill!.certifiedUntil!).toBeGreaterThanOrEqual(b.dayStart + DAY_MS);
    if (job.partnerId !== undefined)
      expect(tech.partnerId, `${job.id} is ${job.partnerId}'s`).toBe(job.partnerId);
    const end = b.startAt + job.durationMinutes * MINUTE_MS;
    expect(b.startAt).toBeGreaterThanOrEqual(b.dayStart + tech.workingHours.startMinute * MINUTE_MS);
    expect(end).toBeLessThanOrEqual(b.dayStart + tech.workingHours.endMinute * MINUTE_MS + 1);
    const key = `${b.technicianId}@${b.dayStart}`;
    days.set(key, [...(days.get(key) ?? []), { start: b.startAt, end }]);
  }
  for (const [key, visits] of days) {
    const tech = technicians.find((t) => key.startsWith(`${t.id}@`))!;
    visits.sort((a, b) => a.start - b.start);
    for (let i = 1; i < visits.length; i++)
      expect(visits[i]!.start, `${key} double-booked`).toBeGreaterThanOrEqual(visits[i - 1]!.end - 1);
    const work = visits.reduce((s, v) => s + (v.end - v.start) / MINUTE_MS, 0);
    expect(work).toBeLessThanOrEqual(tech.capacityMinutes + 1);
  }
}
