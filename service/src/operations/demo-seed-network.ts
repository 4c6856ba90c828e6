import { amcVisitsFor } from '../automation/amc-schedule.ts';
import type { DemoWorld } from '../automation/demo-world.ts';
import type { StockLocation as PlanningStockLocation } from '../automation/parts-sourcing.ts';
import { NETWORK_WORKING_WEEKDAYS } from '../automation/service-network.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { timeOfDay } from './local-time.ts';

/** The demo world's service network and contracts, written step by step, each step looking first. */

/** What one seeding call wrote, by kind of record. */
export interface DemoSeedCounts {
  customers: number;
  sites: number;
  devicesAssigned: number;
  partners: number;
  technicians: number;
  stockLocations: number;
  stockLevels: number;
  amcPlans: number;
  contracts: number;
  visits: number;
  accounts: number;
}

const locationKinds = { warehouse: 'central_warehouse', depot: 'partner_depot', van: 'van' } as const;

/** Partners, technicians with their skills and certifications, stock locations and their first stock. */
export async function seedNetwork(
  repos: ServiceRepositories,
  world: DemoWorld,
  timezone: string,
  created: DemoSeedCounts,
): Promise<void> {
  for (const p of world.partners) {
    if ((await repos.partners.getPartner(p.id)) !== null) continue;
    await repos.partners.createPartner({
      id: p.id,
      name: p.name,
      kind: p.kind,
      lat: p.position.lat,
      lon: p.position.lon,
      coverageRadiusKm: p.coverageRadiusKm,
    });
    created.partners++;
  }
  for (const t of world.technicians) {
    if ((await repos.partners.getTechnician(t.id)) !== null) continue;
    await repos.partners.createTechnician(t.partnerId, {
      id: t.id,
      name: t.name,
      home: t.homeBase,
      // Monday to Saturday, as the AMC schedule's capacity counts them.
      workingHours: {
        days: [...NETWORK_WORKING_WEEKDAYS],
        start: timeOfDay(t.workingHours.startMinute),
        end: timeOfDay(t.workingHours.endMinute),
        timezone,
      },
      dailyCapacityMinutes: t.capacityMinutes,
      skills: t.skills.map((s) =>
        s.certifiedUntil === null
          ? { skill: s.skill }
          : {
              skill: s.skill,
              certificateId: `${s.skill.toUpperCase()}-${t.id}`,
              certifiedUntil: s.certifiedUntil,
            },
      ),
    });
    if (!t.available) await repos.partners.updateTechnician(t.id, { status: 'unavailable' });
    created.technicians++;
  }
  for (const l of world.stockLocations) {
    if ((await repos.stock.getLocation(l.id)) === null) {
      await repos.stock.createLocation(locationBody(l));
      created.stockLocations++;
    }
    for (const [sku, quantity] of Object.entries(l.available)) {
      if (quantity <= 0 || (await repos.stock.level(l.id, sku)) !== null) continue;
      await repos.stock.receive(l.id, sku, quantity);
      created.stockLevels++;
    }
  }
}

function locationBody(l: PlanningStockLocation) {
  return {
    id: l.id,
    name: l.name,
    kind: locationKinds[l.kind],
    lat: l.position.lat,
    lon: l.position.lon,
    ...(l.partnerId === null ? {} : { partnerId: l.partnerId }),
    ...(l.technicianId === null ? {} : { technicianId: l.technicianId }),
  };
}

/** Plans and contracts, with the visits still to come; answers the customers who have a contract. */
export async function seedContracts(
  repos: ServiceRepositories,
  world: DemoWorld,
  now: number,
  missing: ReadonlySet<string>,
  created: DemoSeedCounts,
): Promise<Set<string>> {
  for (const p of world.amcPlans) {
    if ((await repos.contracts.getPlan(p.id)) !== null) continue;
    await repos.contracts.createPlan({
      id: p.id,
      name: p.name,
      visitsPerYear: p.visitsPerYear,
      slaResponseHours: p.slaResponseHours,
      coversLabour: p.coversLabour,
      coversParts: p.coversParts,
      priceCents: p.pricePerDevicePerYear * 100,
    });
    created.amcPlans++;
  }
  const contracted = new Set<string>();
  for (const c of world.amcContracts) {
    const deviceIds = c.deviceIds.filter((id) => !missing.has(id));
    if (deviceIds.length === 0) continue;
    if ((await repos.contracts.get(c.contractId)) === null) {
      await repos.contracts.create({
        id: c.contractId,
        customerId: c.customerId,
        planId: c.planId,
        deviceIds,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
      });
      created.contracts++;
    }
    contracted.add(c.customerId);
    const entitled = amcVisitsFor(c).filter((v) => v.window.end >= now);
    if (entitled.length === 0) continue;
    const before = (await repos.visits.listVisits({ contractId: c.contractId, limit: 1, offset: 0 })).total;
    await repos.visits.planVisits(
      c.contractId,
      entitled.flatMap((v) =>
        deviceIds.map((deviceId) => ({ deviceId, dueFrom: v.window.start, dueTo: v.window.end })),
      ),
    );
    created.visits +=
      (await repos.visits.listVisits({ contractId: c.contractId, limit: 1, offset: 0 })).total - before;
  }
  return contracted;
}
