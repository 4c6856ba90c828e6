import { DEFAULT_MAX_DAYS, KM_PER_DAY_LATER_PER_WEIGHT, windowOnDay } from './dispatch-day-choice.ts';
import { cheapestInsertion } from './dispatch-insertion.ts';
import { planDispatch } from './dispatch-plan.ts';
import { compileProblem, evaluateRoute, scheduleRoute } from './dispatch-problem.ts';
import {
  type BookedDay,
  bookedDays,
  jobOf,
  type StreamBooking,
  type StreamJob,
  type StreamOptions,
  type StreamOutcome,
  teamFor,
} from './dispatch-stream.ts';
import type { DispatchJob, Technician } from './dispatch-types.ts';
import { DAY_MS, localDayStart, priorityWeight } from './work.ts';

/**
 * A reference, not a rule anyone can run: the stream's jobs planned with hindsight, as if every visit
 * of the run had been known from its first day. It starts from an online outcome (the planner's) and
 * improves it while no job leaves its window, no job that met its SLA misses it, and each day a job
 * waits past the start of its window is charged as `rankDayOptions` charges it (an urgent job, or
 * one the planner could only do late, does not wait at all). Two moves, until
 * neither pays: re-plan a whole day (`planDispatch`, times free inside the windows), and move one job
 * to the day and place, over its whole window, that adds the least driving. The gap between the online
 * planner and this is what knowing the future work would be worth; what the online rule could still
 * gain without it is less. It keeps each AMC visit with its partner but not within the partner's AMC
 * share of a day, which the online route fill keeps to: a slightly looser bound.
 */

export interface HindsightOptions extends StreamOptions {
  /** Rounds of alternating day re-plans and single-job moves at most. */
  passes?: number;
  /** Ruin-and-recreate rounds of each day's re-plan. */
  improvementRounds?: number;
  /**
   * No job goes on a later day than the online outcome booked it: the saving that knowing the future
   * brings without any customer waiting longer. Without it, waiting is only charged (`rankDayOptions`).
   */
  noLaterThanOnline?: boolean;
}

export function hindsightDispatch(
  jobs: readonly StreamJob[],
  online: StreamOutcome,
  options: HindsightOptions,
): StreamOutcome {
  // A held job whose window closed with no day for it was done late, after its window, as soon as it
  // could be (`replayDispatchStream`): here too it may go on any day up to the one it was done on.
  const doneOn = new Map(online.bookings.map((b) => [b.jobId, b]));
  const asDone = jobs.map((j): StreamJob => {
    const b = doneOn.get(j.id);
    return b === undefined || b.startAt <= j.within.end
      ? j
      : { ...j, within: { start: j.within.start, end: b.dayStart + DAY_MS } };
  });
  const byId = new Map(asDone.map((j) => [j.id, j]));
  const mustMeetSla = new Set(online.bookings.filter((b) => b.slaMet).map((b) => b.jobId));
  const onlineDay = new Map(online.bookings.map((b) => [b.jobId, b.dayStart]));
  const { days, dayOf } = bookedDays(options.teamOn);
  // A job on a day may start anywhere in its window there: hindsight holds no appointment.
  const onDay = (job: StreamJob, dayStart: number): DispatchJob => {
    return { ...jobOf(job), window: windowOnDay(job.within, dayStart) ?? job.within };
  };
  const firstDay = (job: StreamJob) => localDayStart(job.within.start, options.utcOffsetMin);
  // Work held for the route fill may go on any day of its window: waiting inside it costs nothing.
  const waitingKm = (job: StreamJob, dayStart: number) =>
    (job.fitsRoutes ? 0 : KM_PER_DAY_LATER_PER_WEIGHT) *
    priorityWeight[job.priority] *
    Math.max(0, Math.round((dayStart - firstDay(job)) / DAY_MS));

  for (const b of [...online.bookings].sort((x, y) => x.startAt - y.startAt)) {
    const day = dayOf(b.dayStart);
    day.routes[day.team.findIndex((t) => t.id === b.technicianId)]!.push(
      onDay(byId.get(b.jobId)!, b.dayStart),
    );
  }

  const passes = options.passes ?? 4;
  for (let pass = 0; pass < passes; pass++) {
    let improved = false;
    for (const [dayStart, day] of days)
      improved = replanDay(dayStart, day, mustMeetSla, byId, options, pass) || improved;
    for (const job of asDone) {
      const at = locate(days, job.id);
      if (!at) continue;
      const from = days.get(at.dayStart)!;
      const route = from.routes[at.technician]!;
      const before = routeKm(at.dayStart, from.team[at.technician]!, route);
      const [removed] = route.splice(at.position, 1);
      const current =
        before - routeKm(at.dayStart, from.team[at.technician]!, route) + waitingKm(job, at.dayStart);
      let best: { dayStart: number; technician: number; position: number; cost: number } | null = null;
      // As `rankDayOptions`: an urgent (P1) job, or one the planner could only do late, never waits.
      const mayWait = !options.noLaterThanOnline && job.priority !== 1 && mustMeetSla.has(job.id);
      const lastDay = Math.min(
        job.fitsRoutes
          ? job.within.end
          : firstDay(job) + ((options.maxDays ?? DEFAULT_MAX_DAYS) - 1) * DAY_MS,
        mayWait ? Number.POSITIVE_INFINITY : (onlineDay.get(job.id) ?? at.dayStart),
      );
      for (let dayStart = firstDay(job); dayStart <= Math.min(job.within.end, lastDay); dayStart += DAY_MS) {
        if (windowOnDay(job.within, dayStart) === null) continue;
        const day = dayOf(dayStart);
        const place = cheapestInsertion(
          dayStart,
          teamFor(day.team, job.partnerId),
          day.routes,
          onDay(job, dayStart),
        );
        // Nor may it push a stop after it past an SLA that stop meets.
        if (!place || (mustMeetSla.has(job.id) && !place.slaMet) || place.missesCaused > 0) continue;
        const cost = place.marginalKm + waitingKm(job, dayStart);
        if (best === null || cost < best.cost - 1e-9) best = { dayStart, ...place, cost };
      }
      if (best !== null && best.cost < current - 0.01) {
        dayOf(best.dayStart).routes[best.technician]!.splice(best.position, 0, onDay(job, best.dayStart));
        improved = true;
      } else route.splice(at.position, 0, removed!);
    }
    if (!improved) break;
  }
  return outcomeOf(days, online.unassigned);
}

