import {
  areaOf,
  chennaiMetro,
  type MetroRegion,
  mixSeed,
  offsetPosition,
  onLand,
  randomPointInDisc,
  type Skill,
} from '@aftercare/core';
import type { SkillQualification, Technician } from './dispatch-types.ts';
import type { Position } from './geo.ts';
import type { StockLocation } from './parts-sourcing.ts';
import { SeededRandom } from './seeded-random.ts';
import { type PartClass, spareParts } from './spare-parts.ts';
import { DAY_MS } from './work.ts';

/**
 * A seeded service network for one metro: partners of each kind, their technicians (skills,
 * certifications, home bases, hours) and the stock locations (one central warehouse, a depot per
 * centre, a van per technician). The demo world, the dispatch days of the tests and the backtest all
 * grow from it, so one seed gives the same network everywhere.
 */

/**
 * The demo network's working week, Monday to Saturday. The numbers are the same in JavaScript's
 * `getDay()` (0 = Sunday) and ISO numbering (7 = Sunday), which both leave Sunday out.
 */
export const NETWORK_WORKING_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5, 6];

export type PartnerKind = 'authorised_centre' | 'franchise' | 'mobile_van';

export interface ServicePartner {
  id: string;
  name: string;
  kind: PartnerKind;
  position: Position;
  area: string;
  /** Sites farther than this (straight line) are outside the partner's territory. */
  coverageRadiusKm: number;
}

export interface ServiceNetwork {
  region: MetroRegion;
  partners: ServicePartner[];
  technicians: Technician[];
  stockLocations: StockLocation[];
}

export interface ServiceNetworkOptions {
  seed: number;
  /** Epoch ms: certification expiry dates are spread around it. */
  now: number;
  region?: MetroRegion;
  /** Partners of each kind and technicians per partner; the default gives 3×3 + 4×2 + 3×1 = 20 technicians. */
  partners?: Partial<Record<PartnerKind, { count: number; techniciansEach: number }>>;
}

const defaultPartners: Readonly<Record<PartnerKind, { count: number; techniciansEach: number }>> = {
  authorised_centre: { count: 3, techniciansEach: 3 },
  franchise: { count: 4, techniciansEach: 2 },
  mobile_van: { count: 3, techniciansEach: 1 },
};

const partnerShape: Readonly<
  Record<
    PartnerKind,
    { label: string; coverageKm: number; ring: [number, number]; hours: [number, number]; capacity: number }
  >
> = {
  authorised_centre: {
    label: 'Authorised Service Centre',
    coverageKm: 16,
    ring: [0.15, 0.55],
    hours: [540, 1080],
    capacity: 420,
  },
  franchise: { label: 'Service Point', coverageKm: 10, ring: [0.35, 0.8], hours: [570, 1110], capacity: 420 },
  mobile_van: { label: 'Mobile Service', coverageKm: 22, ring: [0, 0.7], hours: [480, 1020], capacity: 450 },
};

/**
 * Skill sets cycled over the technicians so that every skill has several holders; general service is
 * everyone's. Refrigeration (certified gas handling) is the scarce one, as in the field.
 */
const skillProfiles: readonly (readonly Skill[])[] = [
  ['refrigeration', 'electrical'],
  ['electrical', 'electronics'],
  ['mechanical', 'electrical'],
  ['water_treatment', 'electronics'],
  ['refrigeration', 'mechanical'],
  ['electrical', 'water_treatment'],
  ['mechanical', 'electronics'],
];

const firstNames = [
  'Arun',
  'Priya',
  'Karthik',
  'Divya',
  'Suresh',
  'Lakshmi',
  'Ravi',
  'Meena',
  'Vijay',
  'Anitha',
  'Senthil',
  'Kavitha',
  'Ganesh',
  'Revathi',
  'Prakash',
  'Deepa',
  'Murugan',
  'Sangeetha',
  'Rajesh',
  'Nandhini',
  'Bala',
  'Saranya',
];
const lastNames = [
  'Kumar',
  'Raman',
  'Subramanian',
  'Krishnan',
  'Natarajan',
  'Iyer',
  'Pillai',
  'Rajan',
  'Venkatesh',
  'Sundaram',
  'Mohan',
  'Selvam',
];

/** Units a location of each kind keeps of a part of each class: [min, max]. */
const stockLevels: Readonly<Record<StockLocation['kind'], Readonly<Record<PartClass, [number, number]>>>> = {
  warehouse: { consumable: [40, 90], component: [15, 40], major: [6, 15] },
  depot: { consumable: [2, 8], component: [0, 4], major: [0, 2] },
  van: { consumable: [0, 3], component: [0, 1], major: [0, 0] },
};

