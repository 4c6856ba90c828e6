import { type Appointment, ValidationError } from '@aftercare/core';

/**
 * What a person may book through the API, beyond the appointment's own shape (core's schema): not a
 * visit that is over already. The automation books through the repositories and the demo history
 * records past visits there, so the rule sits at the HTTP boundary, where "now" is the caller's.
 */
export function assertBookable(appointment: Appointment | undefined, now: number): void {
  if (appointment && appointment.end <= now)
    throw new ValidationError(
      'body.appointment.end: the appointment is over already; book one that ends in the future',
      ['appointment.end'],
    );
}
