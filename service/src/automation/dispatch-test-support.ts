import { expect } from 'vitest';
import type { DispatchDay, DispatchPlan } from './dispatch-types.ts';
import { DAY_MS, MINUTE_MS } from './work.ts';

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
