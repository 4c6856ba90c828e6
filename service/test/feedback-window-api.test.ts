import { FEEDBACK_WINDOW_DAYS } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { day, hour } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';
import { type RatedVisitScene, ratedVisitScene } from './support/rated-visits.ts';

/** Customers rate a visit within FEEDBACK_WINDOW_DAYS of its closing, not about last winter's visit. */
describe('the feedback window', () => {
  const time = { now: Date.UTC(2026, 10, 2, 6) };
  let service: ServiceHarness;
  let scene: RatedVisitScene;
  const closedVisit = () => scene.closedVisit();
  let logins = 0;
  /** A session as the customer, made at the current time (sessions expire). */
  const customer = () =>
    service.login({
      email: `customer-${++logins}@example.com`,
      role: 'customer',
      customerId: scene.customerId,
    });
  const rate = async (ticketId: string) =>
    service.api(`/api/tickets/${ticketId}/feedback`, {
      method: 'POST',
      token: await customer(),
      body: { csat: 4, nps: 8 },
    });

  beforeAll(async () => {
    service = await startService({ clock: () => time.now });
    scene = await ratedVisitScene(service, () => time.now);
  });
  afterAll(() => service.close());

  it('takes a rating on the last day of the window', async () => {
    const ticketId = await closedVisit();
    time.now += FEEDBACK_WINDOW_DAYS * day - hour;
    const res = await rate(ticketId);
    expect(res.status).toBe(201);
  });

  it('refuses one after it, with a 409 that says why, and keeps nothing', async () => {
    const ticketId = await closedVisit();
    time.now += FEEDBACK_WINDOW_DAYS * day + hour;
    const res = await rate(ticketId);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      `ticket ${ticketId} was closed more than ${FEEDBACK_WINDOW_DAYS} days ago: visits are rated within ${FEEDBACK_WINDOW_DAYS} days`,
    );
    const listed = await service.api(`/api/feedback?customerId=${scene.customerId}`, {});
    expect(listed.body.items.map((f: { ticketId: string }) => f.ticketId)).not.toContain(ticketId);
  });
});
