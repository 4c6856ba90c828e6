import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aSite } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/** Machines (an ERP export, a dashboard) get their own API tokens from an admin, over the API. */
describe('API tokens issued and revoked by an admin', () => {
  let service: ServiceHarness;
  const customers = { a: '', b: '' };
  const devices = { a: '', b: '' };

  beforeAll(async () => {
    service = await startService();
    for (const who of ['a', 'b'] as const) {
      const customer = await service.api('/api/customers', { method: 'POST', body: aCustomer() });
      customers[who] = customer.body.id;
      const site = await service.api(`/api/customers/${customers[who]}/sites`, {
        method: 'POST',
        body: aSite(),
      });
      const device = await service.api('/api/devices', {
        method: 'POST',
        body: aDevice({ customerId: customers[who], siteId: site.body.id }),
      });
      devices[who] = device.body.id;
    }
  });
  afterAll(() => service.close());

  const issue = (body: unknown, token?: string) =>
    service.api('/api/tokens', { method: 'POST', body, ...(token === undefined ? {} : { token }) });

  it('answers the token once, lists its record without the secret, and the token works at once', async () => {
    const res = await issue({ name: 'ERP export', role: 'planner' });
    expect(res.status).toBe(201);
    const { token, record } = res.body;
    expect(token).toMatch(/^aft_/);
    expect(record).toMatchObject({ name: 'ERP export', role: 'planner', customerId: null, revokedAt: null });
    expect((await service.api('/api/devices', { token })).status).toBe(200);

    const list = await service.api('/api/tokens');
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(record.id);
    expect(list.text).not.toContain(token);
    expect(list.text).not.toMatch(/hash/i);
    expect(service.logs.join('\n')).not.toContain(token);
  });

  it('confines a customer token to its customer', async () => {
    const res = await issue({ name: 'customer portal', role: 'customer', customerId: customers.a });
    expect(res.status).toBe(201);
    const token = res.body.token;
    const listed = await service.api('/api/devices', { token });
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([devices.a]);
    expect((await service.api(`/api/devices/${devices.b}`, { token })).status).toBe(404);
  });

  it('refuses a token for a customer or technician that does not exist, naming the field', async () => {
    const customer = await issue({ name: 'typo', role: 'customer', customerId: 'cust-nosuch' });
    expect(customer.status).toBe(400);
    expect(customer.body.message).toContain('body.customerId: there is no customer cust-nosuch');
    const technician = await issue({ name: 'typo', role: 'technician', technicianId: 'tech-nosuch' });
    expect(technician.status).toBe(400);
    expect(technician.body.message).toContain('body.technicianId: there is no technician tech-nosuch');
  });

  it('answers 400 naming the field for a bad body', async () => {
    const cases: [unknown, string][] = [
      [{ role: 'planner' }, 'name'],
      [{ name: '   ', role: 'planner' }, 'name'],
      [{ name: 'x', role: 'root' }, 'role'],
      [{ name: 'x', role: 'customer' }, 'customerId'],
      [{ name: 'x', role: 'planner', customerId: customers.a }, 'customerId'],
      [{ name: 'x', role: 'planner', scope: 'all' }, 'scope'],
    ];
    for (const [body, field] of cases) {
      const res = await issue(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toContain(field);
    }
  });

  it('lets only admins issue, list and revoke tokens', async () => {
    const planner = await service.tokenFor('planner');
    const customer = await service.tokenFor('customer', customers.a);
    for (const token of [planner, customer]) {
      expect((await issue({ name: 'mine', role: 'admin' }, token)).status).toBe(403);
      expect((await service.api('/api/tokens', { token })).status).toBe(403);
    }
  });

  it('revokes a token at once; revoking again is harmless; unknown and malformed ids are told apart', async () => {
    const { token, record } = (await issue({ name: 'dashboard', role: 'planner' })).body;
    const revoke = (id: string) => service.api(`/api/tokens/${id}/revoke`, { method: 'POST' });
    expect((await revoke(record.id)).status).toBe(204);
    expect((await service.api('/api/devices', { token })).status).toBe(401);
    expect((await revoke(record.id)).status).toBe(204);
    const listed = (await service.api('/api/tokens')).body.items.find(
      (t: { id: string }) => t.id === record.id,
    );
    expect(listed.revokedAt).not.toBeNull();

    expect((await revoke('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const malformed = await revoke('not-a-token-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('id');
  });
});
