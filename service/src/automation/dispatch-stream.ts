import { DEFAULT_MAX_DAYS, laterDayMayHelp, rankDayOptions, windowOnDay } from './dispatch-day-choice.ts';
import { appendToNearest, cheapestInsertion, heldAt, type Insertion } from './dispatch-insertion.ts';
import { compileProblem, evaluateRoute } from './dispatch-problem.ts';
import type { DispatchJob, Technician } from './dispatch-types.ts';
import { DAY_MS, localDayStart, type TimeWindow } from './work.ts';

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
 *   each day of waiting charged).
 */

/** A job of the stream: a day's job, plus the days it may go on. */
export interface StreamJob extends Omit<DispatchJob, 'window'> {
  /** When the job comes in to be planned (jobs are booked in this order). */
  arrivesAt: number;
  /** Its appointment must start inside. May span days. */
  within: TimeWindow;
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

export function replayDispatchStream(
  jobs: readonly StreamJob[],
  rule: 'greedy' | 'planner',
  options: StreamOptions,
): StreamOutcome {
  const { days, dayOf } = bookedDays(options.teamOn);
  const place = rule === 'greedy' ? appendToNearest : cheapestInsertion;
  const bookings: StreamBooking[] = [];
  const unassigned: string[] = [];
  const arrivals = [...jobs].sort((a, b) => a.arrivesAt - b.arrivesAt || a.id.localeCompare(b.id));
  for (const job of arrivals) {
    const found: (Insertion & { dayStart: number })[] = [];
    let dayStart = localDayStart(job.within.start, options.utcOffsetMin);
    const { within, arrivesAt: _arrivesAt, ...rest } = job;
    for (
      let k = 0;
      k < (options.maxDays ?? DEFAULT_MAX_DAYS) && dayStart <= within.end;
      k++, dayStart += DAY_MS
    ) {
      if (!laterDayMayHelp(found, dayStart, job.slaDueAt)) break;
      const window = windowOnDay(within, dayStart);
      if (window === null) continue;
      const day = dayOf(dayStart);
      const insertion = place(dayStart, day.team, day.routes, { ...rest, window });
      if (insertion) found.push({ ...insertion, dayStart });
      if (insertion && rule === 'greedy') break;
    }
    const choice = rankDayOptions(found, job.priority)[0];
    if (!choice) {
      unassigned.push(job.id);
      continue;
    }
    const day = days.get(choice.dayStart)!;
    day.routes[choice.technician]!.splice(choice.position, 0, { ...rest, window: heldAt(choice.startAt) });
    bookings.push({
      jobId: job.id,
      dayStart: choice.dayStart,
      technicianId: day.team[choice.technician]!.id,
      startAt: choice.startAt,
      slaMet: choice.slaMet,
    });
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
