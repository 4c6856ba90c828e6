import { hashString, mixSeed, Rng } from '@aftercare/core';
import { localDayStart, MINUTE_MS } from '../automation/work.ts';
import type { HistoryTechnician } from './demo-seed-history-jobs.ts';

const QUARTER_MS = 15 * MINUTE_MS;

/**
 * Share of a technician's visits begun late, at most: each technician draws their own, from
 * `latenessShare.min` to `latenessShare.max`, so the partners' on-time figures differ as real ones do.
 */
export const latenessShare = { min: 0.04, max: 0.18 } as const;

/** How late a late arrival is, in minutes past the slot: beyond the on-time slack (30 minutes). */
export const lateArrivalMinutes = { min: 35, max: 80 } as const;

/** How far an arrival on time lies from its slot, in minutes (negative: before it). */
export const onTimeArrivalMinutes = { min: -12, max: 18 } as const;

/**
 * The slot a history visit that began at `arrival` had been booked for. Technicians do not begin every
 * visit on the minute booked: most arrive within a quarter hour of it either side, and some run late,
 * more of them as the day goes on and delays add up (the first visit of the morning rarely is). The
 * arrival is the simulator's repair time and stays where it is, so that telemetry and ticket agree;
 * the slot is placed around it instead, on a quarter hour inside the technician's working hours, as a
 * planner books. Draws come from `seed`, the technician and the arrival, so a history written again
 * books the same slots whatever order its jobs run in. A slot is never earlier than the booking
 * (`bookedAt`): a visit booked shortly before it began was booked for when it began.
 */
export function bookedSlotStart(
  technician: HistoryTechnician,
  arrival: number,
  bookedAt: number,
  seed: number,
): number {
  const { startMinute, endMinute, utcOffsetMin } = technician.workingHours;
  const dayStart = localDayStart(arrival, utcOffsetMin);
  const opens = dayStart + startMinute * MINUTE_MS;
  const closes = dayStart + endMinute * MINUTE_MS;
  const share =
    latenessShare.min +
    (latenessShare.max - latenessShare.min) * new Rng(mixSeed(seed, hashString(technician.id))).next();
  const dayGone = closes > opens ? Math.min(1, Math.max(0, (arrival - opens) / (closes - opens))) : 0;
  const draw = new Rng(mixSeed(seed, hashString(technician.id), arrival));
  const late = draw.next() < share * (0.4 + 1.2 * dayGone);
  const slot = late
    ? // Down to the quarter: a late arrival stays at least as late as drawn.
      Math.floor(
        (arrival - draw.uniform(lateArrivalMinutes.min, lateArrivalMinutes.max) * MINUTE_MS) / QUARTER_MS,
      ) * QUARTER_MS
    : Math.round(
        (arrival - draw.uniform(onTimeArrivalMinutes.min, onTimeArrivalMinutes.max) * MINUTE_MS) / QUARTER_MS,
      ) * QUARTER_MS;
  const earliest = Math.max(opens, Math.ceil(bookedAt / QUARTER_MS) * QUARTER_MS);
  return slot >= earliest ? slot : Math.min(earliest, arrival);
}
