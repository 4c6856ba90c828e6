import type { Contract, ContractVisit } from '@aftercare/core';
import type { AmcContract, BookedMinutes } from '../automation/amc-schedule.ts';
import type { Position } from '../automation/geo.ts';
import { servicingPartner } from '../automation/partner-reach.ts';
import { localDayStart, MINUTE_MS } from '../automation/work.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { collectPages, type PlanningData, page } from './planning-data.ts';

/** What the AMC job reads: active contracts grouped by site, their visit rows, the AMC minutes already booked. */

/** A contract's devices at one site: the unit the AMC schedule books (one trip, all of them). */
export interface SiteGroup {
  schedule: AmcContract;
  contract: Contract;
  deviceIds: string[];
  position: Position;
}

/** Active contracts, one group per site their devices stand at, with the partner servicing it. */
export async function siteGroups(data: PlanningData, now: number): Promise<SiteGroup[]> {
  const contracts = await collectPages((offset) =>
    data.repositories.contracts.list({ activeAt: now, limit: page, offset }),
  );
  return siteGroupsOf(data, contracts);
}

/** These contracts, active or not, one group per site their devices stand at. */
export async function siteGroupsOf(data: PlanningData, contracts: readonly Contract[]): Promise<SiteGroup[]> {
  const repos = data.repositories;
  const plans = new Map((await repos.contracts.listPlans()).map((p) => [p.id, p]));
  const partners = (await collectPages((offset) => repos.partners.listPartners({ limit: page, offset }))).map(
    (p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      position: { lat: p.lat, lon: p.lon },
      area: '',
      coverageRadiusKm: p.coverageRadiusKm,
    }),
  );
  if (partners.length === 0) return [];
  const groups = new Map<string, SiteGroup>();
  for (const contract of contracts) {
    const plan = plans.get(contract.planId);
    if (!plan) continue;
    for (const deviceId of contract.deviceIds) {
      const device = await repos.devices.get(deviceId);
      if (!device) continue;
      const position = await data.positionOf({ siteId: device.siteId, deviceId });
      if (!position) continue;
      const key = `${contract.id}@${device.siteId ?? `device:${deviceId}`}`;
      const group = groups.get(key);
      if (group) {
        group.deviceIds.push(deviceId);
        group.schedule.deviceCount++;
        continue;
      }
      groups.set(key, {
        contract,
        deviceIds: [deviceId],
        position,
        schedule: {
          contractId: key,
          customerId: contract.customerId,
          siteId: device.siteId ?? deviceId,
          sitePosition: position,
          partnerId: servicingPartner(partners, position),
          startsAt: contract.startsAt,
          endsAt: contract.endsAt,
          visitsPerYear: plan.visitsPerYear,
          deviceCount: 1,
          renewedAt: contract.renewalStatus === 'renewed' ? contract.updatedAt : null,
        },
      });
    }
  }
  return [...groups.values()];
}

export async function visitsOf(repos: ServiceRepositories, contractId: string): Promise<ContractVisit[]> {
  return collectPages((offset) => repos.visits.listVisits({ contractId, limit: page, offset }));
}

/** Minutes of AMC work already booked per partner and day from today on (visit tickets with appointments). */
export async function bookedMinutes(
  data: PlanningData,
  technicians: Awaited<ReturnType<PlanningData['technicians']>>,
  today: number,
  offset: number,
): Promise<BookedMinutes[]> {
  const partnerOf = new Map(technicians.map((t) => [t.id, t.partnerId]));
  const booked: BookedMinutes[] = [];
  for (const ticket of await data.assignedWork(today, Number.MAX_SAFE_INTEGER)) {
    if (ticket.kind !== 'amc_visit') continue;
    const partnerId = partnerOf.get(ticket.technicianId!);
    if (!partnerId) continue;
    booked.push({
      partnerId,
      day: localDayStart(ticket.appointment!.start, offset),
      minutes: (ticket.appointment!.end - ticket.appointment!.start) / MINUTE_MS,
    });
  }
  return booked;
}
