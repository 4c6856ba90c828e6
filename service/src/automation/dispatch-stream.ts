import { partnerAmcCapacity } from './amc-schedule.ts';
import { DEFAULT_MAX_DAYS, laterDayMayHelp, rankDayOptions, windowOnDay } from './dispatch-day-choice.ts';
import { appendToNearest, cheapestInsertion, heldAt, type Insertion } from './dispatch-insertion.ts';
import { compileProblem, evaluateRoute } from './dispatch-problem.ts';
import type { DispatchJob, Technician } from './dispatch-types.ts';
import {
  type FillCandidate,
  type FillPlacement,
  fillDay,
  laterWorkingDayLeft,
  ROUTE_FILL_HOUR,
  ROUTE_FILL_LATE_DAYS,
  teamHours,
} from './route-fill.ts';
import { DAY_MS, HOUR_MS, localDayStart, type TimeWindow } from './work.ts';

/**
 * Dispatch over many days, as the work comes in: each job is booked when it arrives, before the next, onto one day and one technician, and stays booked at its time. Two rules
 * book it, on the same stream of jobs and the same technicians:
 *
 * - `greedy`, the obvious rule a dispatcher follows by hand: the earliest day that can take the job,
 *   and on it the nearest qualified technician (from where their last job of the day ends) who can
 *   still fit it at the end of their day.
 * - `planner`, what `dispatchTicket` does: on each day of the window, the place in any qualified
 *   technician's day that adds the least driving (`cheapestInsertion`, between the jobs already held at
 *   their times), then the day chosen by `rankDayOptions` (the SLA first, then the driving added with
 *   each day of waiting charged); and work held for the route fill (AMC visits, predictive work that is
 *   not urgent) fitted into each day the evening before (`fillDay`), as the platform's route fill does,
 *   AMC visits by their site's partner within its AMC share of the day.
 *
 * A job bound to a partner by its contract (`partnerId`) goes to that partner's technicians under both.
 */

/** A job of the stream: a day's job, plus the days it may go on. */
export interface StreamJob extends Omit<DispatchJob, 'window'> {
  /** When the job comes in to be planned (jobs are booked in this order). */
  arrivesAt: number;
  /** Its appointment must start inside. May span days. */
  within: TimeWindow;
  /**
   * Held for the route fill (an AMC visit, or predictive work that is not urgent, which may go on any
   * day of its window): the planner fits it
   * into a day the evening before (`fillDay`), as the platform's route fill does, instead of booking it
   * when it arrives. The greedy rule books it when it arrives, like any job.
   */
  fitsRoutes?: boolean;
  /**
   * Held work the route fill releases to the normal dispatch (predictive work,
   * `ROUTE_FILL_RELEASE_DAYS` after it began to wait): if no evening placed it before, the planner books
   * it as any job at the evening fill of this time's local day.
   */
  releaseAt?: number;
  /**
   * Only this partner's technicians may do it (an AMC visit goes to the partner servicing the site, as
   * the platform's route fill sends it), whichever rule books it.
   */
  partnerId?: string;
  /**
   * Held AMC work: the planner's fill keeps it inside its partner's AMC share of the day
   * (`StreamOptions.amcShare`), as the platform's route fill does; a visit on its last chance goes anyway.
   */
  amcShare?: boolean;
}

export interface StreamBooking {
  jobId: string;
  dayStart: number;
  technicianId: string;
  startAt: number;
  slaMet: boolean;
}

export interface StreamOutcome {
  bookings: StreamBooking[];
  /** Jobs no day of their window could take. */
  unassigned: string[];
  /** Every technician's driving summed over the days they worked: home, the jobs in order, home. */
  travelKm: number;
}

export interface StreamOptions {
  /** The technicians as they are on a local day (availability included). */
  teamOn: (dayStart: number) => readonly Technician[];
  utcOffsetMin: number;
  /** Days of a job's window tried at most (as `dispatchTicket`'s `maxDays`). */
  maxDays?: number;
  /** Share of each partner's day the fill may give AMC visits (`partnerAmcCapacity`; default 0.35). */
  amcShare?: number;
}

/** The day's team with only `partnerId`'s technicians available (all of it when none is named). */
export function teamFor(team: readonly Technician[], partnerId: string | undefined): readonly Technician[] {
  if (partnerId === undefined) return team;
  return team.map((t) => (t.partnerId === partnerId ? t : { ...t, available: false }));
}

