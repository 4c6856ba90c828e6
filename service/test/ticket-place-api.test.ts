import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aSite, aTechnician, aWorkingVisit } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/**
 * A technician may not read customers or sites, yet has to know whom to ask for and where to drive:
 * the ticket it may see carries its customer and site.
 */
describe('GET /api/tickets/:id: the customer and site of the job', () => {
  let service: ServiceHarness;
  const ids = { customer: '', site: '', device: '', ticket: '', tech1: '', tech2: '' };
  const tokens = { tech1: '', tech2: '', customer: '' };

  beforeAll(async () => {
    service = await startService();
    const post = async (path: string, body: unknown) => {
      const res = await service.api(path, { method: 'POST', body });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    ids.customer = (
      await post(
        '/api/customers',
        aCustomer({ name: 'Sharma Residence', contact: { name: 'Anil Sharma', phone: '+91 98450 12345' } }),
      )
    ).id;
    ids.site = (
      await post(
        `/api/customers/${ids.customer}/sites`,
        aSite({ name: 'Home', address: '14 Church Street, Bengaluru', lat: 12.9751, lon: 77.6055 }),
      )
    ).id;
    ids.device = (await post('/api/devices', aDevice({ customerId: ids.customer, siteId: ids.site }))).id;
    const partner = await post('/api/partners', aPartner());
    ids.tech1 = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    ids.tech2 = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    tokens.tech1 = await service.login({
      email: 'p1@example.com',
      role: 'technician',
      technicianId: ids.tech1,
    });
    tokens.tech2 = await service.login({
      email: 'p2@example.com',
      role: 'technician',
      technicianId: ids.tech2,
    });
    tokens.customer = await service.login({
      email: 'c@example.com',
      role: 'customer',
      customerId: ids.customer,
    });
    ids.ticket = (await post('/api/tickets', { deviceId: ids.device, description: 'No cooling' })).id;
    const scheduled = await service.api(`/api/tickets/${ids.ticket}/transitions`, {
      method: 'POST',
      body: { to: 'scheduled', technicianId: ids.tech1, appointment: aWorkingVisit() },
    });
    if (scheduled.status !== 200) throw new Error(`schedule: ${scheduled.status} ${scheduled.text}`);
  });
  afterAll(() => service.close());

  const place = {
    customer: { id: '', name: 'Sharma Residence', contactName: 'Anil Sharma', phone: '+91 98450 12345' },
    site: { id: '', name: 'Home', address: '14 Church Street, Bengaluru', lat: 12.9751, lon: 77.6055 },
  };

  it('gives the technician of the job the customer, phone and site it may not read on its own', async () => {
    expect((await service.api(`/api/sites/${ids.site}`, { token: tokens.tech1 })).status).toBe(403);
    expect((await service.api(`/api/customers/${ids.customer}`, { token: tokens.tech1 })).status).toBe(403);
    const res = await service.api(`/api/tickets/${ids.ticket}`, { token: tokens.tech1 });
    expect(res.status).toBe(200);
    expect(res.body.place).toEqual({
      customer: { ...place.customer, id: ids.customer },
      site: { ...place.site, id: ids.site },
    });
  });

  it('gives the planner and the customer the same; another technician gets 404 and nothing of it', async () => {
    for (const token of [undefined, tokens.customer]) {
      const res = await service.api(`/api/tickets/${ids.ticket}`, token === undefined ? {} : { token });
      expect(res.status).toBe(200);
      expect(res.body.place.site.address).toBe('14 Church Street, Bengaluru');
      expect(res.body.place.customer.name).toBe('Sharma Residence');
    }
    const other = await service.api(`/api/tickets/${ids.ticket}`, { token: tokens.tech2 });
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('Church Street');
  });

  it("lists a technician's jobs with where each one is, when asked (include=place)", async () => {
    const listed = await service.api('/api/tickets?include=place', { token: tokens.tech1 });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: ids.ticket,
        place: { customer: { ...place.customer, id: ids.customer }, site: { ...place.site, id: ids.site } },
      }),
    ]);
    const plain = await service.api('/api/tickets', { token: tokens.tech1 });
    expect(plain.body.items[0]).not.toHaveProperty('place');
    const other = await service.api('/api/tickets?include=place', { token: tokens.tech2 });
    expect(other.body.items).toEqual([]);
    expect((await service.api('/api/tickets?include=notes', { token: tokens.tech1 })).status).toBe(400);
  });

  it('lists who is coming by name when asked (include=technician), to the customer too', async () => {
    const tech = (await service.api(`/api/technicians/${ids.tech1}`)).body as { name: string };
    const listed = await service.api('/api/tickets?include=technician', { token: tokens.customer });
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((t: { id: string }) => t.id === ids.ticket)).toMatchObject({
      technicianId: ids.tech1,
      technicianName: tech.name,
    });
    expect(listed.body.items[0]).not.toHaveProperty('place');
    // A customer still may not read the technician's record itself.
    expect((await service.api(`/api/technicians/${ids.tech1}`, { token: tokens.customer })).status).toBe(403);
    const both = await service.api('/api/tickets?include=place,technician', { token: tokens.tech1 });
    expect(both.body.items[0]).toMatchObject({
      technicianName: tech.name,
      place: { site: { id: ids.site } },
    });
    // A ticket nobody holds yet says so.
    const waiting = await service.api('/api/tickets', {
      method: 'POST',
      body: { deviceId: ids.device, description: 'Leaks a little' },
    });
    const all = await service.api('/api/tickets?include=technician');
    expect(all.body.items.find((t: { id: string }) => t.id === waiting.body.id).technicianName).toBeNull();
    const bad = await service.api('/api/tickets?include=technician,notes');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^querystring\.include/);
  });

  it('has no site, and the customer without a phone, when the records have none', async () => {
    const bare = await service.api('/api/customers', { method: 'POST', body: aCustomer() });
    const device = await service.api('/api/devices', {
      method: 'POST',
      body: aDevice({ customerId: bare.body.id }),
    });
    const ticket = await service.api('/api/tickets', {
      method: 'POST',
      body: { deviceId: device.body.id, description: 'Noisy' },
    });
    const res = await service.api(`/api/tickets/${ticket.body.id}`);
    expect(res.body.place).toEqual({
      customer: { id: bare.body.id, name: bare.body.name, contactName: null, phone: null },
      site: null,
    });
  });
});
