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

/** A booked visit's slot. */
export interface Slot {
  start: number;
  end: number;
}

/** The audit steps that book a slot: their data names the appointment. */
export const slotBookingActions: ReadonlySet<string> = new Set(['assigned', 'reassigned', 'scheduled']);

/** The appointment an audit entry's data names, if it names a whole one. */
export function slotNamed(data: unknown): Slot | null {
  const appointment = (data as { appointment?: { start?: unknown; end?: unknown } } | null)?.appointment;
  const { start, end } = appointment ?? {};
  return typeof start === 'number' &&
    Number.isFinite(start) &&
    typeof end === 'number' &&
    Number.isFinite(end)
    ? { start, end }
    : null;
}

/**
 * The slot booked once an audit step is taken, from the one before: a booking step sets it, the
 * ticket going back to open or being fixed remotely (both give up the appointment) clears it.
 * `named` is the step's `slotNamed(data)`, read only for booking steps by callers that pay to parse.
 */
export function slotAfter(
  step: { action: string; toStatus: string },
  named: Slot | null,
  before: Slot | null,
): Slot | null {
  if (slotBookingActions.has(step.action) && named) return named;
  if (step.toStatus === 'open' || step.action === 'resolved_remotely') return null;
  return before;
}

/** The technician an audit entry's data names (a booking's), if it names one. */
export function technicianNamed(data: unknown): string | null {
  const id = (data as { technicianId?: unknown } | null)?.technicianId;
  return typeof id === 'string' ? id : null;
}

/**
 * The technician booked once an audit step is taken, from the one before, as `slotAfter` reads the
 * slot: a step naming one sets it, the ticket going back to open or being fixed remotely clears it.
 */
export function technicianAfter(
  step: { action: string; toStatus: string },
  named: string | null,
  before: string | null,
): string | null {
  if (named !== null) return named;
  if (step.toStatus === 'open' || step.action === 'resolved_remotely') return null;
  return before;
}
