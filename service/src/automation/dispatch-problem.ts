import {
  type DispatchDay,
  type DispatchJob,
  type DispatchMetrics,
  type DispatchPlan,
  isQualified,
  type PlannedStop,
  type TechnicianRoute,
  type UnassignedJob,
  type UnassignedReason,
} from './dispatch-types.ts';
import { driveMinutes, roadKm } from './geo.ts';
import { MINUTE_MS, priorityWeight } from './work.ts';

/**
 * The planners' working form of a day: indices instead of ids, minutes after `dayStart` instead of epoch
 * ms, a distance matrix, and the qualification table. Shared by the greedy rule, the optimising planner
 * and re-planning, so all three obey the same hard constraints and are scored by the same cost.
 */

/** Cost of one SLA miss, in km of driving, per unit of priority weight (P4 = 1 … P1 = 8). */
export const SLA_MISS_PENALTY_KM = 60;
/** Cost of leaving a job unassigned, in km per unit of priority weight; above any SLA miss of the same job. */
export const UNASSIGNED_PENALTY_KM = 400;
/** Load balancing: km charged per (busy hour)² of each route, so a long day costs more than two half days. */
export const BALANCE_KM_PER_HOUR2 = 1.5;

/**
 * Appointments start on the quarter hour of local time (minutes after the day's local midnight): a
 * customer is told 10:15, not 09:58:30. A job held at an agreed time off the grid (booked by hand or
 * before this rule) keeps its time when the grid's next step would leave its window.
 */
export const APPOINTMENT_STEP_MINUTES = 15;

/** When job `j` can start for a technician who can be there at `arrive` (minutes after dayStart). */
export function startMinute(p: Problem, j: number, arrive: number): number {
  const earliest = Math.max(arrive, p.winStart[j]!);
  const step = APPOINTMENT_STEP_MINUTES;
  const onGrid = Math.ceil(earliest / step - 1e-9) * step;
  return onGrid <= p.winEnd[j]! + 1e-9 ? onGrid : earliest;
}

/** Where and when a technician's plannable day begins; replanning starts it after the work already done. */
export interface RouteStart {
  startMin: number;
  /** Node index: a job's index, or `n + t` for technician t's home base. */
  startNode: number;
  endMin: number;
  capacityLeft: number;
  available: boolean;
  /** Stops already done or under way, kept as they are, in front of the plannable part. */
  fixed: PlannedStop[];
}

export interface Problem {
  day: DispatchDay;
  /** Jobs: nodes 0 … n−1; technicians' home bases: nodes n … n+m−1. */
  n: number;
  m: number;
  km: Float64Array;
  qualified: Uint8Array;
  starts: RouteStart[];
  winStart: Float64Array;
  winEnd: Float64Array;
  sla: Float64Array;
  duration: Float64Array;
  weight: Float64Array;
  /** Per job, the technicians who are qualified and available. */
  candidates: number[][];
  /** Jobs the planners may place (the rest are fixed on routes already). */
  open: number[];
}

export interface RouteEvaluation {
  cost: number;
  km: number;
  travelMin: number;
  workMin: number;
}

const toMin = (ts: number, dayStart: number): number => (ts - dayStart) / MINUTE_MS;

export function compileProblem(
  day: DispatchDay,
  overrides: ReadonlyMap<string, Partial<RouteStart>> = new Map(),
  fixedJobIds: ReadonlySet<string> = new Set(),
): Problem {
  const n = day.jobs.length;
  const m = day.technicians.length;
  const size = n + m;
  const positions = [...day.jobs.map((j) => j.position), ...day.technicians.map((t) => t.homeBase)];
  const km = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      const d = roadKm(positions[a]!, positions[b]!);
      km[a * size + b] = d;
      km[b * size + a] = d;
    }
  }
  const starts = day.technicians.map(
    (t, i): RouteStart => ({
      startMin: t.workingHours.startMinute,
      startNode: n + i,
      endMin: t.workingHours.endMinute,
      capacityLeft: t.capacityMinutes,
      available: t.available,
      fixed: [],
      ...overrides.get(t.id),
    }),
  );
  const qualified = new Uint8Array(m * n);
  const candidates: number[][] = day.jobs.map(() => []);
  day.technicians.forEach((tech, t) => {
    day.jobs.forEach((job, j) => {
      if (isQualified(tech, job, day.dayStart)) {
        qualified[t * n + j] = 1;
        if (starts[t]!.available) candidates[j]!.push(t);
      }
    });
  });
  const field = (f: (job: DispatchJob) => number) => Float64Array.from(day.jobs, f);
  return {
    day,
    n,
    m,
    km,
    qualified,
    starts,
    winStart: field((j) => (j.window ? toMin(j.window.start, day.dayStart) : Number.NEGATIVE_INFINITY)),
    winEnd: field((j) => (j.window ? toMin(j.window.end, day.dayStart) : Number.POSITIVE_INFINITY)),
    sla: field((j) => toMin(j.slaDueAt, day.dayStart)),
    duration: field((j) => j.durationMinutes),
    weight: field((j) => priorityWeight[j.priority]),
    candidates,
    open: day.jobs.flatMap((j, i) => (fixedJobIds.has(j.id) ? [] : [i])),
  };
}

export function unassignedPenalty(p: Problem, job: number): number {
  return UNASSIGNED_PENALTY_KM * p.weight[job]!;
}

/**
 * Drives technician `t` through `route` (job indices) from their start: null when a hard constraint
 * breaks (skill or certification, appointment window, working hours, capacity), else the route's cost.
 */