/** Technicians' days, each with its team and one route per technician, made when first asked for. */
export interface BookedDay {
  team: readonly Technician[];
  routes: DispatchJob[][];
}

export function bookedDays(teamOn: StreamOptions['teamOn']) {
  const days = new Map<number, BookedDay>();
  const dayOf = (dayStart: number): BookedDay => {
    let day = days.get(dayStart);
    if (!day) {
      const team = teamOn(dayStart);
      day = { team, routes: team.map(() => []) };
      days.set(dayStart, day);
    }
    return day;
  };
  return { days, dayOf };
}

/** The job as a day's planning sees it, without what only the stream knows. */
export function jobOf(job: StreamJob): Omit<DispatchJob, 'window'> {
  const {
    within: _within,
    arrivesAt: _arrivesAt,
    fitsRoutes: _fits,
    releaseAt: _release,
    partnerId: _partner,
    amcShare: _share,
    ...rest
  } = job;
  return rest;
}

export function replayDispatchStream(
  jobs: readonly StreamJob[],
  rule: 'greedy' | 'planner',
  options: StreamOptions,
): StreamOutcome {
  const { days, dayOf } = bookedDays(options.teamOn);
  const place = rule === 'greedy' ? appendToNearest : cheapestInsertion;
  const bookings: StreamBooking[] = [];
  const unassigned: string[] = [];
  // The job held at its start in the technician's route, and its booking recorded.
  const hold = (job: StreamJob, dayStart: number, at: Insertion) => {
    const rest = jobOf(job);
    const day = dayOf(dayStart);
    day.routes[at.technician]!.splice(at.position, 0, { ...rest, window: heldAt(at.startAt) });
    bookings.push({
      jobId: job.id,
      dayStart,
      technicianId: day.team[at.technician]!.id,
      startAt: at.startAt,
      slaMet: at.slaMet,
    });
  };
  const book = (job: StreamJob) => {
    const found: (Insertion & { dayStart: number })[] = [];
    let dayStart = localDayStart(job.within.start, options.utcOffsetMin);
    const { within } = job;
    const rest = jobOf(job);
    for (
      let k = 0;
      k < (options.maxDays ?? DEFAULT_MAX_DAYS) && dayStart <= within.end;
      k++, dayStart += DAY_MS
    ) {
      if (!laterDayMayHelp(found, dayStart, job.slaDueAt)) break;
      const window = windowOnDay(within, dayStart);
      if (window === null) continue;
      const day = dayOf(dayStart);
      const insertion = place(dayStart, teamFor(day.team, job.partnerId), day.routes, { ...rest, window });
      if (insertion) found.push({ ...insertion, dayStart });
      if (insertion && rule === 'greedy') break;
    }
    const choice = rankDayOptions(found, job.priority)[0];
    if (!choice) {
      unassigned.push(job.id);
      return;
    }
    hold(job, choice.dayStart, choice);
  };
  const byArrival = (a: StreamJob, b: StreamJob) => a.arrivesAt - b.arrivesAt || a.id.localeCompare(b.id);
  const held = rule === 'planner' ? jobs.filter((j) => j.fitsRoutes) : [];
  const arrivals =
    rule === 'planner' ? jobs.filter((j) => !j.fitsRoutes).sort(byArrival) : [...jobs].sort(byArrival);
  if (held.length === 0) for (const job of arrivals) book(job);
  else {
    // Evening by evening: the day's arrivals are booked, then tomorrow is filled from the held work.
    const waiting = [...held].sort(byArrival);
    const amcJobs = new Set(jobs.filter((j) => j.amcShare).map((j) => j.id));
    const firstArrival = jobs.reduce((min, j) => Math.min(min, j.arrivesAt), Number.POSITIVE_INFINITY);
    const lastEnd = held.reduce((max, j) => Math.max(max, j.within.end), Number.NEGATIVE_INFINITY);
    const firstDay = localDayStart(firstArrival, options.utcOffsetMin) + DAY_MS;
    const lastDay = localDayStart(lastEnd, options.utcOffsetMin);
    let next = 0;
    for (let dayStart = firstDay; dayStart <= lastDay && waiting.length > 0; dayStart += DAY_MS) {
      const evening = dayStart - DAY_MS + ROUTE_FILL_HOUR * HOUR_MS;
      while (next < arrivals.length && arrivals[next]!.arrivesAt < evening) book(arrivals[next++]!);
      for (const job of fillHeldWork(dayStart, evening, waiting, dayOf(dayStart), amcJobs, options)) {
        waiting.splice(waiting.indexOf(job.job), 1);
        if (job.placement === null) {
          // Its last day came and nobody could fit it: done as soon as it can be, late.
          book({ ...job.job, within: { start: dayStart, end: dayStart + ROUTE_FILL_LATE_DAYS * DAY_MS } });
          continue;
        }
        hold(job.job, dayStart, job.placement.insertion);
      }
      // Work released at this evening's fill: booked as any job, from the day filled on.
      const today = dayStart - DAY_MS;
      for (const job of waiting.filter(
        (j) => j.releaseAt !== undefined && localDayStart(j.releaseAt, options.utcOffsetMin) <= today,
      )) {
        waiting.splice(waiting.indexOf(job), 1);
        book({ ...job, within: { start: Math.max(job.within.start, dayStart), end: job.within.end } });
      }
    }
    while (next < arrivals.length) book(arrivals[next++]!);
    for (const job of waiting) book(job);
  }
  let travelKm = 0;
  for (const [dayStart, day] of days)
    day.routes.forEach((route, t) => {
      if (route.length === 0) return;
      const p = compileProblem({ dayStart, technicians: [day.team[t]!], jobs: route });
      travelKm += evaluateRoute(
        p,
        0,
        route.map((_, i) => i),
      )!.km;
    });
  return { bookings, unassigned, travelKm };
}

