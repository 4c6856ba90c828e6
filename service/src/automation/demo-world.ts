import { areaOf, chennaiMetro, type MetroRegion, mixSeed } from '@aftercare/core';
import type { AmcContract } from './amc-schedule.ts';
import { type FleetDevice, groupIntoSites } from './demo-sites.ts';
import type { Position } from './geo.ts';
import { servicingPartner } from './partner-reach.ts';
import { SeededRandom } from './seeded-random.ts';
import { generateServiceNetwork, type ServiceNetwork } from './service-network.ts';
import { type SparePart, spareParts } from './spare-parts.ts';
import { DAY_MS, localDayStart } from './work.ts';

export type { FleetDevice } from './demo-sites.ts';

/** Street names of the demo's addresses (one draw each, whatever the list's length). */
const demoStreets = [
  'Gandhi Street',
  'Nehru Road',
  'Kamarajar Salai',
  'Bharathi Street',
  'Anna Main Road',
  'Temple Street',
  'Lake View Road',
  'Market Road',
  'Church Street',
  'School Road',
  'Station Road',
  'Pillaiyar Koil Street',
  '2nd Cross Street',
  '4th Main Road',
  'Nagar 2nd Avenue',
  'Gangai Amman Koil Street',
] as const;

/**
 * The believable world around a simulated fleet that `pnpm start` seeds on first start: customers
 * (households and businesses) and their sites, the service network (partners, technicians, warehouse,
 * depots, vans and their stock), the parts catalogue, AMC plans and contracts on about 30 % of the
 * devices. Seeded and plain: the service writes it into its tables. Device positions come from the fleet
 * (the simulator places them on the region's disc); a site stands where its first device stands.
 */

export interface DemoCustomer {
  id: string;
  kind: 'residential' | 'business';
  name: string;
  email: string;
  phone: string;
}

export interface DemoSite {
  id: string;
  customerId: string;
  name: string;
  position: Position;
  address: string;
  area: string;
  /** The partner that services the site: the nearest whose coverage reaches it (else the nearest). */
  partnerId: string;
}

export interface DeviceAssignment {
  deviceId: string;
  customerId: string;
  siteId: string;
  /** One year of manufacturer's warranty from installation. */
  warrantyEndsAt: number;
}

export interface AmcPlan {
  id: string;
  name: string;
  visitsPerYear: number;
  slaResponseHours: number;
  coversLabour: boolean;
  coversParts: boolean;
  pricePerDevicePerYear: number;
}

export interface DemoAmcContract extends AmcContract {
  planId: string;
  deviceIds: string[];
}

export interface DemoWorld extends ServiceNetwork {
  parts: SparePart[];
  customers: DemoCustomer[];
  sites: DemoSite[];
  devices: DeviceAssignment[];
  amcPlans: AmcPlan[];
  amcContracts: DemoAmcContract[];
}

export interface DemoWorldOptions {
  seed: number;
  /** Epoch ms: contracts and certifications are dated around it. */
  now: number;
  devices: readonly FleetDevice[];
  region?: MetroRegion;
  /** Share of devices under an AMC contract. */
  amcShare?: number;
}

export const amcPlans: readonly AmcPlan[] = [
  {
    id: 'plan-basic',
    name: 'Basic care',
    visitsPerYear: 2,
    slaResponseHours: 48,
    coversLabour: true,
    coversParts: false,
    pricePerDevicePerYear: 1499,
  },
  {
    id: 'plan-standard',
    name: 'Standard care',
    visitsPerYear: 3,
    slaResponseHours: 24,
    coversLabour: true,
    coversParts: true,
    pricePerDevicePerYear: 2999,
  },
  {
    id: 'plan-premium',
    name: 'Premium care',
    visitsPerYear: 4,
    slaResponseHours: 8,
    coversLabour: true,
    coversParts: true,
    pricePerDevicePerYear: 4999,
  },
];

const businessKinds = [
  'Clinic',
  'Restaurant',
  'Office',
  'Bakery',
  'Hotel',
  'School',
  'Pharmacy',
  'Supermarket',
  'Salon',
  'Guest House',
];
const givenNames = [
  'Anand',
  'Bhavani',
  'Chandran',
  'Durga',
  'Elango',
  'Fathima',
  'Gopal',
  'Hema',
  'Ilango',
  'Janaki',
  'Kannan',
  'Lalitha',
  'Manoj',
  'Nirmala',
  'Omprakash',
  'Padma',
  'Rangarajan',
  'Shanthi',
  'Thiru',
  'Uma',
  'Vasanth',
  'Yamuna',
];
const familyNames = [
  'Ramasamy',
  'Srinivasan',
  'Ganesan',
  'Palaniappan',
  'Arumugam',
  'Chidambaram',
  'Jayaraman',
  'Karthikeyan',
  'Balasubramanian',
  'Rajendran',
];

