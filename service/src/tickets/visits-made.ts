import { type Slot, slotAfter, type TicketStatus, technicianAfter } from '@aftercare/core';

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
  action: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  /** What the step's data names (a booking's technician and appointment): `technicianNamed`, `slotNamed`. */
  technicianId: string | null;
  slot: Slot | null;
}

/**
 * The visits a ticket's audit log records: each arrival on site up to the step that left it, with the
 * technician and slot booked then (`technicianAfter`, `slotAfter`). A visit that seems to end before
 * it began (a service clock stepped back) ends when it began.
 */
export function visitsMade(steps: readonly VisitLogStep[]): VisitMade[] {
  const visits: VisitMade[] = [];
  let technicianId: string | null = null;
  let booked: Slot | null = null;
  let current: VisitMade | null = null;
  for (const step of steps) {
    technicianId = technicianAfter(step, step.technicianId, technicianId);
    booked = slotAfter(step, step.slot, booked);
    if (step.fromStatus === step.toStatus) continue;
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
