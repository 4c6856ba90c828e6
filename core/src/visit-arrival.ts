/**
 * When work on a visit began against the slot booked for it. A start within `ON_TIME_MINUTES` of
 * the booked start is on time; earlier, the customer was not expecting anyone yet (or the visit was
 * reported as begun when it was not); later, they waited. The ticket's timeline says it of every
 * start, and the KPIs count the first visit of each job.
 */

export const ON_TIME_MINUTES = 30;

export type Arrival = 'early' | 'on_time' | 'late';

export function arrivalAgainstSlot(startedAt: number, slot: { start: number }): Arrival {
  const slack = ON_TIME_MINUTES * 60_000;
  if (startedAt < slot.start - slack) return 'early';
  if (startedAt > slot.start + slack) return 'late';
  return 'on_time';
}
