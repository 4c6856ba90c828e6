import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hour } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';
import { type RatedVisitScene, ratedVisitScene } from './support/rated-visits.ts';

/**
 * POST /api/feedback/:id/resolution and GET /api/feedback over real HTTP: a complaint is closed with
 * what was done about it and by whom, once, and the desk lists the open ones with what they are about.
 */
describe('resolving a complaint', () => {
  const now = Date.UTC(2026, 10, 2, 6);
  let service: ServiceHarness;
  let scene: RatedVisitScene;

  /** A complaint about a visit done and closed now. */
  const complaint = async (): Promise<string> => {
    const ticketId = await scene.closedVisit();
    const token = await service.login({
      email: `c-${ticketId}@example.com`,
      role: 'customer',
      customerId: scene.customerId,
    });
    const given = await service.api(`/api/tickets/${ticketId}/feedback`, {
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
    scene = await ratedVisitScene(service, () => now);
  });
  afterAll(() => service.close());

  it('refuses a body with a key it does not take, naming it, and leaves the complaint open', async () => {
    const id = await complaint();
    const res = await service.api(`/api/feedback/${id}/resolution`, {
      method: 'POST',
      body: { resolution: 'Called back', x: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'body: Unrecognized key: "x"' });
    expect(await resolvedAt(id)).toBeNull();
  });

  it('will not close a complaint without a word of what was done', async () => {
    const id = await complaint();
    for (const body of [undefined, {}, { resolution: '  ' }, { resolution: 'ok' }]) {
      const res = await service.api(`/api/feedback/${id}/resolution`, { method: 'POST', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const short = await service.api(`/api/feedback/${id}/resolution`, {
      method: 'POST',
      body: { resolution: 'ok' },
    });
    expect(short.body.message).toBe(
      'body.resolution: say what was done about the complaint (3 characters or more)',
    );
    expect(await resolvedAt(id)).toBeNull();
  });

  it('closes it with what was done and who did it, once', async () => {
    const id = await complaint();
    const token = await service.login({ email: 'desk@example.com', role: 'planner', name: 'Divya Desk' });
    const res = await service.api(`/api/feedback/${id}/resolution`, {
      method: 'POST',
      token,
      body: { resolution: '  Apologised by phone and waived the visit charge. ' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      complaintResolvedAt: now,
      complaintResolution: 'Apologised by phone and waived the visit charge.',
      complaintResolvedBy: 'Divya Desk',
    });
    // The first account stands: closing it again is a conflict, and changes nothing.
    const again = await service.api(`/api/feedback/${id}/resolution`, {
      method: 'POST',
      body: { resolution: 'Something else entirely' },
    });
    expect(again.status).toBe(409);
    const listed = (await service.api('/api/feedback?resolved=true')).body.items.find(
      (f: { id: string }) => f.id === id,
    );
    expect(listed.complaintResolution).toBe('Apologised by phone and waived the visit charge.');
  });

  it('says an administrator closed it when the admin token did, as no person is named', async () => {
    const id = await complaint();
    const res = await service.api(`/api/feedback/${id}/resolution`, {
      method: 'POST',
      body: { resolution: 'Refunded the call-out fee.' },
    });
    expect(res.body.complaintResolvedBy).toBe('an administrator');
  });

  it('lists the open complaints, oldest first, with the job and the customer they are about', async () => {
    const first = await complaint();
    const second = await service.at(now + hour, complaint);
    const open = (await service.api('/api/feedback?resolved=false&dir=asc&limit=100')).body;
    const ids = open.items.map((f: { id: string }) => f.id);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    expect(ids.indexOf(first)).toBeGreaterThanOrEqual(0);
    const item = open.items.find((f: { id: string }) => f.id === first);
    expect(item).toMatchObject({
      complaint: true,
      complaintResolvedAt: null,
      complaintResolution: null,
      ticketTitle: expect.stringContaining('Leaks water'),
      deviceId: scene.deviceId,
      customerName: scene.customerName,
    });
    expect(item.ticketResolvedAt).toBe(now);
    // Other feedback has nothing to resolve: `resolved` lists complaints only.
    expect(open.items.every((f: { complaint: boolean }) => f.complaint)).toBe(true);
  });

  it('lists the complaints closed since a time, latest closed first, for a desk that reads its period only', async () => {
    const [early, late] = [await complaint(), await complaint()];
    const close = (id: string) =>
      service.api(`/api/feedback/${id}/resolution`, { method: 'POST', body: { resolution: 'Called back.' } });
    await service.at(now + 2 * hour, () => close(early));
    await service.at(now + 5 * hour, () => close(late));
    const since = (from: number) =>
      service
        .api(`/api/feedback?resolvedFrom=${from}&limit=100`)
        .then((r) => r.body.items.map((f: { id: string }) => f.id));
    expect(await since(now + 3 * hour)).toEqual([late]);
    const both = await since(now + 2 * hour);
    expect(both.slice(0, 2)).toEqual([late, early]);
  });
});
