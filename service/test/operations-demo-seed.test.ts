import { createLogger, type DeviceModel, deviceModels } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offsetPosition } from '../src/automation/geo.ts';
import { chennaiMetro } from '../src/automation/metro-region.ts';
import { type DemoFleetDevice, demoAccounts, seedDemoWorld } from '../src/operations/demo-seed.ts';
import { aCustomer } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

const now = Date.UTC(2026, 10, 25, 3, 30);
const day = 86_400_000;
const password = 'demo password for the tests';
const logger = createLogger({ level: 'silent' });

/** A simulated fleet on the Chennai disc, as the simulator lays it out: spread, some devices close together. */
function aFleet(count: number): DemoFleetDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const model: DeviceModel = deviceModels[i % deviceModels.length]!;
    return {
      id: `sim-${model.slice(0, 2)}-${String(i + 1).padStart(5, '0')}`,
      model,
      // Pairs of neighbours 300 m apart, on a spiral out to 18 km.
      position: offsetPosition(
        chennaiMetro.center,
        1 + (Math.floor(i / 2) * 17) / count + (i % 2) * 0.3,
        i * 2.4,
      ),
      installedAt: now - (60 + ((i * 37) % 700)) * day,
      serial: `SN-${i + 1}`,
    };
  });
}

async function provision(service: ServiceHarness, fleet: readonly DemoFleetDevice[]) {
  for (const d of fleet) {
    await service.repos.devices.provision({
      id: d.id,
      model: d.model,
      location: d.position,
      installedAt: new Date(d.installedAt).toISOString(),
    });
  }
}

const seed = (service: ServiceHarness, fleet: readonly DemoFleetDevice[]) =>
  seedDemoWorld({
    repositories: service.repos,
    devices: fleet,
    seed: 7,
    now,
    demoPassword: password,
    logger,
  });

async function tableCounts(service: ServiceHarness) {
  const tables = [
    'customers',
    'sites',
    'service_partners',
    'technicians',
    'technician_skills',
    'stock_locations',
    'stock_levels',
    'amc_plans',
    'contracts',
    'contract_visits',
    'users',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await service.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const loginAs = async (service: ServiceHarness, email: string) => {
  const res = await service.api('/api/auth/login', {
    method: 'POST',
    token: null,
    body: { email, password },
  });
  expect(res.status).toBe(200);
  return res.body.token as string;
};

describe('seedDemoWorld', () => {
  let service: ServiceHarness;
  const fleet = aFleet(40);
  beforeEach(async () => {
    service = await startService({ clock: () => now });
    await provision(service, fleet);
  });
  afterEach(() => service.close());

  it('writes the customers, the service network, stock and contracts around the fleet', async () => {
    const result = await seed(service, fleet);
    expect(result).toMatchObject({ seeded: true, accounts: demoAccounts, missingDevices: [] });
    expect(result.created).toMatchObject({
      partners: 10,
      technicians: 20,
      devicesAssigned: 40,
      amcPlans: 3,
      accounts: 3,
    });
    expect(result.created.customers).toBeGreaterThan(10);
    expect(result.created.sites).toBe(result.created.customers);
    expect(result.created.contracts).toBeGreaterThan(0);
    expect(result.created.visits).toBeGreaterThan(result.created.contracts);
    expect(await tableCounts(service)).toMatchObject({
      customers: result.created.customers,
      technicians: 20,
      // A warehouse, a depot per centre and franchise, a van per technician.
      stock_locations: 1 + 7 + 20,
      contracts: result.created.contracts,
      contract_visits: result.created.visits,
      users: 3,
    });

    // Every device has an owner, a site and a warranty a year after its installation.
    const devices = await service.repos.devices.list({ limit: 100, offset: 0 });
    for (const device of devices) {
      const spec = fleet.find((d) => d.id === device.id)!;
      expect(device.customerId).not.toBeNull();
      expect(device.siteId).not.toBeNull();
      expect(device.warrantyEndsAt).toBe(spec.installedAt + 365 * day);
    }
    // Refrigerant work is certified work: the network has technicians certified for it, and one whose
    // certification expired ten days ago.
    const refrigeration = (
      await service.repos.partners.listTechnicians({ skill: 'refrigeration', limit: 50, offset: 0 })
    ).items.map((t) => t.skills.find((s) => s.skill === 'refrigeration')!.certifiedUntil!);
    expect(refrigeration.filter((until) => until > now).length).toBeGreaterThan(0);
    expect(refrigeration).toContain(now - 10 * day);
    expect((await service.repos.stock.level('loc-warehouse', 'AC-COMP'))!.onHand).toBeGreaterThan(0);
  });

  it('creates nothing the second time', async () => {
    const first = await seed(service, fleet);
    const before = await tableCounts(service);
    const second = await seed(service, fleet);
    expect(second).toMatchObject({
      seeded: false,
      customerId: first.customerId,
      technicianId: first.technicianId,
    });
    expect(Object.values(second.created).every((n) => n === 0)).toBe(true);
    expect(await tableCounts(service)).toEqual(before);
  });

  it('finishes a seed that stopped before its accounts, writing only what is missing', async () => {
    await seed(service, fleet);
    const complete = await tableCounts(service);
    await service.db.deleteFrom('users').execute();

    const resumed = await seed(service, fleet);
    expect(resumed.seeded).toBe(true);
    expect(resumed.created).toEqual({
      customers: 0,
      sites: 0,
      devicesAssigned: 0,
      partners: 0,
      technicians: 0,
      stockLocations: 0,
      stockLevels: 0,
      amcPlans: 0,
      contracts: 0,
      visits: 0,
      accounts: 3,
    });
    expect(await tableCounts(service)).toEqual(complete);
  });

  it('leaves a database that holds customers of its own alone', async () => {
    await service.repos.customers.create(aCustomer({ id: 'acme' }));
    const result = await seed(service, fleet);
    expect(result).toMatchObject({ seeded: false, reason: expect.stringMatching(/customers that are not/) });
    expect(await tableCounts(service)).toMatchObject({ customers: 1, technicians: 0, users: 0 });
  });

  it('gives the three demo accounts the demo password', async () => {
    const result = await seed(service, fleet);
    const planner = await loginAs(service, demoAccounts.planner);
    expect((await service.api('/api/customers?limit=1', { token: planner })).body.total).toBe(
      result.created.customers,
    );

    const technician = await loginAs(service, demoAccounts.technician);
    const me = await service.api('/api/tickets', { token: technician });
    expect(me.status).toBe(200);
    const record = await service.repos.partners.getTechnician(result.technicianId!);
    expect(record!.skills.find((s) => s.skill === 'refrigeration')!.certifiedUntil).toBeGreaterThan(now);

    const wrong = await service.api('/api/auth/login', {
      method: 'POST',
      token: null,
      body: { email: demoAccounts.customer, password: 'not the demo password' },
    });
    expect(wrong.status).toBe(401);
  });

  it('lets the demo customer see its own devices and no one else’s', async () => {
    const result = await seed(service, fleet);
    const token = await loginAs(service, demoAccounts.customer);
    const own = (
      await service.repos.devices.list({ customerId: result.customerId!, limit: 100, offset: 0 })
    ).map((d) => d.id);
    expect(own.length).toBeGreaterThan(1);

    const listed = await service.api('/api/devices?limit=1000', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual(own);

    const someoneElses = fleet.find((d) => !own.includes(d.id))!;
    expect((await service.api(`/api/devices/${someoneElses.id}`, { token })).status).toBe(404);
    expect((await service.api(`/api/devices/${own[0]}`, { token })).status).toBe(200);
  });
});