/**
 * The held jobs that go on `dayStart`, filled the evening before (`fillDay`): those known by
 * `evening` whose window reaches the day. A job on its last chance that nobody could fit comes back
 * with a null placement.
 */
function fillHeldWork(
  dayStart: number,
  evening: number,
  waiting: readonly StreamJob[],
  day: BookedDay,
  /** The AMC jobs (held or not): their minutes count against their technician's partner's share. */
  amcJobs: ReadonlySet<string>,
  options: StreamOptions,
): { job: StreamJob; placement: FillPlacement | null }[] {
  const works = (d: number, partnerId: string | undefined) =>
    teamHours(teamFor(options.teamOn(d), partnerId));
  const partnerTeams = new Map<string, Set<string>>();
  for (const t of day.team)
    partnerTeams.set(t.partnerId, (partnerTeams.get(t.partnerId) ?? new Set()).add(t.id));
  const candidates = waiting.flatMap((job): FillCandidate[] => {
    const window = windowOnDay(job.within, dayStart);
    if (job.arrivesAt > evening || window === null) return [];
    const lastChance = !laterWorkingDayLeft(dayStart, job.within, job.durationMinutes, (d) =>
      works(d, job.partnerId),
    );
    const partner =
      job.partnerId === undefined
        ? {}
        : {
            technicianIds: partnerTeams.get(job.partnerId) ?? new Set<string>(),
            ...(job.amcShare ? { budget: job.partnerId } : {}),
          };
    return [{ id: job.id, job: { ...jobOf(job), window }, lastChance, ...partner }];
  });
  // Each partner's AMC share of the day, less the AMC work its technicians already hold on it.
  const budgets = new Map(
    partnerAmcCapacity(day.team, options.amcShare).map((c) => [c.partnerId, c.amcMinutesPerDay]),
  );
  day.routes.forEach((route, t) => {
    const partnerId = day.team[t]!.partnerId;
    for (const job of route)
      if (amcJobs.has(job.id) && budgets.has(partnerId))
        budgets.set(partnerId, budgets.get(partnerId)! - job.durationMinutes);
  });
  // In the order they were placed: each insertion is into the day as the ones before it left it.
  const placed: { job: StreamJob; placement: FillPlacement | null }[] = fillDay(
    dayStart,
    day.team,
    day.routes,
    candidates,
    { budgets },
  ).map((placement) => ({ job: waiting.find((j) => j.id === placement.id)!, placement }));
  for (const candidate of candidates)
    if (candidate.lastChance && !placed.some((p) => p.job.id === candidate.id))
      placed.push({ job: waiting.find((j) => j.id === candidate.id)!, placement: null });
  // A window that closed before any evening could fill it (it was known too late) goes late too.
  for (const job of waiting)
    if (job.arrivesAt <= evening && job.within.end <= dayStart && !placed.some((p) => p.job === job))
      placed.push({ job, placement: null });
  return placed;
}