export function generateDemoWorld(options: DemoWorldOptions): DemoWorld {
  const region = options.region ?? chennaiMetro;
  const network = generateServiceNetwork({ seed: options.seed, now: options.now, region });
  const rng = new SeededRandom(mixSeed(options.seed, 0xde70));
  const customers: DemoCustomer[] = [];
  const sites: DemoSite[] = [];
  const devices: DeviceAssignment[] = [];
  const siteDevices = new Map<string, FleetDevice[]>();
  for (const group of groupIntoSites(options.devices, rng)) {
    const n = customers.length + 1;
    const customerId = `cust-${String(n).padStart(4, '0')}`;
    const siteId = `site-${String(n).padStart(4, '0')}`;
    const position = group.devices[0]!.position;
    const area = areaOf(region, position);
    const person = `${rng.pick(givenNames)} ${rng.pick(familyNames)}`;
    const name = group.kind === 'business' ? `${area} ${rng.pick(businessKinds)}` : person;
    customers.push({
      id: customerId,
      kind: group.kind,
      name,
      email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${n}@example.com`,
      phone: `+91 9${String(rng.intBetween(0, 999_999_999)).padStart(9, '0')}`,
    });
    sites.push({
      id: siteId,
      customerId,
      name: group.kind === 'business' ? name : `${person}'s home`,
      position,
      address: `${rng.intBetween(1, 240)}, ${rng.pick(demoStreets)}, ${area}, ${region.name}`,
      area,
      partnerId: servicingPartner(network.partners, position),
    });
    siteDevices.set(siteId, group.devices);
    for (const d of group.devices) {
      devices.push({ deviceId: d.id, customerId, siteId, warrantyEndsAt: d.installedAt + 365 * DAY_MS });
    }
  }
  return {
    ...network,
    parts: spareParts(),
    customers,
    sites,
    devices,
    amcPlans: [...amcPlans],
    amcContracts: contractsFor(sites, customers, siteDevices, options, region, rng),
  };
}

/**
 * AMC contracts on about `amcShare` of the devices: businesses sign up more often than households, and
 * for richer plans. Contracts started at some point in the last year, so some come up for renewal soon.
 */
function contractsFor(
  sites: readonly DemoSite[],
  customers: readonly DemoCustomer[],
  siteDevices: ReadonlyMap<string, FleetDevice[]>,
  options: DemoWorldOptions,
  region: MetroRegion,
  rng: SeededRandom,
): DemoAmcContract[] {
  const target = (options.amcShare ?? 0.3) * options.devices.length;
  const kindOf = new Map(customers.map((c) => [c.id, c.kind]));
  const contracts: DemoAmcContract[] = [];
  let covered = 0;
  const signed = new Set<string>();
  const order = rng.shuffled(sites);
  // First pass by appetite (businesses sign more often); second pass tops up to the target share.
  for (const pass of [0, 1]) {
    for (const site of order) {
      if (covered >= target) break;
      if (signed.has(site.id)) continue;
      const business = kindOf.get(site.customerId) === 'business';
      const members = siteDevices.get(site.id)!;
      if (covered + members.length > target * 1.05 && covered > 0) continue;
      if (pass === 0 && !rng.chance(business ? 0.6 : 0.3)) continue;
      const plan = business
        ? rng.weighted([
            [amcPlans[1]!, 0.5],
            [amcPlans[2]!, 0.5],
          ] as const)
        : rng.weighted([
            [amcPlans[0]!, 0.6],
            [amcPlans[1]!, 0.4],
          ] as const);
      const startsAt = localDayStart(options.now - rng.intBetween(0, 360) * DAY_MS, region.utcOffsetMin);
      signed.add(site.id);
      contracts.push({
        contractId: '',
        planId: plan.id,
        customerId: site.customerId,
        siteId: site.id,
        sitePosition: site.position,
        partnerId: site.partnerId,
        startsAt,
        endsAt: startsAt + 365 * DAY_MS,
        visitsPerYear: plan.visitsPerYear,
        deviceCount: members.length,
        deviceIds: members.map((d) => d.id),
        renewedAt: null,
      });
      covered += members.length;
    }
  }
  contracts.sort((a, b) => a.siteId.localeCompare(b.siteId));
  contracts.forEach((c, i) => {
    c.contractId = `amc-${String(i + 1).padStart(4, '0')}`;
  });
  return contracts;
}
