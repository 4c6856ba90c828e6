import { cheapestInsertion, heldAt, type Insertion } from './dispatch-insertion.ts';
import { type DispatchJob, isQualified, type Technician } from './dispatch-types.ts';
import { roadKm } from './geo.ts';
import { DAY_MS, HOUR_MS, localDayStart, MINUTE_MS, type Priority, type TimeWindow } from './work.ts';

/**
 * Work that may go on any day of a long window (an AMC visit: the contract entitles the customer to a
 * visit inside the window, not on a set day; predictive work that is not urgent, due within days) is held back and fitted into a day's routes the evening
 * before, when the day's other work is known: it joins a technician who is in the area anyway. A held
 * job goes when it adds at most `ROUTE_FILL_MAX_SHARE` of what a trip of its own would drive (or no
 * more than `ROUTE_FILL_FREE_KM`), or on the last working day its window leaves, whatever it costs then.
 *
 * Evening-before rather than at booking: a visit booked two weeks ahead onto a fixed day sees none of
 * the repairs that will come up near it, and those are what it could ride along with.
 */

/** Local hour of the evening the next day is filled (the platform's route-fill cron, the backtest's replay). */
export const ROUTE_FILL_HOUR = 19;

/** Share of a trip of its own a held job may add to a day and still go before its last chance. */
export const ROUTE_FILL_MAX_SHARE = 0.35;

/**
 * Driving (km) a held job may always add: waiting for a better day cannot save much on a visit that
 * close to a technician's day, and the customer has it sooner.
 */
export const ROUTE_FILL_FREE_KM = 5;

/** A held job whose window closed without a place is still done within this many days, late. */
export const ROUTE_FILL_LATE_DAYS = 7;

/**
 * Predictive work this urgent or less (P3: due within 5 days, P4: within 10) waits for the route fill
 * instead of being booked when its ticket opens: its window leaves days to choose from, and its part is
 * sourced at once all the same. Anything more urgent is booked at once, as a customer's report is.
 */
export const ROUTE_FILL_FROM_PRIORITY: Priority = 3;

/**
 * Local days held predictive work waits for a technician to pass nearby before the normal dispatch books
 * it (the planner's day and place, waiting charged as for any job): its risk stays with the customer
 * while it waits, and the fill's gain lies in the first days of the window, when the day's work nearby
 * is still coming in. AMC visits are not released: their window is the contract's, weeks long.
 */
export const ROUTE_FILL_RELEASE_DAYS = 2;

/**
 * Whether predictive work held since `heldSince` goes to the normal dispatch at the route fill's run at
 * `now` (after that run's own placements): `releaseDays` local days have passed since it began to wait.
 */
export function releasedFromFill(
  heldSince: number,
  now: number,
  utcOffsetMin: number,
  releaseDays = ROUTE_FILL_RELEASE_DAYS,
): boolean {
  const days = Math.round(
    (localDayStart(now, utcOffsetMin) - localDayStart(heldSince, utcOffsetMin)) / DAY_MS,
  );
  return days >= releaseDays;
}

/** What says whether a ticket waits for the route fill. */
export interface RouteFillTicket {
  kind: 'predictive' | 'corrective' | 'amc_visit' | 'installation';
  status: string;
  technicianId: string | null;
  /** Null for an AMC visit that carries no predictive work. */
  failureMode: string | null;
  priority: Priority;
}

/**
 * Whether the route fill gives this ticket its day: open and nobody's yet, and an AMC visit that carries
 * no predictive work (that goes with the repair's urgency), or, when the fill takes `predictive` work
 * (`AFTERCARE_PREDICTIVE_ROUTE_FILL`), predictive work that is not urgent.
 */
export function waitingForRouteFill(t: RouteFillTicket, predictive: boolean): boolean {
  if (t.status !== 'open' || t.technicianId !== null) return false;
  if (t.kind === 'amc_visit') return t.failureMode === null;
  return (
    predictive && t.kind === 'predictive' && t.failureMode !== null && t.priority >= ROUTE_FILL_FROM_PRIORITY
  );
}

/** The local day the next route-fill run fills: tomorrow before the evening's run, else the day after. */
export function nextFillDay(now: number, utcOffsetMin: number): number {
  const today = localDayStart(now, utcOffsetMin);
  return now < today + ROUTE_FILL_HOUR * HOUR_MS ? today + DAY_MS : today + 2 * DAY_MS;
}

/**
 * Whether predictive work of `priority`, to start inside `within`, waits for the route fill: it is not
 * urgent, and a working day (by `works`) from the next run's `fillDay` on still has room for it, so the
 * fill can reach it before its window closes.
 */
export function predictiveWaitsForFill(
  priority: Priority,
  within: TimeWindow,
  durationMinutes: number,
  fillDay: number,
  works: (dayStart: number) => { startMinute: number; endMinute: number } | null,
): boolean {
  return (
    priority >= ROUTE_FILL_FROM_PRIORITY &&
    laterWorkingDayLeft(fillDay - DAY_MS, within, durationMinutes, works)
  );
}

/** A held job that could go on the day being filled. */
export interface FillCandidate {
  id: string;
  /** The job on that day (its window is the part of its own window that falls on the day). */
  job: DispatchJob;
  /** Only these technicians (an AMC visit goes to the partner servicing the site); all when absent. */
  technicianIds?: ReadonlySet<string>;
  /** No later working day of its window is left: it goes on this day if anyone can fit it. */
  lastChance: boolean;
  /**
   * The budget of minutes it draws on (`FillOptions.budgets`; an AMC visit: its partner's share of the
   * day kept for AMC work). Unlimited when absent.
   */
  budget?: string;
}

