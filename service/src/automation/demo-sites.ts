import type { DeviceModel } from '@aftercare/core';
import { haversineKm, type Position } from './geo.ts';
import type { SeededRandom } from './seeded-random.ts';

/** How the demo world turns a fleet's scattered devices into customers' sites. */

/** A device of the simulated fleet, as the demo world needs it. */
export interface FleetDevice {
  id: string;
  model: DeviceModel;
  position: Position;
  /** Epoch ms. */
  installedAt: number;
}

/** Groups devices into sites: businesses gather nearby devices (3–8 within 1.5 km), households 1–3 within 1 km. */
export function groupIntoSites(devices: readonly FleetDevice[], rng: SeededRandom) {
  const sorted = [...devices].sort((a, b) => a.id.localeCompare(b.id));
  const cellKm = 1.5;
  const cell = (p: Position) =>
    [Math.floor((p.lat * 111.32) / cellKm), Math.floor((p.lon * 108) / cellKm)] as const;
  const grid = new Map<string, FleetDevice[]>();
  for (const d of sorted) {
    const [a, b] = cell(d.position);
    const k = `${a},${b}`;
    grid.set(k, [...(grid.get(k) ?? []), d]);
  }
  const taken = new Set<string>();
  const groups: { kind: 'residential' | 'business'; devices: FleetDevice[] }[] = [];
  for (const first of sorted) {
    if (taken.has(first.id)) continue;
    const business = rng.chance(0.22);
    const wanted = business ? rng.intBetween(3, 8) : rng.chance(0.3) ? rng.intBetween(2, 3) : 1;
    const radius = business ? 1.5 : 1;
    taken.add(first.id);
    const members = [first];
    if (wanted > 1) {
      const [a, b] = cell(first.position);
      const near: FleetDevice[] = [];
      for (let i = -1; i <= 1; i++)
        for (let j = -1; j <= 1; j++) near.push(...(grid.get(`${a + i},${b + j}`) ?? []));
      const nearest = near
        .filter((d) => !taken.has(d.id) && haversineKm(d.position, first.position) <= radius)
        .sort((x, y) => haversineKm(x.position, first.position) - haversineKm(y.position, first.position))
        .slice(0, wanted - 1);
      for (const d of nearest) {
        taken.add(d.id);
        members.push(d);
      }
    }
    groups.push({ kind: business && members.length > 1 ? 'business' : 'residential', devices: members });
  }
  return groups;
}