/** Re-plans a day from scratch; kept only when it drives less and every job that must meet its SLA does. */
function replanDay(
  dayStart: number,
  day: BookedDay,
  mustMeetSla: ReadonlySet<string>,
  /** The stream's jobs by id: a job with a `partnerId` is that partner's technicians' only. */
  streamJobs: ReadonlyMap<string, StreamJob>,
  options: HindsightOptions,
  pass: number,
): boolean {
  const jobs = day.routes.flat();
  if (jobs.length < 2) return false;
  const plan = planDispatch(
    { dayStart, technicians: day.team, jobs },
    { seed: pass + 1, improvementRounds: options.improvementRounds ?? 60 },
  );
  if (plan.unassigned.length > 0) return false;
  if (plan.routes.some((r) => r.stops.some((s) => !s.slaMet && mustMeetSla.has(s.jobId)))) return false;
  // The day planner knows skills, not contracts: a plan that gives a partner's job to another is dropped.
  const partnerOfTechnician = new Map(day.team.map((t) => [t.id, t.partnerId]));
  if (
    plan.routes.some((r) =>
      r.stops.some((s) => {
        const partnerId = streamJobs.get(s.jobId)?.partnerId;
        return partnerId !== undefined && partnerId !== partnerOfTechnician.get(r.technicianId);
      }),
    )
  )
    return false;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const routes = plan.routes.map((r) => r.stops.map((s) => byId.get(s.jobId)!));
  const km = (rs: DispatchJob[][]) => rs.reduce((s, r, t) => s + routeKm(dayStart, day.team[t]!, r), 0);
  if (km(routes) >= km(day.routes) - 1e-6) return false;
  day.routes = routes;
  return true;
}

function locate(days: ReadonlyMap<number, BookedDay>, jobId: string) {
  for (const [dayStart, day] of days)
    for (const [technician, route] of day.routes.entries()) {
      const position = route.findIndex((j) => j.id === jobId);
      if (position >= 0) return { dayStart, technician, position };
    }
  return null;
}

function routeKm(dayStart: number, technician: Technician, route: readonly DispatchJob[]): number {
  if (route.length === 0) return 0;
  const p = compileProblem({ dayStart, technicians: [technician], jobs: route });
  const evaluated = evaluateRoute(
    p,
    0,
    route.map((_, i) => i),
  );
  if (!evaluated)
    throw new Error(`hindsight left an infeasible route on ${new Date(dayStart).toISOString()}`);
  return evaluated.km;
}

function outcomeOf(days: ReadonlyMap<number, BookedDay>, unassigned: readonly string[]): StreamOutcome {
  const bookings: StreamBooking[] = [];
  let travelKm = 0;
  for (const [dayStart, day] of days)
    day.routes.forEach((route, t) => {
      if (route.length === 0) return;
      const technician = day.team[t]!;
      travelKm += routeKm(dayStart, technician, route);
      const p = compileProblem({ dayStart, technicians: [technician], jobs: route });
      for (const stop of scheduleRoute(
        p,
        0,
        route.map((_, i) => i),
      ))
        bookings.push({
          jobId: stop.jobId,
          dayStart,
          technicianId: technician.id,
          startAt: stop.startAt,
          slaMet: stop.slaMet,
        });
    });
  return { bookings, unassigned: [...unassigned], travelKm };
}
