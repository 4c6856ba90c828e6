import { NotFoundError } from '@aftercare/core';
import {
  buildPlan,
  compileProblem,
  evaluateRoute,
  type RouteStart,
  scheduleRoute,
} from './dispatch-problem.ts';
import { RouteSearch } from './dispatch-search.ts';
import type { DispatchDay, DispatchPlan, PlannedStop } from './dispatch-types.ts';
import { MINUTE_MS } from './work.ts';

/** Something that happened during the day that the plan must absorb. */
export type DispatchEvent =
  /** The technician stops working at `at` (sick, vehicle broke down): work not yet started goes to others. */
  | { kind: 'technician_unavailable'; technicianId: string; at: number }
  /** At `at`, the job is expected to end only at `expectedEndAt`: the rest of that technician's day shifts. */
  | { kind: 'job_running_late'; jobId: string; at: number; expectedEndAt: number };

export interface ReplanResult {
  plan: DispatchPlan;
  /** Jobs whose technician changed (null: unassigned before or after). */
  moved: { jobId: string; from: string | null; to: string | null }[];
}

/**
 * Re-plans the rest of a day after an event, keeping what still works: stops already under way or done
 * stay; every other stop keeps its technician and order as long as it stays feasible and does not newly
 * miss its SLA. Only the stops that broke (and the jobs unassigned before) are placed again, by regret
 * insertion into the technicians' remaining days, so customers' appointments move as little as possible.
 */
export function replan(
  day: DispatchDay,
  plan: DispatchPlan,
  event: DispatchEvent,
  options: {
    /**
     * Jobs begun or done whatever their planned time says (a visit started early): they stay where
     * they are, counted in their technician's day, and are never moved.
     */
    keep?: ReadonlySet<string>;
  } = {},
): ReplanResult {
  const keep = options.keep ?? new Set<string>();
  const now = event.at;
  const nowMin = (now - day.dayStart) / MINUTE_MS;
  const jobIndex = new Map(day.jobs.map((j, i) => [j.id, i]));
  const techIndex = new Map(day.technicians.map((t, i) => [t.id, i]));
  const previousOwner = new Map<string, string>();
  for (const route of plan.routes)
    for (const s of route.stops) previousOwner.set(s.jobId, route.technicianId);

  if (event.kind === 'technician_unavailable' && !techIndex.has(event.technicianId)) {
    throw new NotFoundError('technician', event.technicianId);
  }
  if (event.kind === 'job_running_late' && !previousOwner.has(event.jobId)) {
    throw new NotFoundError('planned job', event.jobId);
  }

  const overrides = new Map<string, Partial<RouteStart>>();
  const tails = new Map<number, PlannedStop[]>();
  const fixedIds = new Set<string>();
  for (const route of plan.routes) {
    const t = techIndex.get(route.technicianId);
    if (t === undefined) continue;
    const tech = day.technicians[t]!;
    const stops = route.stops.filter((s) => jobIndex.has(s.jobId));
    let committed: PlannedStop[];
    let available = tech.available;
    if (event.kind === 'technician_unavailable' && event.technicianId === tech.id) {
      committed = stops.filter((s) => s.startAt <= now);
      available = false;
    } else if (event.kind === 'job_running_late' && stops.some((s) => s.jobId === event.jobId)) {
      const late = stops.findIndex((s) => s.jobId === event.jobId);
      // Before the late job, only what was begun or whose time has come stays put: a job it was
      // started ahead of is still to do, and goes back into the day after it.
      committed = stops
        .slice(0, late + 1)
        .filter((s, i) => i === late || keep.has(s.jobId) || s.startAt <= now)
        .map((s) => (s.jobId === event.jobId ? { ...s, endAt: event.expectedEndAt } : s));
    } else {
      // On the way, on site or done: the drive to a stop began when its arrival minus its travel passed.
      committed = stops.filter((s) => s.arriveAt - s.travelMinutes * MINUTE_MS <= now);
    }
    const byTime = new Set(committed.map((s) => s.jobId));
    const kept = stops.filter((s) => keep.has(s.jobId) && !byTime.has(s.jobId));
    const committedIds = new Set([...byTime, ...kept.map((s) => s.jobId)]);
    for (const id of committedIds) fixedIds.add(id);
    tails.set(
      t,
      stops.filter((s) => !committedIds.has(s.jobId)),
    );
    // The day goes on from the last stop under way by the clock; a kept stop out of that order holds
    // its place and its minutes, not the route's position.
    const last = committed[committed.length - 1];
    // A stop under way counts as long as it now takes (a late job until its new end).
    const usedMinutes =
      committed.reduce((sum, s) => sum + Math.max(0, s.endAt - s.startAt) / MINUTE_MS, 0) +
      kept.reduce((sum, s) => sum + day.jobs[jobIndex.get(s.jobId)!]!.durationMinutes, 0);
    overrides.set(tech.id, {
      startMin: last
        ? Math.max((last.endAt - day.dayStart) / MINUTE_MS, nowMin)
        : Math.max(tech.workingHours.startMinute, nowMin),
      startNode: last ? jobIndex.get(last.jobId)! : day.jobs.length + t,
      capacityLeft: tech.capacityMinutes - usedMinutes,
      available,
      fixed: [...committed, ...kept].sort((a, b) => a.startAt - b.startAt),
    });
  }

  const p = compileProblem(day, overrides, fixedIds);
  const routes: number[][] = day.technicians.map(() => []);
  const released: number[] = [];
  for (const [t, tail] of tails) {
    for (const stop of tail) {
      const j = jobIndex.get(stop.jobId)!;
      const attempt = [...routes[t]!, j];
      const ok = evaluateRoute(p, t, attempt) !== null;
      const stillMeetsSla = ok && (scheduleRoute(p, t, attempt).at(-1)!.slaMet || !stop.slaMet);
      if (ok && stillMeetsSla) routes[t] = attempt;
      else released.push(j);
    }
  }
  const placed = new Set([...routes.flat(), ...[...fixedIds].map((id) => jobIndex.get(id)!)]);
  const pool = [...released, ...p.open.filter((j) => !placed.has(j) && !released.includes(j))];
  const search = new RouteSearch(p, routes, pool);
  search.insertPool();
  const next = buildPlan(p, search.routes, 'replan');

  const owner = new Map<string, string>();
  for (const route of next.routes) for (const s of route.stops) owner.set(s.jobId, route.technicianId);
  const moved = day.jobs.flatMap((job) => {
    const from = previousOwner.get(job.id) ?? null;
    const to = owner.get(job.id) ?? null;
    return from === to ? [] : [{ jobId: job.id, from, to }];
  });
  return { plan: next, moved };
}
