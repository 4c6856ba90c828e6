import { formatVisitDay, technicianSchema, visitDayHasCome } from '@aftercare/core';
import type { ApiClient } from './api.ts';

/**
 * The zone a technician keeps their working hours in, which decides when their booked day begins;
 * null when the technician cannot be read (the step is then offered and the service decides).
 */
export async function technicianTimeZone(
  api: ApiClient,
  technicianId: string | null,
): Promise<string | null> {
  if (technicianId === null) return null;
  try {
    const technician = await api.get(
      `/api/technicians/${encodeURIComponent(technicianId)}`,
      technicianSchema,
    );
    return technician.workingHours.timezone;
  } catch {
    return null;
  }
}

/**
 * A job's steps with "start work on site" held back until the day it is booked for, as the service
 * holds it, and the day it opens ("Tue 1 Dec", on the technician's calendar) to say so instead.
 */
export function startOnVisitDay<S extends { to: string }>(
  steps: S[],
  appointment: { start: number } | null,
  timeZone: string | null,
  now = Date.now(),
): { steps: S[]; startsOn: string | null } {
  if (appointment === null || timeZone === null || !steps.some((s) => s.to === 'on_site'))
    return { steps, startsOn: null };
  if (visitDayHasCome(appointment.start, timeZone, now)) return { steps, startsOn: null };
  return {
    steps: steps.filter((s) => s.to !== 'on_site'),
    startsOn: formatVisitDay(appointment.start, timeZone),
  };
}
