import { expect } from 'vitest';
import { aCustomer, aDevice, aPartner, aTechnician, hour } from './factories.ts';
import type { ServiceHarness } from './harness.ts';

/**
 * What customers rate: a customer with a device, a technician to send, and a visit done and closed at
 * the service's current time whenever one is asked for (booked an hour on, started and resolved then).
 */
export interface RatedVisitScene {
  customerId: string;
  customerName: string;
  deviceId: string;
  technicianId: string;
  /** A visit to the device, done and closed now; answers its ticket's id. */
  closedVisit(): Promise<string>;
}

export async function ratedVisitScene(service: ServiceHarness, now: () => number): Promise<RatedVisitScene> {
  const post = async (path: string, body: unknown, status = 201) => {
    const res = await service.api(path, { method: 'POST', body });
    expect(res.status, `${path}: ${res.text}`).toBe(status);
    return res.body;
  };
  const customer = aCustomer();
  const customerId = (await post('/api/customers', customer)).id as string;
  const deviceId = (await post('/api/devices', aDevice({ customerId }))).id as string;
  const partner = await post('/api/partners', aPartner());
  const technicianId = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id as string;
  return {
    customerId,
    customerName: customer.name,
    deviceId,
    technicianId,
    async closedVisit() {
      const ticket = await post('/api/tickets', { deviceId, description: 'Leaks water' });
      const start = now() + hour;
      for (const body of [
        { to: 'scheduled', technicianId, appointment: { start, end: start + hour } },
        { to: 'dispatched' },
        { to: 'on_site' },
        { to: 'resolved', reason: 'Cleared the drain line' },
        { to: 'closed' },
      ])
        await post(`/api/tickets/${ticket.id}/transitions`, body, 200);
      return ticket.id as string;
    },
  };
}
