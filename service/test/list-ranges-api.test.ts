import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPlan, day } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/**
 * A list asked for a time range that ends before it starts answers 400 naming the field, as telemetry,
 * risks, KPIs and trends do, rather than an empty list that looks like "nothing happened".
 */
describe('time ranges of the ticket and contract visit lists', () => {
  let service: ServiceHarness;
  let ticket: { id: string; createdAt: number };
  let visit: { id: string; dueFrom: number; dueTo: number };
  const now = Date.now();

  beforeAll(async () => {
    service = await startService();
    const post = async (path: string, body: unknown) => {
      const res = await service.api(path, { method: 'POST', body });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    const customerId = (await post('/api/customers', aCustomer())).id;
    const deviceId = (await post('/api/devices', aDevice({ customerId }))).id;
    ticket = await post('/api/tickets', { deviceId, description: 'Not cooling' });
    const planId = (await post('/api/contract-plans', aPlan())).id;
    const contract = await post('/api/contracts', {
      customerId,
      planId,
      deviceIds: [deviceId],
      startsAt: now - day,
      endsAt: now + 364 * day,
    });
    visit = (
      await post(`/api/contracts/${contract.id}/visits`, {
        visits: [{ deviceId, dueFrom: now + 10 * day, dueTo: now + 40 * day }],
      })
    ).items[0];
  });
  afterAll(() => service.close());

  describe('GET /api/tickets', () => {
    it('answers 400 naming createdFrom when it is not before createdTo', async () => {
      for (const [from, to] of [
        [now + day, now - day],
        [now, now],
      ]) {
        const res = await service.api(`/api/tickets?createdFrom=${from}&createdTo=${to}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          message: 'querystring.createdFrom: must be before createdTo',
        });
      }
    });

    it('lists the tickets opened in [createdFrom, createdTo)', async () => {
      const ids = async (query: string) =>
        (await service.api(`/api/tickets?${query}`)).body.items.map((t: { id: string }) => t.id);
      expect(await ids(`createdFrom=${ticket.createdAt}&createdTo=${ticket.createdAt + 1}`)).toEqual([
        ticket.id,
      ]);
      expect(await ids(`createdFrom=${ticket.createdAt + 1}&createdTo=${now + day}`)).toEqual([]);
    });
  });

  describe('GET /api/contract-visits', () => {
    it('answers 400 naming dueFrom when it is after dueTo', async () => {
      const res = await service.api(`/api/contract-visits?dueFrom=${now + day}&dueTo=${now - day}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'querystring.dueFrom: must not be after dueTo',
      });
    });

    it('lists the visits whose window is open at an instant when both bounds are that instant', async () => {
      const at = async (ms: number) =>
        (await service.api(`/api/contract-visits?dueFrom=${ms}&dueTo=${ms}`)).body.items.map(
          (v: { id: string }) => v.id,
        );
      expect(await at(visit.dueFrom + day)).toEqual([visit.id]);
      expect(await at(visit.dueTo + day)).toEqual([]);
    });
  });
});
