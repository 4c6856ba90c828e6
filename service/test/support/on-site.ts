import type { ServiceHarness } from './harness.ts';

/**
 * The technician starts the job at its appointment: the service's clock is held at the booked start
 * while they move it on site. A technician's device token, not a session: a session signed in today
 * has run out by a visit booked for the next working day.
 */
export async function startOnSite(
  service: ServiceHarness,
  ticketId: string,
  technicianId: string,
  appointment: { start: number },
): Promise<void> {
  const token = await service.tokenFor('technician', technicianId);
  const res = await service.at(appointment.start, () =>
    service.api(`/api/tickets/${ticketId}/transitions`, { method: 'POST', token, body: { to: 'on_site' } }),
  );
  if (res.status !== 200) throw new Error(`starting ticket ${ticketId} on site: ${res.status} ${res.text}`);
}
