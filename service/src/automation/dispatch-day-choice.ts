import { DAY_MS, type Priority, priorityWeight, type TimeWindow } from './work.ts';

/**
 * Driving a later day must save, per unit of priority weight (P4 = 1, P3 = 2, P2 = 4), for the job to
 * wait a day: 2 km for a P4 job, 4 for P3, 8 for P2. Waiting is never free (the customer waits, the
 * fault grows), and the more urgent the job the less a shorter drive is worth a day. An urgent (P1) job
 * never waits.
 */
export const KM_PER_DAY_LATER_PER_WEIGHT = 2;

/** One way of doing a job: on a day, with the driving it adds to that day, and whether it meets the SLA. */
export interface DayOption {
  /** Start of the local day. */
  dayStart: number;
  /** Driving the job adds to the day as it is already planned (km). */
  marginalKm: number;
  slaMet: boolean;
}

/** The days of a job's window tried at most (the longest response time, P4, is 10 days). */
export const DEFAULT_MAX_DAYS = 10;

/** The part of a job's window `within` on the local day starting at `dayStart`; null when none is. */
export function windowOnDay(within: TimeWindow, dayStart: number): TimeWindow | null {
  const start = Math.max(within.start, dayStart);
  const end = Math.min(within.end, dayStart + DAY_MS);
  return end > start ? { start, end } : null;
}

/**
 * Whether the day starting at `dayStart` is worth trying after the options `found` on earlier days: a
 * later day cannot meet an SLA that an earlier day already meets (once past the SLA) or already misses.
 */
export function laterDayMayHelp(found: readonly DayOption[], dayStart: number, slaDueAt: number): boolean {
  if (found.some((f) => !f.slaMet)) return false;
  return found.length === 0 || dayStart <= slaDueAt;
}

/** What choosing `option` costs, in km, against the earliest day offered. */
function dayOptionCost(option: DayOption, firstDayStart: number, priority: Priority): number {
  const daysLater = Math.max(0, Math.round((option.dayStart - firstDayStart) / DAY_MS));
  return option.marginalKm + KM_PER_DAY_LATER_PER_WEIGHT * priorityWeight[priority] * daysLater;
}

/**
 * Orders the ways of doing a job, best first: a day that meets the SLA before any that does not; among
 * those, the least added driving once each day of waiting is charged (`dayOptionCost`), so a job joins
 * a day on which a technician already works nearby when that saves more than the wait costs; the
 * earlier day on a tie. An urgent (P1) job takes the first day that meets the SLA. Without an option
 * that meets the SLA the earliest comes first: a late job is done as soon as it can be.
 */
export function rankDayOptions<T extends DayOption>(options: readonly T[], priority: Priority): T[] {
  if (options.length === 0) return [];
  const first = Math.min(...options.map((o) => o.dayStart));
  const cost = new Map(options.map((o) => [o, dayOptionCost(o, first, priority)]));
  return [...options].sort((a, b) => {
    if (a.slaMet !== b.slaMet) return a.slaMet ? -1 : 1;
    if (!a.slaMet || priority === 1) return a.dayStart - b.dayStart;
    return cost.get(a)! - cost.get(b)! || a.dayStart - b.dayStart;
  });
}