export interface FillOptions {
  /** Share of a trip of its own a job may add and still go before its last chance. */
  maxShare?: number;
  /**
   * Minutes each budget has left on the day. A job that would overdraw its budget waits for another
   * day, unless it is on its last chance (it goes, and the budget goes below zero).
   */
  budgets?: ReadonlyMap<string, number>;
}

export interface FillPlacement {
  id: string;
  /** Where it goes; `technician` indexes the team. */
  insertion: Insertion;
  /** What a trip of its own would drive: the nearest qualified technician's home and back (km). */
  ownTripKm: number;
  lastChance: boolean;
}

/**
 * The held jobs that go on the day starting at `dayStart`, in the order they were placed, each into
 * `routes` as they are then (the day's booked work, in time order per technician; not modified). Jobs
 * on their last chance go first, then, while any qualifies, the one that adds the smallest share of its
 * own trip: two visits in the same street go together once the first is placed.
 */
export function fillDay(
  dayStart: number,
  team: readonly Technician[],
  routes: readonly (readonly DispatchJob[])[],
  candidates: readonly FillCandidate[],
  options: FillOptions = {},
): FillPlacement[] {
  const maxShare = options.maxShare ?? ROUTE_FILL_MAX_SHARE;
  const budgets = new Map(options.budgets);
  const working = team.map((_, t) => [...(routes[t] ?? [])]);
  const left = [...candidates];
  const placed: FillPlacement[] = [];
  const overdraws = (c: FillCandidate) =>
    c.budget !== undefined && budgets.has(c.budget) && c.job.durationMinutes > budgets.get(c.budget)!;
  for (;;) {
    let best: (FillPlacement & { share: number; index: number }) | null = null;
    for (const [index, candidate] of left.entries()) {
      if (!candidate.lastChance && overdraws(candidate)) continue;
      const allowed = team.map((tech) => ({
        ...tech,
        available: tech.available && (candidate.technicianIds?.has(tech.id) ?? true),
      }));
      const ownTripKm = ownTrip(dayStart, allowed, candidate.job);
      if (ownTripKm === null) continue;
      const insertion = cheapestInsertion(dayStart, allowed, working, candidate.job);
      if (!insertion) continue;
      // A technician who lives at the door drives almost nothing either way: a km is the least counted.
      const share = insertion.marginalKm / Math.max(1, ownTripKm);
      if (!candidate.lastChance && share > maxShare && insertion.marginalKm > ROUTE_FILL_FREE_KM) continue;
      const rank = candidate.lastChance ? -1 : share;
      if (best === null || rank < best.share)
        best = {
          id: candidate.id,
          insertion,
          ownTripKm,
          lastChance: candidate.lastChance,
          share: rank,
          index,
        };
    }
    if (best === null) return placed;
    const { share: _share, index, ...placement } = best;
    const [taken] = left.splice(index, 1);
    const job = taken!.job;
    if (taken!.budget !== undefined && budgets.has(taken!.budget))
      budgets.set(taken!.budget, budgets.get(taken!.budget)! - job.durationMinutes);
    working[placement.insertion.technician]!.splice(placement.insertion.position, 0, {
      ...job,
      window: heldAt(placement.insertion.startAt),
    });
    placed.push(placement);
  }
}

/** Home, the job, home, for the nearest available qualified technician; null when there is none. */
function ownTrip(dayStart: number, team: readonly Technician[], job: DispatchJob): number | null {
  let nearest: number | null = null;
  for (const tech of team) {
    if (!tech.available || !isQualified(tech, job, dayStart)) continue;
    const km = roadKm(tech.homeBase, job.position);
    if (nearest === null || km < nearest) nearest = km;
  }
  return nearest === null ? null : 2 * nearest;
}

/** The hours some available member of `team` works on its day (earliest start, latest end); null when nobody does. */
export function teamHours(team: readonly Technician[]): { startMinute: number; endMinute: number } | null {
  const hours = team.flatMap((t) => (t.available ? [t.workingHours] : []));
  if (hours.length === 0) return null;
  return {
    startMinute: Math.min(...hours.map((h) => h.startMinute)),
    endMinute: Math.max(...hours.map((h) => h.endMinute)),
  };
}

/** Driving allowed for before a visit when judging whether a later day still has room for it. */
const TRAVEL_ALLOWANCE_MINUTES = 30;

/**
 * Whether a job whose window is `within` and that takes `durationMinutes` still has a working day
 * after the one starting at `dayStart`: a day on which `works` gives working hours (minutes after
 * midnight) and the window leaves room inside them for the drive there and the job.
 */
export function laterWorkingDayLeft(
  dayStart: number,
  within: TimeWindow,
  durationMinutes: number,
  works: (dayStart: number) => { startMinute: number; endMinute: number } | null,
): boolean {
  for (let day = dayStart + DAY_MS; day < within.end; day += DAY_MS) {
    const hours = works(day);
    if (hours === null) continue;
    const earliest = Math.max(day + (hours.startMinute + TRAVEL_ALLOWANCE_MINUTES) * MINUTE_MS, within.start);
    const latestEnd = Math.min(day + hours.endMinute * MINUTE_MS, within.end + durationMinutes * MINUTE_MS);
    // `within` bounds the start; the job must also end inside the working day.
    if (earliest <= within.end && earliest + durationMinutes * MINUTE_MS <= latestEnd) return true;
  }
  return false;
}
