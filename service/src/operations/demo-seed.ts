import { type DeviceModel, type Logger, ValidationError } from '@aftercare/core';
import { type DemoWorld, generateDemoWorld } from '../automation/demo-world.ts';
import type { Position } from '../automation/geo.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { type DemoSeedCounts, seedContracts, seedNetwork } from './demo-seed-network.ts';

export type { DemoSeedCounts } from './demo-seed-network.ts';

import { utcOffsetMinutes } from './local-time.ts';
import { collectPages, page } from './planning-data.ts';

/** A device of the fleet the demo world is built around (the simulator's, already in the registry). */
export interface DemoFleetDevice {
  id: string;
  model: DeviceModel;
  position: Position;
  /** Epoch ms. */
  installedAt: number;
  serial?: string;
}

export interface SeedDemoWorldOptions {
  repositories: ServiceRepositories;
  devices: readonly DemoFleetDevice[];
  seed: number;
  /** Epoch ms: contracts, warranties and certifications are dated around it. */
  now: number;
  /** Password of the three demo accounts (at least 12 characters, as for any account). */
  demoPassword: string;
  logger: Logger;
  /** IANA zone of the technicians' working hours; must match the demo region's offset. Default Asia/Kolkata. */
  timezone?: string;
}

export const demoAccounts = {
  planner: 'planner@aftercare.local',
  technician: 'technician@aftercare.local',
  customer: 'customer@aftercare.local',
} as const;

export interface DemoSeedResult {
  /** False when the world was there already (or the database holds someone else's customers). */
  seeded: boolean;
  reason: string;
  /** What this call wrote; all zero when nothing was. */
  created: DemoSeedCounts;
  accounts: typeof demoAccounts;
  /** The demo customer account's customer, and the demo technician account's technician. */
  customerId: string | null;
  technicianId: string | null;
  /** Fleet devices the registry does not hold: left out of sites and contracts. */
  missingDevices: string[];
}

/**
 * Writes `generateDemoWorld`'s believable world around the fleet into the service's tables, once:
 * customers with their sites and devices (owner, site, warranty), partners, technicians with skills and
 * certifications, warehouse, depots and vans with stock, AMC plans and contracts with the visits they
 * entitle, and three demo accounts (planner, technician, customer) with `demoPassword`.
 *
 * The planner account is written last and marks the world as complete: with it present, nothing is
 * done. Every step before it looks before it writes, so a seed that stopped half-way resumes where it
 * stopped. A database holding customers the demo world does not know is left alone.
 */