export function evaluateRoute(p: Problem, t: number, route: readonly number[]): RouteEvaluation | null {
  const start = p.starts[t]!;
  if (route.length === 0) return { cost: 0, km: 0, travelMin: 0, workMin: 0 };
  if (!start.available) return null;
  const size = p.n + p.m;
  let time = start.startMin;
  let node = start.startNode;
  let km = 0;
  let work = 0;
  let missed = 0;
  for (const j of route) {
    if (p.qualified[t * p.n + j] !== 1) return null;
    const d = p.km[node * size + j]!;
    km += d;
    const begin = startMinute(p, j, time + driveMinutes(d));
    if (begin > p.winEnd[j]! + 1e-9) return null;
    const end = begin + p.duration[j]!;
    if (end > start.endMin + 1e-9) return null;
    work += p.duration[j]!;
    if (work > start.capacityLeft + 1e-9) return null;
    if (begin > p.sla[j]! + 1e-9) missed += p.weight[j]!;
    time = end;
    node = j;
  }
  km += p.km[node * size + p.n + t]!;
  const travelMin = driveMinutes(km);
  const busyHours = (work + travelMin) / 60;
  return {
    cost: km + SLA_MISS_PENALTY_KM * missed + BALANCE_KM_PER_HOUR2 * busyHours * busyHours,
    km,
    travelMin,
    workMin: work,
  };
}

/** The stops of a route with their clock times (the route must be feasible). */
export function scheduleRoute(p: Problem, t: number, route: readonly number[]): PlannedStop[] {
  const start = p.starts[t]!;
  const size = p.n + p.m;
  const at = (min: number) => Math.round(p.day.dayStart + min * MINUTE_MS);
  let time = start.startMin;
  let node = start.startNode;
  return route.map((j) => {
    const d = p.km[node * size + j]!;
    const arrive = time + driveMinutes(d);
    const begin = startMinute(p, j, arrive);
    time = begin + p.duration[j]!;
    node = j;
    return {
      jobId: p.day.jobs[j]!.id,
      arriveAt: at(arrive),
      startAt: at(begin),
      endAt: at(time),
      travelKm: round2(d),
      travelMinutes: round2(driveMinutes(d)),
      slaMet: begin <= p.sla[j]! + 1e-9,
    };
  });
}

/** Why job `j` could not be placed; see `UnassignedReason`. */
export function diagnoseUnassigned(p: Problem, j: number): UnassignedReason {
  const job = p.day.jobs[j]!;
  const skilled = p.day.technicians.filter((t) => t.skills.some((s) => s.skill === job.skill));
  if (skilled.length === 0) return 'no_skilled_technician';
  const qualified = p.day.technicians.filter((_, t) => p.qualified[t * p.n + j] === 1);
  if (qualified.length === 0) return 'certification_invalid';
  if (p.candidates[j]!.length === 0) return 'no_technician_available';
  return 'no_time_left';
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Turns planned index routes into the public plan, with its metrics. */
export function buildPlan(
  p: Problem,
  routes: readonly (readonly number[])[],
  planner: DispatchPlan['planner'],
) {
  const placed = new Set<number>();
  const techRoutes: TechnicianRoute[] = p.day.technicians.map((tech, t) => {
    const route = routes[t] ?? [];
    for (const j of route) placed.add(j);
    const start = p.starts[t]!;
    const stops = [...start.fixed, ...scheduleRoute(p, t, route)];
    let travelKm = stops.reduce((s, x) => s + x.travelKm, 0);
    if (stops.length > 0) {
      const lastNode = route.length > 0 ? route[route.length - 1]! : start.startNode;
      travelKm += p.km[lastNode * (p.n + p.m) + p.n + t]!;
    }
    const workMinutes = stops.reduce((s, x) => s + (x.endAt - x.startAt) / MINUTE_MS, 0);
    return {
      technicianId: tech.id,
      stops,
      travelKm: round2(travelKm),
      travelMinutes: round2(driveMinutes(travelKm)),
      workMinutes: Math.round(workMinutes),
    };
  });
  const fixed = new Set(p.starts.flatMap((s) => s.fixed.map((x) => x.jobId)));
  const unassigned: UnassignedJob[] = p.day.jobs.flatMap((job, j) =>
    placed.has(j) || fixed.has(job.id) ? [] : [{ jobId: job.id, reason: diagnoseUnassigned(p, j) }],
  );
  const plan: DispatchPlan = {
    planner,
    dayStart: p.day.dayStart,
    routes: techRoutes,
    unassigned,
    metrics: measurePlan(p.day, techRoutes, unassigned.length),
  };
  return plan;
}

function measurePlan(day: DispatchDay, routes: TechnicianRoute[], unassigned: number): DispatchMetrics {
  const stops = routes.flatMap((r) => r.stops);
  const slaMet = stops.filter((s) => s.slaMet).length;
  const travelKm = routes.reduce((s, r) => s + r.travelKm, 0);
  const working = routes.filter((_, t) => day.technicians[t]!.available);
  const busy = working.map((r) => r.workMinutes + r.travelMinutes);
  const mean = busy.reduce((s, x) => s + x, 0) / Math.max(1, busy.length);
  const variance = busy.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, busy.length);
  return {
    jobs: day.jobs.length,
    assigned: stops.length,
    unassigned,
    slaMet,
    slaMetPct: day.jobs.length === 0 ? 100 : round2((slaMet / day.jobs.length) * 100),
    travelKm: round2(travelKm),
    travelKmPerJob: stops.length === 0 ? 0 : round2(travelKm / stops.length),
    travelMinutes: round2(driveMinutes(travelKm)),
    techniciansUsed: routes.filter((r) => r.stops.length > 0).length,
    loadStdDevMinutes: round2(Math.sqrt(variance)),
  };
}
