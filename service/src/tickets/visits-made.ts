import type { Slot, TicketStatus } from '@aftercare/core';

/**
 * A visit as it was made: when the work on site began, when it stopped (null while under way), who
 * made it and the slot the customer was told (as booked at the time; null when no booking names them).
 */
export interface VisitMade {
  start: number;
  end: number | null;
  technicianId: string | null;
  booked: Slot | null;
}

/** A step of the ticket's audit log, in version order: what visits are told from. */
export interface VisitLogStep {
  at: number;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  /** The technician a booking step (assigned, reassigned, scheduled) gave the ticket to. */
  technicianId?: string | null | undefined;
  /** The appointment a booking step gave the ticket. */
  slot?: Slot | undefined;
}

/**
 * The visits a ticket's audit log records: each arrival on site up to the step that left it. A
 * reopened ticket gives up its technician, so a visit after it is the next booking's. A visit that
 * seems to end before it began (a service clock stepped back) ends when it began.
 */
export function visitsMade(steps: readonly VisitLogStep[]): VisitMade[] {
  const visits: VisitMade[] = [];
  let technicianId: string | null = null;
  let booked: Slot | null = null;
  let current: VisitMade | null = null;
  for (const step of steps) {
    if (step.technicianId !== undefined) technicianId = step.technicianId;
    if (step.slot !== undefined) booked = step.slot;
    if (step.fromStatus === step.toStatus) continue;
    if (step.toStatus === 'open') {
      technicianId = null;
      booked = null;
    }
    if (step.toStatus === 'on_site') {
      current = { start: step.at, end: null, technicianId, booked };
      visits.push(current);
    } else if (step.fromStatus === 'on_site' && current !== null) {
      current.end = Math.max(current.start, step.at);
      current = null;
    }
  }
  return visits;
}
