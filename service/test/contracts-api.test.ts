import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aPlan, aTechnician, day } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/** POST /api/contracts and renewals: one device is under one AMC contract at a time. */
describe('AMC contracts over HTTP', () => {
  let service: ServiceHarness;
  let customerId: string;
  let basic: string;
  let premium: string;
  let deviceId: string;
  const now = Date.now();

  const post = (path: string, body: unknown) => service.api(path, { method: 'POST', body });
  const contract = (planId: string, startsAt: number, endsAt: number, deviceIds = [deviceId]) =>
    post('/api/contracts', { customerId, planId, deviceIds, startsAt, endsAt });

  beforeAll(async () => {
    service = await startService();
    customerId = (await post('/api/customers', aCustomer())).body.id;
    basic = (await post('/api/contract-plans', aPlan({ name: 'Basic AMC' }))).body.id;
    premium = (await post('/api/contract-plans', aPlan({ name: 'Premium AMC' }))).body.id;
  });
  beforeEach(async () => {
    deviceId = (await post('/api/devices', aDevice({ customerId }))).body.id;
  });
  afterAll(() => service.close());

  it('answers 409 naming the existing contract to a second contract overlapping the first', async () => {
    const first = await contract(basic, now - 30 * day, now + 335 * day);
    expect(first.status).toBe(201);
    const second = await contract(premium, now, now + 365 * day);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'CONFLICT' });
    expect(second.body.message).toMatch(
      new RegExp(`^device ${deviceId} is under contract ${first.body.id} from .+ to .+; `),
    );
    const detail = await service.api(`/api/devices/${deviceId}`);
    expect(detail.body.activeContractId).toBe(first.body.id);
    const listed = await service.api(`/api/contracts?deviceId=${deviceId}`);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });

  it('answers 409 when any one of the devices is taken, and keeps none of the contract', async () => {
    const free = (await post('/api/devices', aDevice({ customerId }))).body.id;
    await contract(basic, now, now + 365 * day);
    const both = await contract(premium, now + 100 * day, now + 200 * day, [free, deviceId]);
    expect(both.status).toBe(409);
    expect((await service.api(`/api/contracts?deviceId=${free}`)).body.total).toBe(0);
  });

  it('takes back-to-back contracts: one may start the instant the other ends', async () => {
    const earlier = await contract(basic, now - 400 * day, now - 35 * day);
    const current = await contract(premium, now - 35 * day, now + 330 * day);
    expect([earlier.status, current.status]).toEqual([201, 201]);
    expect((await service.api(`/api/devices/${deviceId}`)).body.activeContractId).toBe(current.body.id);
  });

  it('still renews a contract into the term that follows it, and refuses a contract inside that term', async () => {
    const ending = (await contract(basic, now - 340 * day, now + 25 * day)).body;
    const renewed = await post(`/api/contracts/${ending.id}/renewals`, { planId: premium, months: 12 });
    expect(renewed.status).toBe(201);
    expect(renewed.body).toMatchObject({
      startsAt: ending.endsAt,
      planId: premium,
      renewsContractId: ending.id,
      deviceIds: [deviceId],
    });
    const inside = await contract(basic, now + 60 * day, now + 90 * day);
    expect(inside.status).toBe(409);
    expect(inside.body.message).toContain(`under contract ${renewed.body.id}`);
  });

  it('refuses a renewal step taken on a status another planner has moved on since, and keeps theirs', async () => {
    const ending = (await contract(basic, now - 340 * day, now + 25 * day)).body;
    const renewal = `/api/contracts/${ending.id}/renewal`;
    const patch = (body: unknown) => service.api(renewal, { method: 'PATCH', body });
    // Two planners saw it not due yet; the first declines it.
    expect((await patch({ renewalStatus: 'declined', expectedStatus: 'not_due' })).status).toBe(200);
    const late = await patch({ renewalStatus: 'offered', expectedStatus: 'not_due' });
    expect(late.status).toBe(409);
    expect(late.body.message).toBe(
      `the renewal of contract ${ending.id} changed meanwhile: it is declined now (you saw it not due yet)`,
    );
    const renew = await post(`/api/contracts/${ending.id}/renewals`, { expectedStatus: 'offered' });
    expect(renew.status).toBe(409);
    expect((await service.api(`/api/contracts/${ending.id}`)).body.renewalStatus).toBe('declined');
    // Said with what they saw, or without it (as before), a step lands.
    expect((await patch({ renewalStatus: 'offered', expectedStatus: 'declined' })).body.renewalStatus).toBe(
      'offered',
    );
    expect((await patch({ renewalStatus: 'due' })).body.renewalStatus).toBe('due');
    expect((await post(`/api/contracts/${ending.id}/renewals`, { expectedStatus: 'due' })).status).toBe(201);
  });

  it('answers 409 to a renewal whose term another contract of the device already took', async () => {
    const ending = (await contract(basic, now - 340 * day, now + 25 * day)).body;
    const signed = (await contract(premium, now + 25 * day, now + 390 * day)).body;
    const renewal = await post(`/api/contracts/${ending.id}/renewals`, {});
    expect(renewal.status).toBe(409);
    expect(renewal.body.message).toContain(`under contract ${signed.id}`);
    expect((await service.api(`/api/contracts/${ending.id}`)).body.renewalStatus).toBe('not_due');
  });

  it('reads renewals coming due, however far ahead, without changing any renewal status', async () => {
    const ending = [];
    for (const days of [10, 100, 190]) {
      const device = (await post('/api/devices', aDevice({ customerId }))).body.id;
      ending.push((await contract(basic, now - 200 * day, now + days * day, [device])).body.id as string);
    }
    const stored = () =>
      service.db
        .selectFrom('contracts')
        .select(['id', 'renewal_status', 'updated_at'])
        .orderBy('id')
        .execute();
    const before = await stored();

    const due = await service.api('/api/contracts/renewals-due?withinDays=365');
    expect(due.status, due.text).toBe(200);
    const listed = due.body.items as { id: string; renewalStatus: string }[];
    // Listed as coming due, with the status the AMC job has not moved yet.
    for (const id of ending) expect(listed.find((c) => c.id === id)?.renewalStatus, id).toBe('not_due');
    const calendar = await service.api('/api/contract-visits/calendar?renewalWithinDays=365');
    expect(calendar.status, calendar.text).toBe(200);
    expect(calendar.body.renewals.map((r: { contractId: string }) => r.contractId)).toEqual(
      expect.arrayContaining(ending),
    );

    expect(await stored()).toEqual(before);
  });

  it("names the term of the contract in the way by days of the network's calendar, not by UTC instants", async () => {
    // The network works in India: its technicians' zone is the one planners read dates in.
    const partner = (await post('/api/partners', aPartner())).body;
    await post(`/api/partners/${partner.id}/technicians`, aTechnician());
    const startsAt = Date.parse('2027-03-07T00:00:00+05:30');
    const signed = (await contract(basic, startsAt, Date.parse('2028-03-07T00:00:00+05:30'))).body;
    const clash = await contract(premium, startsAt + 30 * day, startsAt + 395 * day);
    expect(clash.status).toBe(409);
    expect(clash.body.message).toBe(
      `device ${deviceId} is under contract ${signed.id} from 07 Mar 2027 to 07 Mar 2028; a new contract for it may start when that one ends`,
    );
    // A term that does not turn at midnight there says when in the day, and in which zone.
    const other = (await post('/api/devices', aDevice({ customerId }))).body.id;
    const morning = Date.parse('2029-03-07T10:00:00+05:30');
    const odd = (await contract(basic, morning, morning + 365 * day, [other])).body;
    const late = await contract(premium, morning + day, morning + 30 * day, [other]);
    expect(late.body.message).toContain(
      `under contract ${odd.id} from 07 Mar 2029, 10:00 IST to 07 Mar 2030, 10:00 IST;`,
    );
  });

  it('answers 400 naming customerId for a customer that does not exist', async () => {
    const res = await post('/api/contracts', {
      customerId: 'cust-9999',
      planId: basic,
      deviceIds: [deviceId],
      startsAt: now,
      endsAt: now + 365 * day,
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('body.customerId: there is no customer cust-9999');
  });
});
