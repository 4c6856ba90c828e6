import { type Appointment, type Technician, ValidationError, workingHoursMiss } from '@aftercare/core';
import { DAY_MS } from '../automation/work.ts';

/**
 * What a person may book through the API, beyond the appointment's own shape (core's schema): not a
 * visit that is over already, nor one years ahead. The automation books through the repositories and the demo history
 * records past visits there, so the rule sits at the HTTP boundary, where "now" is the caller's.
 */
export function assertBookable(appointment: Appointment | undefined, now: number): void {
  if (appointment && appointment.end <= now)
    throw new ValidationError(
      'body.appointment.end: the appointment is over already; book one that ends in the future',
      ['appointment.end'],
    );
  if (appointment && appointment.start > now + BOOKING_HORIZON_DAYS * DAY_MS)
    throw new ValidationError(
      `body.appointment.start: more than ${BOOKING_HORIZON_DAYS / 365} years ahead, which is a slip of the pen; book a visit within that`,
      ['appointment.start'],
    );
}

/** How far ahead a person may book a visit: contracts run a year, so two cover any renewal's visit. */
export const BOOKING_HORIZON_DAYS = 2 * 365;

/**
 * A person books a visit inside the technician's working hours, or says it is overtime and why. The
 * automation plans inside the hours by itself, and the demo history replays the simulator's repair
 * times (weekends included), so like `assertBookable` this holds at the HTTP boundary. A technician
 * who does not exist is left to the assignment, which names the field.
 */
export function assertWithinWorkingHours(
  technician: Technician | null,
  appointment: Appointment | undefined,
  request: { outsideWorkingHours?: boolean | undefined; reason?: string | undefined },
): void {
  if (!technician || !appointment) return;
  const miss = workingHoursMiss(technician.workingHours, appointment, technician.name);
  if (miss === null) return;
  if (!request.outsideWorkingHours)
    throw new ValidationError(
      `body.appointment: ${miss}; book inside their hours, or book it as overtime they agreed to, with the reason`,
      ['appointment'],
    );
  if (!request.reason?.trim())
    throw new ValidationError(
      `body.reason: say why the visit is booked outside ${technician.name}'s working hours (${miss})`,
      ['reason'],
    );
}
