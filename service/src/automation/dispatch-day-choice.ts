import { DAY_MS, type Priority, priorityWeight } from './work.ts';

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

/** What choosing `option` costs, in km, against the earliest day offered. */
export function dayOptionCost(option: DayOption, firstDayStart: number, priority: Priority): number {
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
