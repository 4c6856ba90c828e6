import type { Technician as TechnicianRecord, Ticket } from '@aftercare/core';
import { MIN_NOTICE_HOURS } from '../automation/risk-policy.ts';
import {
  nextFillDay,
  predictiveWaitsForFill,
  teamHours,
  waitingForRouteFill,
} from '../automation/route-fill.ts';
import { DAY_MS, HOUR_MS, type Priority, type TimeWindow } from '../automation/work.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import { utcOffsetMinutes } from './local-time.ts';
import { type PlanningData, planningTechnician, planningZone } from './planning-data.ts';

/** The working hours of `technicians` (some of the network, or all of it) on each local day of `zone`. */
export function networkHours(
  technicians: readonly TechnicianRecord[],
  zone: string,
): (dayStart: number) => { startMinute: number; endMinute: number } | null {
  return (dayStart) =>
    teamHours(
      technicians.map((t) => planningTechnician(t, dayStart, utcOffsetMinutes(zone, dayStart + DAY_MS / 2))),
    );
}

/**
 * Whether predictive work opened at `now` waits for the evening route fill rather than being booked at
 * once (`predictiveWaitsForFill`): not urgent, and the fill's next run still reaches a working day of the
 * network inside its window.
 */
export async function predictiveWorkWaits(
  data: PlanningData,
  priority: Priority,
  within: TimeWindow,
  durationMinutes: number,
  now: number,
): Promise<boolean> {
  const technicians = await data.technicians();
  const zone = planningZone(technicians);
  const fillDay = nextFillDay(now, utcOffsetMinutes(zone, now));
  return predictiveWaitsForFill(priority, within, durationMinutes, fillDay, networkHours(technicians, zone));
}

/** `waitingForRouteFill` for a stored ticket (its priority named, as the API has it). */
export function ticketWaitsForRouteFill(ticket: Ticket, predictive: boolean): boolean {
  return waitingForRouteFill({ ...ticket, priority: rankOfTicketPriority[ticket.priority] }, predictive);
}

/**
 * The window predictive work waiting for the route fill may go in: from the customer's notice after its
 * ticket opened to its SLA. The backtest's replay holds released work in the same window.
 */
export function heldPredictiveWindow(ticket: Pick<Ticket, 'createdAt' | 'slaDueAt'>): TimeWindow {
  return { start: ticket.createdAt + MIN_NOTICE_HOURS * HOUR_MS, end: ticket.slaDueAt };
}
