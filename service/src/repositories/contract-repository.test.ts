import { ConflictError } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPlan, day } from '../../test/support/factories.ts';
import { aServiceScene, planner, type Repositories, repositories } from '../../test/support/world.ts';
import { createDatabase, type ServiceDatabase } from '../db/database.ts';

describe('ContractRepository', () => {
  let db: ServiceDatabase;
  let repos: Repositories;
  let scene: Awaited<ReturnType<typeof aServiceScene>>;
  let planId: string;
  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = repositories(db);
    scene = await aServiceScene(repos);
    planId = (await repos.contracts.createPlan(aPlan({ model: 'split-ac' }))).id;
  });
  afterEach(() => db.destroy());

  const aContract = (startsAt: number, endsAt: number) =>
    repos.contracts.create({
      customerId: scene.customer.id,
      planId,
      deviceIds: [scene.device.id],
      startsAt,
      endsAt,
    });

  it("covers only the customer's own devices of the plan's model", async () => {
    const { device: fridge } = await repos.devices.provision(
      aDevice({ model: 'refrigerator', customerId: scene.customer.id }),
    );
    const other = await repos.customers.create(aCustomer());
    const { device: someoneElses } = await repos.devices.provision(aDevice({ customerId: other.id }));
    const now = repos.time.now;
    const create = (deviceIds: string[]) =>
      repos.contracts.create({
        customerId: scene.customer.id,
        planId,
        deviceIds,
        startsAt: now,
        endsAt: now + 365 * day,
      });
    await expect(create([fridge.id])).rejects.toThrow(
      /^deviceIds: device .* is a refrigerator; plan .* is for split-ac/,
    );
    await expect(create([someoneElses.id])).rejects.toThrow(
      /^deviceIds: device .* does not belong to customer/,
    );
    await expect(create(['ghost'])).rejects.toThrow(/^deviceIds: there is no device ghost/);
  });

  it('finds the contract in force for a device', async () => {
    const now = repos.time.now;
    await aContract(now - 400 * day, now - 35 * day);
    const current = await aContract(now - 35 * day, now + 330 * day);
    expect(await repos.contracts.activeFor(scene.device.id)).toMatchObject({
      id: current.id,
      deviceIds: [scene.device.id],
    });
  });

  it('lists renewals coming due, marks them due, and renews into a contract starting at the old end', async () => {
    const now = repos.time.now;
    const ending = await aContract(now - 340 * day, now + 25 * day);
    const { device: another } = await repos.devices.provision(aDevice({ customerId: scene.customer.id }));
    await repos.contracts.create({
      customerId: scene.customer.id,
      planId,
      deviceIds: [another.id],
      startsAt: now - 10 * day,
      endsAt: now + 355 * day,
    });
    // Listed while the scheduler has not marked it yet, as stored; marked by the scheduler's step only.
    const listed = await repos.contracts.renewalsDue(60, { limit: 10, offset: 0 });
    expect(listed.items.map((c) => [c.id, c.renewalStatus])).toEqual([[ending.id, 'not_due']]);
    expect(await repos.contracts.markRenewalsDue(60)).toBe(1);
    const due = await repos.contracts.renewalsDue(60, { limit: 10, offset: 0 });
    expect(due.items.map((c) => [c.id, c.renewalStatus])).toEqual([[ending.id, 'due']]);

    const renewed = await repos.contracts.renew(ending.id);
    expect(renewed).toMatchObject({
      startsAt: ending.endsAt,
      endsAt: ending.endsAt + 365 * day,
      renewsContractId: ending.id,
    });
    expect((await repos.contracts.get(ending.id))!.renewalStatus).toBe('renewed');
    expect((await repos.contracts.renewalsDue(60, { limit: 10, offset: 0 })).total).toBe(0);
    await expect(repos.contracts.renew(ending.id)).rejects.toThrow(/already renewed/);
  });

  describe('one contract per device at a time', () => {
    it('refuses a contract whose term overlaps another of the same device, naming that contract', async () => {
      const now = repos.time.now;
      const basic = await aContract(now - 30 * day, now + 335 * day);
      const premium = (await repos.contracts.createPlan(aPlan({ model: 'split-ac', name: 'Premium' }))).id;
      const { device: free } = await repos.devices.provision(aDevice({ customerId: scene.customer.id }));
      const overlapping = repos.contracts.create({
        customerId: scene.customer.id,
        planId: premium,
        deviceIds: [free.id, scene.device.id],
        startsAt: now,
        endsAt: now + 365 * day,
      });
      await expect(overlapping).rejects.toThrow(ConflictError);
      await expect(overlapping).rejects.toThrow(
        new RegExp(`^device ${scene.device.id} is under contract ${basic.id} from `),
      );
      // Nothing of the refused contract is kept, not even for the device that was free.
      expect((await repos.contracts.list({ deviceId: free.id, limit: 10, offset: 0 })).total).toBe(0);
      expect((await repos.contracts.activeFor(scene.device.id))!.id).toBe(basic.id);
    });

    it('refuses one that starts before and ends inside, or wraps around, an existing term', async () => {
      const now = repos.time.now;
      await aContract(now, now + 100 * day);
      await expect(aContract(now - 50 * day, now + day)).rejects.toThrow(ConflictError);
      await expect(aContract(now - 50 * day, now + 200 * day)).rejects.toThrow(ConflictError);
      await expect(aContract(now + 99 * day, now + 465 * day)).rejects.toThrow(ConflictError);
    });

    it('takes a contract that starts when the previous one ends, or ends when the next one starts', async () => {
      const now = repos.time.now;
      const current = await aContract(now - 100 * day, now + 265 * day);
      const next = await aContract(now + 265 * day, now + 630 * day);
      const before = await aContract(now - 465 * day, now - 100 * day);
      const all = await repos.contracts.list({ deviceId: scene.device.id, limit: 10, offset: 0 });
      expect(all.items.map((c) => c.id)).toEqual([next.id, current.id, before.id]);
      expect((await repos.contracts.activeFor(scene.device.id))!.id).toBe(current.id);
    });

    it('renews into the term after the old one even while the old one is still in force', async () => {
      const now = repos.time.now;
      const old = await aContract(now - 300 * day, now + 65 * day);
      const renewed = await repos.contracts.renew(old.id, { months: 12 });
      expect(renewed).toMatchObject({ startsAt: old.endsAt, renewsContractId: old.id });
      // A second contract for the renewed term is now the overlap.
      await expect(aContract(now + 100 * day, now + 200 * day)).rejects.toThrow(
        new RegExp(`under contract ${renewed.id}`),
      );
    });

    it('refuses a renewal whose term another contract of the device already took', async () => {
      const now = repos.time.now;
      const old = await aContract(now - 300 * day, now + 65 * day);
      const signedAlready = await aContract(now + 65 * day, now + 430 * day);
      await expect(repos.contracts.renew(old.id)).rejects.toThrow(
        new RegExp(`under contract ${signedAlready.id}`),
      );
      expect((await repos.contracts.get(old.id))!.renewalStatus).toBe('not_due');
    });
  });

  it('plans visits idempotently and opens the ticket that carries one out', async () => {
    const now = repos.time.now;
    const contract = await aContract(now, now + 365 * day);
    const windows = [0, 1, 2, 3].map((q) => ({
      deviceId: scene.device.id,
      dueFrom: now + q * 91 * day,
      dueTo: now + (q * 91 + 30) * day,
    }));
    const first = await repos.visits.planVisits(contract.id, windows);
    const again = await repos.visits.planVisits(contract.id, windows);
    expect(again.map((v) => v.id)).toEqual(first.map((v) => v.id));
    expect((await repos.visits.listVisits({ contractId: contract.id, limit: 10, offset: 0 })).total).toBe(4);

    const ticket = await repos.visits.openVisitTicket(first[0]!.id);
    expect(ticket).toMatchObject({
      kind: 'amc_visit',
      coverage: 'amc',
      contractId: contract.id,
      slaDueAt: windows[0]!.dueTo,
    });
    expect(await repos.visits.getVisit(first[0]!.id)).toMatchObject({
      status: 'scheduled',
      ticketId: ticket.id,
    });
    await expect(repos.visits.openVisitTicket(first[0]!.id)).rejects.toThrow(/already has a ticket/);

    await repos.tickets.transition(ticket.id, { to: 'cancelled', reason: 'customer away' }, planner);
    expect(await repos.visits.getVisit(first[0]!.id)).toMatchObject({ status: 'planned', ticketId: null });
  });
});
