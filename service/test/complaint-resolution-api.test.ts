import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aTechnician, hour } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/** POST /api/feedback/:id/resolution over real HTTP: it takes no fields, and says so. */
describe('resolving a complaint', () => {
  const now = Date.UTC(2026, 10, 2, 6);
  let service: ServiceHarness;
  let customerId = '';
  let technicianId = '';
  let deviceId = '';

  const post = async (path: string, body: unknown, status = 201) => {
    const res = await service.api(path, { method: 'POST', body });
    expect(res.status, `${path}: ${res.text}`).toBe(status);
    return res.body;
  };
  /** A complaint about a visit done and closed now. */
  const complaint = async (): Promise<string> => {
    const ticket = await post('/api/tickets', { deviceId, description: 'Leaks water' });
    const start = now + hour;
    for (const body of [
      { to: 'scheduled', technicianId, appointment: { start, end: start + hour } },
      { to: 'dispatched' },
      { to: 'on_site' },
      { to: 'resolved', reason: 'Cleared the drain line' },
      { to: 'closed' },
    ])
      await post(`/api/tickets/${ticket.id}/transitions`, body, 200);
    const token = await service.login({ email: `c-${ticket.id}@example.com`, role: 'customer', customerId });
    const given = await service.api(`/api/tickets/${ticket.id}/feedback`, {
      method: 'POST',
      token,
      body: { csat: 1, nps: 0, complaint: true },
    });
    expect(given.status, given.text).toBe(201);
    return given.body.id;
  };
  const resolvedAt = async (feedbackId: string) =>
    (await service.repos.feedback.list({ limit: 50, offset: 0 })).items.find((f) => f.id === feedbackId)
      ?.complaintResolvedAt;

  beforeAll(async () => {
    service = await startService({ clock: () => now });
    customerId = (await post('/api/customers', aCustomer())).id;
    deviceId = (await post('/api/devices', aDevice({ customerId }))).id;
    const partner = await post('/api/partners', aPartner());
    technicianId = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
  });
  afterAll(() => service.close());

  it('refuses a body with a key it does not take, naming it, and leaves the complaint open', async () => {
    const id = await complaint();
    const res = await service.api(`/api/feedback/${id}/resolution`, { method: 'POST', body: { x: 1 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'body: Unrecognized key: "x"' });
    expect(await resolvedAt(id)).toBeNull();
  });

  it('resolves it with no body or an empty one', async () => {
    const bare = await complaint();
    expect((await post(`/api/feedback/${bare}/resolution`, undefined, 200)).complaintResolvedAt).toBe(now);
    const empty = await complaint();
    expect((await post(`/api/feedback/${empty}/resolution`, {}, 200)).complaintResolvedAt).toBe(now);
  });
});