export function generateServiceNetwork(options: ServiceNetworkOptions): ServiceNetwork {
  const region = options.region ?? chennaiMetro;
  const rng = new SeededRandom(mixSeed(options.seed, 0x5e7));
  const kinds = { ...defaultPartners, ...options.partners };
  const partners: ServicePartner[] = [];
  const technicians: Technician[] = [];
  let techIndex = 0;
  for (const kind of ['authorised_centre', 'franchise', 'mobile_van'] as const) {
    const shape = partnerShape[kind];
    const { count, techniciansEach } = kinds[kind];
    for (let i = 0; i < count; i++) {
      // Spread the partners of a kind around the metro: one sector each, jittered.
      const bearing = ((i + rng.uniform(0.2, 0.8)) / count) * 2 * Math.PI + (kind === 'franchise' ? 0.5 : 0);
      const position = onLand(
        region,
        offsetPosition(region.center, region.radiusKm * rng.uniform(...shape.ring), bearing),
      );
      const area = areaOf(region, position);
      const partner: ServicePartner = {
        id: `partner-${String(partners.length + 1).padStart(2, '0')}`,
        name: `${area} ${shape.label}`,
        kind,
        position,
        area,
        coverageRadiusKm: shape.coverageKm,
      };
      partners.push(partner);
      for (let k = 0; k < techniciansEach; k++) {
        const profile = skillProfiles[techIndex % skillProfiles.length]!;
        const skills: SkillQualification[] = [...profile, 'general_service' as const].map((skill) => ({
          skill,
          certifiedUntil:
            skill === 'general_service' ? null : options.now + Math.round(rng.uniform(90, 720)) * DAY_MS,
        }));
        const home = onLand(
          region,
          kind === 'mobile_van'
            ? randomPointInDisc(rng, region.center, region.radiusKm * 0.8)
            : randomPointInDisc(rng, position, 4),
        );
        technicians.push({
          id: `tech-${String(techIndex + 1).padStart(2, '0')}`,
          partnerId: partner.id,
          name: `${firstNames[(techIndex * 5) % firstNames.length]} ${rng.pick(lastNames)}`,
          skills,
          homeBase: home,
          workingHours: { startMinute: shape.hours[0], endMinute: shape.hours[1] },
          capacityMinutes: shape.capacity,
          available: true,
        });
        techIndex++;
      }
    }
  }
  markCertificationEvents(technicians, options.now, rng);
  return { region, partners, technicians, stockLocations: stockFor(region, partners, technicians, rng) };
}

/**
 * The first refrigeration technician's certification expired ten days ago; two other certifications run
 * out within three weeks, so the console and the planners have something to warn about.
 */
function markCertificationEvents(technicians: Technician[], now: number, rng: SeededRandom): void {
  const certified = technicians.flatMap((t) =>
    t.skills.filter((s) => s.certifiedUntil !== null).map((s) => ({ t, s })),
  );
  const expired = certified.find((x) => x.s.skill === 'refrigeration');
  if (expired) expired.s.certifiedUntil = now - 10 * DAY_MS;
  const others = certified.filter((x) => x.t !== expired?.t);
  for (const x of [others[3], others[others.length - 4]]) {
    if (x) x.s.certifiedUntil = now + rng.intBetween(5, 20) * DAY_MS;
  }
}

function stockFor(
  region: MetroRegion,
  partners: readonly ServicePartner[],
  technicians: readonly Technician[],
  rng: SeededRandom,
): StockLocation[] {
  const parts = spareParts();
  const skillOf = new Map(parts.map((p) => [p.sku, p.skill]));
  const fill = (kind: StockLocation['kind'], relevant: (sku: string) => boolean) =>
    Object.fromEntries(
      parts.map((p) => {
        const [min, max] = stockLevels[kind][p.partClass];
        return [p.sku, relevant(p.sku) ? rng.intBetween(min, max) : 0];
      }),
    );
  const locations: StockLocation[] = [
    {
      id: 'loc-warehouse',
      kind: 'warehouse',
      name: `${region.name} Central Warehouse`,
      position: offsetPosition(region.center, region.radiusKm * 0.6, 5.4),
      partnerId: null,
      technicianId: null,
      available: fill('warehouse', () => true),
    },
  ];
  for (const partner of partners) {
    if (partner.kind === 'mobile_van') continue;
    locations.push({
      id: `loc-depot-${partner.id}`,
      kind: 'depot',
      name: `${partner.name} depot`,
      position: partner.position,
      partnerId: partner.id,
      technicianId: null,
      // Some depots run out of some parts: that is what transfers are for.
      available: fill('depot', () => rng.chance(0.8)),
    });
  }
  for (const tech of technicians) {
    locations.push({
      id: `loc-van-${tech.id}`,
      kind: 'van',
      name: `${tech.name}'s van`,
      position: tech.homeBase,
      partnerId: tech.partnerId,
      technicianId: tech.id,
      // A van carries parts for its technician's own skills.
      available: fill(
        'van',
        (sku) => tech.skills.some((s) => s.skill === skillOf.get(sku)) && rng.chance(0.7),
      ),
    });
  }
  return locations;
}
