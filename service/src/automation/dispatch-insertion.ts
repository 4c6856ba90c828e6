import { compileProblem, evaluateRoute, SLA_MISS_PENALTY_KM, scheduleRoute } from './dispatch-problem.ts';
import { type DispatchJob, isQualified, type Technician } from './dispatch-types.ts';
import { roadKm } from './geo.ts';
import { MINUTE_MS, type TimeWindow } from './work.ts';

/**
 * One new job into a day whose work is already booked: every technician's jobs are held at their
 * appointments (pinned windows, in time order), and only the new job's place is chosen. Shared by the
 * live dispatch of a ticket and the multi-day replay that measures it, so both decide alike.
 */

export interface Insertion {
  /** Index into the team. */
  technician: number;
  /** Index in that technician's route the job goes in at. */
  position: number;
  startAt: number;
  slaMet: boolean;
  /** Driving the job adds to the technician's day (km). */
  marginalKm: number;
  /** Stops already in the day that met their SLA and would miss it once the job is in. */
  missesCaused: number;
}

/**
 * The place, over every available qualified technician and every gap of their day, that adds the least
 * driving, an SLA miss (its own or one it causes) charged as the planner charges it; on a tie, the
 * technician with less work that day. Null when no technician can fit the job.
 */
export function cheapestInsertion(
  dayStart: number,
  team: readonly Technician[],
  routes: readonly (readonly DispatchJob[])[],
  job: DispatchJob,
): Insertion | null {
  let best: (Insertion & { cost: number; load: number }) | null = null;
  for (const [t, tech] of team.entries()) {
    if (!tech.available || !isQualified(tech, job, dayStart)) continue;
    const route = routes[t] ?? [];
    const before = routeFigures(dayStart, tech, route, identity(route.length));
    if (!before) continue;
    const load = route.reduce((s, j) => s + j.durationMinutes, 0);
    for (let position = 0; position <= route.length; position++) {
      const place = tryInsert(dayStart, tech, route, before, job, position);
      if (!place) continue;
      if (
        best === null ||
        place.cost < best.cost - 1e-9 ||
        (Math.abs(place.cost - best.cost) <= 1e-9 && load < best.load)
      )
        best = { ...place, technician: t, position, load };
    }
  }
  if (best === null) return null;
  const { cost: _cost, load: _load, ...insertion } = best;
  return insertion;
}

/**
 * The greedy rule's place: the nearest available qualified technician, measured from where their last
 * job of the day ends (their home base before the first), who can still fit the job at the end of
 * their day.
 */
export function appendToNearest(
  dayStart: number,
  team: readonly Technician[],
  routes: readonly (readonly DispatchJob[])[],
  job: DispatchJob,
): Insertion | null {
  const from = (t: number) => routes[t]?.at(-1)?.position ?? team[t]!.homeBase;
  const order = team
    .map((tech, t) => ({ tech, t }))
    .filter(({ tech }) => tech.available && isQualified(tech, job, dayStart))
    .sort((a, b) => roadKm(from(a.t), job.position) - roadKm(from(b.t), job.position) || a.t - b.t);
  for (const { tech, t } of order) {
    const route = routes[t] ?? [];
    const before = routeFigures(dayStart, tech, route, identity(route.length));
    const place = before && tryInsert(dayStart, tech, route, before, job, route.length);
    if (place) {
      const { cost: _cost, ...rest } = place;
      return { ...rest, technician: t, position: route.length };
    }
  }
  return null;
}

/**
 * A booked job held at its appointment: it may start up to a minute late, as the plan's times are
 * rounded to the millisecond and a job held exactly at its planned start could be refused for that.
 */
export const heldAt = (start: number): TimeWindow => ({ start, end: start + MINUTE_MS });

const identity = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * `job` at `position` of a technician's booked day (`before`: that day's figures without it): its
 * start, the driving it adds and the cost, or null when it does not fit.
 */
function tryInsert(
  dayStart: number,
  tech: Technician,
  route: readonly DispatchJob[],
  before: RouteFigures,
  job: DispatchJob,
  position: number,
): { startAt: number; slaMet: boolean; marginalKm: number; missesCaused: number; cost: number } | null {
  const order = identity(route.length);
  order.splice(position, 0, route.length);
  const after = routeFigures(dayStart, tech, [...route, job], order);
  if (!after) return null;
  const stop = after.stops[position]!;
  const marginalKm = after.km - before.km;
  const metBefore = new Set(before.stops.filter((s) => s.slaMet).map((s) => s.jobId));
  return {
    startAt: stop.startAt,
    slaMet: stop.slaMet,
    marginalKm,
    missesCaused: after.stops.filter((s) => !s.slaMet && metBefore.has(s.jobId)).length,
    cost: marginalKm + SLA_MISS_PENALTY_KM * (after.missedWeight - before.missedWeight),
  };
}

type RouteFigures = NonNullable<ReturnType<typeof routeFigures>>;

function routeFigures(dayStart: number, tech: Technician, jobs: readonly DispatchJob[], order: number[]) {
  const p = compileProblem({ dayStart, technicians: [tech], jobs });
  const evaluated = evaluateRoute(p, 0, order);
  if (!evaluated) return null;
  const stops = scheduleRoute(p, 0, order);
  const missedWeight = stops.reduce((s, stop, i) => s + (stop.slaMet ? 0 : p.weight[order[i]!]!), 0);
  return { km: evaluated.km, stops, missedWeight };
}