export async function seedDemoWorld(options: SeedDemoWorldOptions): Promise<DemoSeedResult> {
  const { repositories: repos, now } = options;
  const log = options.logger.child({ component: 'demo-seed' });
  const created: DemoSeedCounts = {
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
    accounts: 0,
  };
  const result = (seeded: boolean, reason: string, ids: Partial<DemoSeedResult> = {}): DemoSeedResult => ({
    seeded,
    reason,
    created,
    accounts: demoAccounts,
    customerId: null,
    technicianId: null,
    missingDevices: [],
    ...ids,
  });

  if ((await repos.users.findByEmail(demoAccounts.planner)) !== null) {
    const [technician, customer] = await Promise.all([
      repos.users.findByEmail(demoAccounts.technician),
      repos.users.findByEmail(demoAccounts.customer),
    ]);
    return result(false, 'the demo world is already seeded', {
      customerId: customer?.customerId ?? null,
      technicianId: technician?.technicianId ?? null,
    });
  }
  if (options.demoPassword.length < 12)
    throw new ValidationError('demoPassword: must be at least 12 characters');

  const world = generateDemoWorld({
    seed: options.seed,
    now,
    devices: options.devices.map((d) => ({
      id: d.id,
      model: d.model,
      position: d.position,
      installedAt: d.installedAt,
    })),
  });
  const timezone = options.timezone ?? 'Asia/Kolkata';
  if (utcOffsetMinutes(timezone, now) !== world.region.utcOffsetMin)
    throw new ValidationError(
      `timezone: ${timezone} is not ${world.region.utcOffsetMin} minutes ahead of UTC like ${world.region.name}`,
    );
  const strangers = (await allCustomerIds(repos)).filter((id) => !world.customers.some((c) => c.id === id));
  if (strangers.length > 0) {
    log.warn({ customers: strangers.length }, 'the database has customers of its own: no demo world seeded');
    return result(false, 'the database already holds customers that are not the demo world’s');
  }

  for (const c of world.customers) {
    if ((await repos.customers.get(c.id)) !== null) continue;
    await repos.customers.create({
      id: c.id,
      name: c.name,
      kind: c.kind,
      contact: { name: c.name, email: c.email, phone: c.phone },
    });
    created.customers++;
  }

  const siteIds = new Map<string, string>();
  for (const s of world.sites) {
    const existing = (await repos.customers.listSites({ customerId: s.customerId, limit: page, offset: 0 }))
      .items;
    let site = existing.find((x) => x.name === s.name);
    if (!site) {
      site = await repos.customers.createSite(s.customerId, {
        name: s.name,
        address: s.address,
        lat: s.position.lat,
        lon: s.position.lon,
      });
      created.sites++;
    }
    siteIds.set(s.id, site.id);
  }

  const fleet = new Map(options.devices.map((d) => [d.id, d]));
  const missingDevices: string[] = [];
  for (const a of world.devices) {
    const device = await repos.devices.get(a.deviceId);
    if (device === null) {
      missingDevices.push(a.deviceId);
      continue;
    }
    const siteId = siteIds.get(a.siteId)!;
    const spec = fleet.get(a.deviceId)!;
    if (device.customerId === a.customerId && device.siteId === siteId && device.warrantyEndsAt !== null)
      continue;
    await repos.devices.update(a.deviceId, {
      customerId: a.customerId,
      siteId,
      warrantyEndsAt: a.warrantyEndsAt,
      ...(device.installedAt === null ? { installedAt: new Date(spec.installedAt).toISOString() } : {}),
      ...(device.serial === null && spec.serial !== undefined ? { serial: spec.serial } : {}),
    });
    created.devicesAssigned++;
  }
  if (missingDevices.length > 0)
    log.warn({ devices: missingDevices.length }, 'fleet devices missing from the registry are left out');

  await seedNetwork(repos, world, timezone, created);
  const contracted = await seedContracts(repos, world, now, new Set(missingDevices), created);

  const technicianId = demoTechnician(world, now);
  const customerId = demoCustomer(world, new Set(missingDevices), contracted);
  const password = options.demoPassword;
  const accounts = [
    technicianId && {
      email: demoAccounts.technician,
      role: 'technician' as const,
      // Named as the person they sign in as, so the account page says who that is.
      name: world.technicians.find((t) => t.id === technicianId)?.name ?? 'Demo technician',
      technicianId,
    },
    customerId && {
      email: demoAccounts.customer,
      role: 'customer' as const,
      name: world.customers.find((c) => c.id === customerId)?.name ?? 'Demo customer',
      customerId,
    },
    // Last: the planner account marks the world as complete.
    { email: demoAccounts.planner, role: 'planner' as const, name: 'Demo planner' },
  ];
  for (const account of accounts) {
    if (!account || (await repos.users.findByEmail(account.email)) !== null) continue;
    await repos.users.create({ ...account, password });
    created.accounts++;
  }
  log.info({ ...created, customerId, technicianId }, 'demo world seeded');
  return result(true, 'seeded', { customerId, technicianId, missingDevices });
}

/** The demo technician: one holding a refrigerant certification valid now (they get the interesting jobs). */
function demoTechnician(world: DemoWorld, now: number): string | null {
  const certified = world.technicians.find((t) =>
    t.skills.some((s) => s.skill === 'refrigeration' && s.certifiedUntil !== null && s.certifiedUntil > now),
  );
  return (certified ?? world.technicians[0])?.id ?? null;
}

/** The demo customer: the one with the most devices, preferring one with an AMC contract. */
function demoCustomer(
  world: DemoWorld,
  missing: ReadonlySet<string>,
  contracted: ReadonlySet<string>,
): string | null {
  const owned = new Map<string, number>();
  for (const a of world.devices) {
    if (!missing.has(a.deviceId)) owned.set(a.customerId, (owned.get(a.customerId) ?? 0) + 1);
  }
  return (
    [...owned].sort(
      (a, b) =>
        b[1] - a[1] ||
        Number(contracted.has(b[0])) - Number(contracted.has(a[0])) ||
        a[0].localeCompare(b[0]),
    )[0]?.[0] ?? null
  );
}

async function allCustomerIds(repos: ServiceRepositories): Promise<string[]> {
  const customers = await collectPages((offset) => repos.customers.list({ limit: page, offset }));
  return customers.map((c) => c.id);
}
