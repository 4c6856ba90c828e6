/** Vocabulary shared by the automation's planners: time units, windows and priorities. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A span of time, epoch ms, `start` ≤ `end`. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** 1 = act now … 4 = routine. */
export type Priority = 1 | 2 | 3 | 4;

/**
 * How much a job of each priority weighs when a planner has to trade one job against another (an SLA
 * miss or an unassigned job costs its weight times the planner's penalty).
 */
export const priorityWeight: Readonly<Record<Priority, number>> = { 1: 8, 2: 4, 3: 2, 4: 1 };

/** Start of the local day that contains `ts`, epoch ms, for a region `utcOffsetMin` ahead of UTC. */
export function localDayStart(ts: number, utcOffsetMin: number): number {
  const offset = utcOffsetMin * MINUTE_MS;
  return Math.floor((ts + offset) / DAY_MS) * DAY_MS - offset;
}
